package io.gpukit.core.report;

import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.RuleScope;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceLocation;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@link ReportFormat#JUNIT} writer: one {@code <testsuite>} per rule, named by its id, and in
 * it one {@code <testcase>} per checked file.
 *
 * <p>A testcase passes when the rule found nothing in the file; otherwise it holds one {@code
 * <failure>} whose {@code type} is the most severe severity and whose text lists the violations
 * with their hints. Every file of the report gets a testcase for every rule of the report (and for
 * any rule or file that only appears in a violation), so CI shows what was checked, not only what
 * failed; except that a rule of another file kind gets none ({@code dockerfile/base-image-pinned}
 * on a workflow), and a GPU rule ({@link RuleScope#GPU}) gets none for a file the report's scope
 * says is not GPU (a postgres or docs image), neither of which it judges, unless it found something
 * there.
 *
 * <p>The output is pure ASCII: other characters are written as character references, and
 * characters XML 1.0 cannot carry (most control characters) as Java-style unicode escapes.
 */
final class JUnitXmlReportWriter implements ReportWriter {

  private static final String NL = "\n";

  @Override
  public void write(PolicyReport report, Writer out) throws IOException {
    Map<String, Map<Path, List<Violation>>> byRuleAndFile = new LinkedHashMap<>();
    Set<String> ruleIds = new LinkedHashSet<>();
    report.rules().stream().map(RuleDescriptor::id).forEach(ruleIds::add);
    Set<String> extraRuleIds = new TreeSet<>();
    Set<Path> files = new LinkedHashSet<>(report.files());
    for (Violation v : report.violations()) {
      if (!ruleIds.contains(v.ruleId())) {
        extraRuleIds.add(v.ruleId());
      }
      files.add(v.location().file());
      byRuleAndFile
          .computeIfAbsent(v.ruleId(), id -> new LinkedHashMap<>())
          .computeIfAbsent(v.location().file(), f -> new ArrayList<>())
          .add(v);
    }
    ruleIds.addAll(extraRuleIds);

    Set<String> gpuRuleIds = new LinkedHashSet<>();
    report.rules().stream().filter(r -> r.scope() == RuleScope.GPU).map(RuleDescriptor::id).forEach(gpuRuleIds::add);
    Map<String, List<Path>> judgedFiles = new LinkedHashMap<>();
    int tests = 0;
    int failingCases = 0;
    for (String ruleId : ruleIds) {
      Map<Path, List<Violation>> perFile = byRuleAndFile.getOrDefault(ruleId, Map.of());
      List<Path> judged = files.stream()
          .filter(f -> perFile.containsKey(f) || (judgedByKind(report, f, ruleId)
              && (!gpuRuleIds.contains(ruleId) || !notGpu(report, f))))
          .toList();
      judgedFiles.put(ruleId, judged);
      tests += judged.size();
      failingCases += perFile.size();
    }
    StringBuilder sb = new StringBuilder();
    sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>").append(NL);
    sb.append("<testsuites");
    attribute(sb, "name", "gpukit");
    attribute(sb, "tests", String.valueOf(tests));
    attribute(sb, "failures", String.valueOf(failingCases));
    attribute(sb, "errors", "0");
    sb.append('>').append(NL);
    for (String ruleId : ruleIds) {
      Map<Path, List<Violation>> perFile = byRuleAndFile.getOrDefault(ruleId, Map.of());
      List<Path> judged = judgedFiles.get(ruleId);
      sb.append("  <testsuite");
      attribute(sb, "name", ruleId);
      attribute(sb, "tests", String.valueOf(judged.size()));
      attribute(sb, "failures", String.valueOf(perFile.size()));
      attribute(sb, "errors", "0");
      attribute(sb, "skipped", "0");
      if (judged.isEmpty()) {
        sb.append("/>").append(NL);
        continue;
      }
      sb.append('>').append(NL);
      for (Path file : judged) {
        writeTestcase(sb, ruleId, file, perFile.getOrDefault(file, List.of()));
      }
      sb.append("  </testsuite>").append(NL);
    }
    sb.append("</testsuites>").append(NL);
    out.write(sb.toString());
    out.flush();
  }

  /** Whether the report found the file not to be GPU; a file without a scope (one that did not parse) is judged. */
  /** Whether a rule's kind judges a file: no testcase of a Dockerfile rule for a workflow. */
  private static boolean judgedByKind(PolicyReport report, Path file, String ruleId) {
    return report.scopeOf(file).map(scope -> scope.isJudgedBy(ruleId)).orElse(true);
  }

  private static boolean notGpu(PolicyReport report, Path file) {
    return report.scopeOf(file).map(scope -> !scope.gpu()).orElse(false);
  }

  private static void writeTestcase(StringBuilder sb, String ruleId, Path file, List<Violation> violations) {
    sb.append("    <testcase");
    attribute(sb, "classname", ruleId);
    attribute(sb, "name", SourceLocation.renderPath(file));
    if (violations.isEmpty()) {
      sb.append("/>").append(NL);
      return;
    }
    sb.append('>').append(NL);
    Severity worst =
        violations.stream().map(Violation::severity).min(Comparator.naturalOrder()).orElseThrow();
    String message = TextReportWriter.line(violations.get(0));
    if (violations.size() > 1) {
      message += " (and " + (violations.size() - 1) + " more)";
    }
    sb.append("      <failure");
    attribute(sb, "message", message);
    attribute(sb, "type", worst.label());
    sb.append('>');
    StringBuilder text = new StringBuilder();
    for (Violation v : violations) {
      text.append(TextReportWriter.line(v)).append(NL);
      if (!v.hint().isEmpty()) {
        text.append("  hint: ").append(TextReportWriter.clean(v.hint())).append(NL);
      }
    }
    escape(sb, text.toString(), false);
    sb.append("</failure>").append(NL);
    sb.append("    </testcase>").append(NL);
  }

  private static void attribute(StringBuilder sb, String name, String value) {
    sb.append(' ').append(name).append("=\"");
    escape(sb, value, true);
    sb.append('"');
  }

  /** Escapes markup, writes non-ASCII as character references and replaces what XML 1.0 forbids. */
  static void escape(StringBuilder sb, String s, boolean inAttribute) {
    s.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '&':
                  sb.append("&amp;");
                  break;
                case '<':
                  sb.append("&lt;");
                  break;
                case '>':
                  sb.append("&gt;");
                  break;
                case '"':
                  sb.append(inAttribute ? "&quot;" : "\"");
                  break;
                case '\r':
                  sb.append("&#13;");
                  break;
                case '\n':
                case '\t':
                  if (inAttribute) {
                    sb.append("&#").append(cp).append(';');
                  } else {
                    sb.append((char) cp);
                  }
                  break;
                default:
                  if (!isXmlChar(cp)) {
                    sb.append(String.format("\\u%04X", cp));
                  } else if (cp > 0x7E) {
                    sb.append(String.format("&#x%X;", cp));
                  } else {
                    sb.append((char) cp);
                  }
              }
            });
  }

  /** Whether XML 1.0 allows the code point at all (tab, newline and return are handled before). */
  private static boolean isXmlChar(int cp) {
    return (cp >= 0x20 && cp <= 0xD7FF)
        || (cp >= 0xE000 && cp <= 0xFFFD)
        || (cp >= 0x10000 && cp <= 0x10FFFF);
  }
}

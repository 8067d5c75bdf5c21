package io.gpukit.core.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.RuleScope;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceLocation;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@link ReportFormat#SARIF} writer: one SARIF 2.1.0 run, with every rule of the report under
 * {@code tool.driver.rules} and one result per violation that counts.
 *
 * <p>Each rule's {@code properties} say what it judges: {@code "gpukit-scope": "gpu"} for a rule
 * that judges GPU artifacts only (a GPU image, job or container), {@code "all"} for hygiene that
 * holds for every artifact of its kind. A GPU rule is also tagged {@code gpu}, after its kind, so
 * that code scanning can filter its alerts.
 *
 * <p>Each result carries a {@code gpukit/v1} partial fingerprint, a hash of the rule id, the file
 * and the message (not the line), followed by {@code :n} for the n-th identical violation in the
 * file, so that GitHub code scanning keeps tracking an alert when lines move.
 *
 * <p>A relative path is a relative URI against {@code uriBaseId} {@value #SOURCE_ROOT}, the folder
 * gpukit ran in; an absolute one a {@code file:} URI. A finding at a folder rather than a file (the
 * folder checked, for {@code gpukit/nothing-to-check} and cross-file rules that report at the
 * repository) has the folder's URI, ending with {@code /} ({@code ./} for the folder checked), and
 * no region: a folder has no lines.
 *
 * <p>Suppressed and baselined violations are not written as results: the report does not record
 * whether a suppression came from the source or the configuration, which SARIF requires. Their
 * counts are in the run's {@code properties} ({@code suppressed}, {@code baselined}).
 */
final class SarifReportWriter implements ReportWriter {

  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String SARIF_VERSION = "2.1.0";
  static final String TOOL_NAME = "gpukit";
  static final String INFORMATION_URI = "https://github.com/gpukit/gpukit";
  static final String FALLBACK_VERSION = "0.1.0-SNAPSHOT";
  static final String FINGERPRINT = "gpukit/v1";
  /** The rule property that says what the rule judges: {@code gpu} (GPU artifacts only) or {@code all}. */
  static final String SCOPE_PROPERTY = "gpukit-scope";
  /**
   * The base of every relative artifact URI: the folder gpukit ran in, against which the paths it
   * was given are relative (in CI, the checkout), as GitHub code scanning reads relative URIs.
   */
  static final String SOURCE_ROOT = "%SRCROOT%";

  @Override
  public void write(PolicyReport report, Writer out) throws IOException {
    JsonReportWriter.writeTree(toSarif(report), out);
  }

  static ObjectNode toSarif(PolicyReport report) {
    ObjectNode root = JsonReportWriter.MAPPER.createObjectNode();
    root.put("$schema", SCHEMA);
    root.put("version", SARIF_VERSION);
    ObjectNode run = root.putArray("runs").addObject();

    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", TOOL_NAME);
    driver.put("informationUri", INFORMATION_URI);
    driver.put("version", toolVersion());
    ArrayNode rules = driver.putArray("rules");
    Map<String, Integer> ruleIndex = new HashMap<>();
    for (RuleDescriptor rule : report.rules()) {
      ruleIndex.put(rule.id(), rules.size());
      writeRule(rule, rules.addObject());
    }

    run.put("columnKind", "unicodeCodePoints");
    ArrayNode results = run.putArray("results");
    Map<String, Integer> occurrences = new HashMap<>();
    for (Violation v : report.violations()) {
      writeResult(v, ruleIndex, occurrences, results.addObject());
    }

    ObjectNode properties = run.putObject("properties");
    properties.put("suppressed", report.suppressed().size());
    properties.put("baselined", report.baselined().size());
    return root;
  }

  private static void writeRule(RuleDescriptor rule, ObjectNode node) {
    node.put("id", rule.id());
    node.put("name", pascalCase(rule.id()));
    node.putObject("shortDescription").put("text", rule.description());
    String full = rule.rationale().isEmpty() ? rule.description() : rule.rationale();
    node.putObject("fullDescription").put("text", full);
    ObjectNode help = node.putObject("help");
    help.put("text", helpText(rule, full));
    help.put("markdown", helpMarkdown(rule, full));
    node.putObject("defaultConfiguration").put("level", level(rule.severity()));
    ObjectNode properties = node.putObject("properties");
    ArrayNode tags = properties.putArray("tags").add(kindOf(rule.id()));
    if (rule.scope() == RuleScope.GPU) {
      tags.add("gpu"); // code scanning filters alerts by tag
    }
    properties.put(SCOPE_PROPERTY, scopeLabel(rule.scope()));
  }

  private static void writeResult(
      Violation v, Map<String, Integer> ruleIndex, Map<String, Integer> occurrences, ObjectNode node) {
    node.put("ruleId", v.ruleId());
    Integer index = ruleIndex.get(v.ruleId());
    if (index != null) {
      node.put("ruleIndex", index);
    }
    node.put("level", level(v.severity()));
    String text = v.hint().isEmpty() ? v.message() : v.message() + "\nhint: " + v.hint();
    node.putObject("message").put("text", text);
    ObjectNode physical = node.putArray("locations").addObject().putObject("physicalLocation");
    Path file = v.location().file();
    boolean folder = isFolder(file);
    ObjectNode artifact = physical.putObject("artifactLocation");
    artifact.put("uri", folder ? folderUri(file) : uri(file));
    if (!file.isAbsolute()) {
      artifact.put("uriBaseId", SOURCE_ROOT);
    }
    if (!folder) {
      ObjectNode region = physical.putObject("region");
      region.put("startLine", v.location().line());
      region.put("startColumn", v.location().column());
    }
    String hash = fingerprint(v);
    int n = occurrences.merge(hash, 1, Integer::sum);
    node.putObject("partialFingerprints").put(FINGERPRINT, hash + ":" + n);
  }

  /** {@code gpu} for a rule that judges GPU artifacts only, {@code all} for hygiene. */
  static String scopeLabel(RuleScope scope) {
    return scope.name().toLowerCase(Locale.ROOT);
  }

  /** The SARIF level of a severity: {@code error}, {@code warning} or {@code note}. */
  static String level(Severity severity) {
    switch (severity) {
      case ERROR:
        return "error";
      case WARNING:
        return "warning";
      case INFO:
        return "note";
      default:
        throw new AssertionError(severity);
    }
  }

  /** {@code dockerfile/final-stage-non-root} becomes {@code FinalStageNonRoot}. */
  static String pascalCase(String ruleId) {
    String name = ruleId.substring(ruleId.indexOf('/') + 1);
    StringBuilder sb = new StringBuilder(name.length());
    boolean upper = true;
    for (char c : name.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  private static String kindOf(String ruleId) {
    return ruleId.substring(0, ruleId.indexOf('/'));
  }

  private static String helpText(RuleDescriptor rule, String full) {
    StringBuilder sb = new StringBuilder(full);
    if (!rule.failingExample().isEmpty()) {
      sb.append("\n\nFailing:\n").append(indent(rule.failingExample()));
    }
    if (!rule.fixedExample().isEmpty()) {
      sb.append("\n\nFixed:\n").append(indent(rule.fixedExample()));
    }
    if (!rule.related().isEmpty()) {
      sb.append("\n\nRelated: ").append(rule.related());
    }
    return sb.toString();
  }

  private static String helpMarkdown(RuleDescriptor rule, String full) {
    StringBuilder sb = new StringBuilder(full);
    if (!rule.failingExample().isEmpty()) {
      sb.append("\n\n**Failing**\n\n").append(fenced(rule.failingExample()));
    }
    if (!rule.fixedExample().isEmpty()) {
      sb.append("\n\n**Fixed**\n\n").append(fenced(rule.fixedExample()));
    }
    if (!rule.related().isEmpty()) {
      sb.append("\n\n**Related:** ").append(rule.related());
    }
    return sb.toString();
  }

  private static String indent(String block) {
    return "    " + trimBlankLines(block).replace("\n", "\n    ");
  }

  /** The block without leading and trailing blank lines, keeping the first line's indentation. */
  private static String trimBlankLines(String block) {
    return block.replace("\r\n", "\n").replaceAll("^(?:[ \t]*\n)+", "").stripTrailing();
  }

  /** A fenced code block whose fence is longer than any run of backticks inside it. */
  private static String fenced(String block) {
    int longest = 0;
    int run = 0;
    for (char c : block.toCharArray()) {
      run = c == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    String fence = "`".repeat(Math.max(3, longest + 1));
    return fence + "\n" + trimBlankLines(block) + "\n" + fence;
  }

  /**
   * The artifact URI of a file: a relative reference with {@code /} separators for a relative path,
   * a {@code file:} URI for an absolute one; anything outside the unreserved characters is
   * percent-encoded as UTF-8.
   */
  static String uri(Path file) {
    if (file.isAbsolute()) {
      return file.toUri().toASCIIString();
    }
    String path = SourceLocation.renderPath(file.normalize());
    StringBuilder sb = new StringBuilder(path.length());
    path.codePoints()
        .forEach(
            cp -> {
              if (isPlain(cp)) {
                sb.append((char) cp);
              } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                  sb.append('%').append(String.format("%02X", b & 0xFF));
                }
              }
            });
    return sb.toString();
  }

  /**
   * Whether a location is a folder rather than a file: the folder checked ({@code .}, which
   * normalizes to the empty path) or one that exists as a directory. {@code
   * gpukit/nothing-to-check} and cross-file rules that have no better place report at the folder.
   */
  static boolean isFolder(Path file) {
    return file.normalize().toString().isEmpty() || Files.isDirectory(file);
  }

  /**
   * The artifact URI of a folder: as {@link #uri(Path)}, ending with {@code /}; the folder checked
   * itself is {@code ./}, never the empty reference, which names no artifact.
   */
  static String folderUri(Path folder) {
    String uri = uri(folder);
    if (uri.isEmpty()) {
      return "./";
    }
    return uri.endsWith("/") ? uri : uri + "/";
  }

  /** Unreserved characters, {@code /}, and the sub-delimiters safe in a path; never {@code :}. */
  private static boolean isPlain(int cp) {
    return (cp >= 'a' && cp <= 'z')
        || (cp >= 'A' && cp <= 'Z')
        || (cp >= '0' && cp <= '9')
        || "-._~/!$&'()*+,;=@".indexOf(cp) >= 0;
  }

  /** A hash of the rule id, the file and the message, stable across line moves. */
  private static String fingerprint(Violation v) {
    String key =
        String.join(
            "\0",
            List.of(v.ruleId(), SourceLocation.renderPath(v.location().file()), v.message()));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 16; i++) {
        sb.append(String.format("%02x", digest[i] & 0xFF));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides SHA-256", e);
    }
  }

  private static String toolVersion() {
    String version = SarifReportWriter.class.getPackage().getImplementationVersion();
    return version == null || version.isBlank() ? FALLBACK_VERSION : version;
  }
}

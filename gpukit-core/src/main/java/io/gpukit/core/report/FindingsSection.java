package io.gpukit.core.report;

import static org.owasp.encoder.Encode.forHtml;
import static org.owasp.encoder.Encode.forHtmlAttribute;

import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.source.SourceParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The HTML report's findings, grouped by file, each with a few lines of its source (the line
 * marked), its hint and a link to its rule; then the rules they break, with their explanation.
 * A source that cannot be read (gone, binary, over 2 MiB) is left out, not an error.
 */
final class FindingsSection {

  private static final int CONTEXT_LINES = 2;
  private static final long MAX_SOURCE_BYTES = 2L * 1024 * 1024;

  private final StringBuilder sb;
  private final PolicyReport report;
  private final Map<Violation, Integer> index;
  private final Map<Path, Optional<List<String>>> sources = new HashMap<>();

  FindingsSection(StringBuilder sb, PolicyReport report, Map<Violation, Integer> index) {
    this.sb = sb;
    this.report = report;
    this.index = index;
  }

  void findings() {
    sb.append("<section id=\"findings\">\n<h2>Findings</h2>\n");
    if (report.violations().isEmpty()) {
      sb.append("<p>No findings.</p>\n");
    }
    Map<String, List<Violation>> byFile = new LinkedHashMap<>();
    for (Violation v : report.violations()) {
      byFile.computeIfAbsent(SourceLocation.renderPath(v.location().file()), f -> new ArrayList<>()).add(v);
    }
    byFile.forEach((file, list) -> {
      sb.append("<h3>").append(forHtml(file)).append("</h3>\n<table class=\"findings\">\n<caption>")
          .append(list.size()).append(list.size() == 1 ? " finding in " : " findings in ").append(forHtml(file))
          .append("</caption>\n<thead><tr><th scope=\"col\">Line</th><th scope=\"col\">Severity</th>")
          .append("<th scope=\"col\">Finding</th><th scope=\"col\">Rule</th></tr></thead>\n<tbody>\n");
      for (Violation v : list) {
        sb.append("<tr class=\"finding\" id=\"f-").append(index.get(v)).append("\"><th scope=\"row\">")
            .append(v.location().line()).append(':').append(v.location().column()).append("</th><td class=\"sev-")
            .append(v.severity().label()).append("\">").append(v.severity().label()).append("</td><td>")
            .append(forHtml(v.message()));
        excerpt(v.location());
        if (!v.hint().isEmpty()) {
          sb.append("<div class=\"hint\">hint: ").append(forHtml(v.hint())).append("</div>");
        }
        sb.append("</td><td><a href=\"#rule-").append(forHtmlAttribute(v.ruleId())).append("\">")
            .append(forHtml(v.ruleId())).append("</a></td></tr>\n");
      }
      sb.append("</tbody>\n</table>\n");
    });
    sb.append("</section>\n");
  }

  private void excerpt(SourceLocation at) {
    Optional<List<String>> lines = sources.computeIfAbsent(at.file().toAbsolutePath().normalize(), FindingsSection::readLines);
    if (lines.isEmpty() || at.line() < 1 || at.line() > lines.get().size()) {
      return;
    }
    List<String> all = lines.get();
    int from = Math.max(1, at.line() - CONTEXT_LINES);
    int to = Math.min(all.size(), at.line() + CONTEXT_LINES);
    int digits = String.valueOf(to).length();
    sb.append("<pre class=\"src\">");
    for (int n = from; n <= to; n++) {
      String text = all.get(n - 1);
      if (text.length() > 300) {
        text = text.substring(0, 300) + " …";
      }
      sb.append("<span").append(n == at.line() ? " class=\"hit\"" : "").append('>')
          .append(String.format("%" + digits + "d", n)).append(n == at.line() ? " &gt; " : "   ")
          .append(forHtml(text)).append("</span>");
    }
    sb.append("</pre>");
  }

  private static Optional<List<String>> readLines(Path file) {
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_SOURCE_BYTES) {
        return Optional.empty();
      }
      return Optional.of(SourceFile.read(file, MAX_SOURCE_BYTES).lines());
    } catch (IOException | SourceParseException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  void rules() {
    Map<String, RuleDescriptor> used = new TreeMap<>();
    for (Violation v : report.violations()) {
      report.rules().stream().filter(r -> r.id().equals(v.ruleId())).findFirst().ifPresent(r -> used.putIfAbsent(r.id(), r));
    }
    if (used.isEmpty()) {
      return;
    }
    sb.append("<section id=\"rules\">\n<h2>Rules</h2>\n<dl>\n");
    for (RuleDescriptor r : used.values()) {
      sb.append("<dt id=\"rule-").append(forHtmlAttribute(r.id())).append("\">").append(forHtml(r.id())).append(" <small>(")
          .append(r.severity().label()).append(")</small></dt>\n<dd>").append(forHtml(r.description()));
      if (!r.rationale().isEmpty()) {
        sb.append("<br>").append(forHtml(r.rationale()));
      }
      sb.append("<br><small>gpukit explain ").append(forHtml(r.id())).append("</small></dd>\n");
    }
    sb.append("</dl>\n</section>\n");
  }
}

package io.gpukit.core.report;

import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceLocation;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;

/**
 * The {@link ReportFormat#TEXT} writer: one {@code file:line:col: severity: message [rule-id]} line
 * per violation, its hint indented below, a blank line between files, then the summary.
 *
 * <p>Line breaks inside a message or hint continue on indented lines, and other control
 * characters are shown as Java-style unicode escapes, so a quoted value can never forge a
 * violation line or drive the terminal.
 */
final class TextReportWriter implements ReportWriter {

  private static final String NL = "\n";
  private static final String CONTINUATION = NL + "    ";

  @Override
  public void write(PolicyReport report, Writer out) throws IOException {
    StringBuilder sb = new StringBuilder();
    Path previousFile = null;
    for (Violation v : report.violations()) {
      Path file = v.location().file();
      if (previousFile != null && !previousFile.equals(file)) {
        sb.append(NL);
      }
      previousFile = file;
      sb.append(line(v)).append(NL);
      if (!v.hint().isEmpty()) {
        sb.append("  hint: ").append(clean(v.hint())).append(NL);
      }
    }
    if (report.hasViolations()) {
      sb.append(NL);
    } else {
      sb.append("No violations. ");
    }
    sb.append(report.summary()).append(NL);
    out.write(sb.toString());
    out.flush();
  }

  /** The violation as {@link Violation#render()} prints it, with its texts made safe. */
  static String line(Violation v) {
    return clean(SourceLocation.renderPath(v.location().file()))
        + ":" + v.location().line()
        + ":" + v.location().column()
        + ": " + v.severity().label()
        + ": " + clean(v.message())
        + " [" + v.ruleId() + "]";
  }

  /** Indents line breaks and shows other control characters as unicode escapes. */
  static String clean(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r') {
        if (i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          i++;
        }
        sb.append(CONTINUATION);
      } else if (c == '\n' || c == '\u2028' || c == '\u2029' || c == '\u0085') {
        sb.append(CONTINUATION);
      } else if (c != '\t' && (Character.getType(c) == Character.CONTROL)) {
        sb.append(String.format("\\u%04X", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}

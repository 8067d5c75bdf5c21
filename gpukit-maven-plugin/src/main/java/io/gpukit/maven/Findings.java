package io.gpukit.maven;

import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the plugin prints: the findings on the console and the message a failing build ends with. */
final class Findings {

  private Findings() {}

  /** {@code file:line: message [rule]}, as a failing build lists each finding; control characters become {@code ?}. */
  static String line(Violation v) {
    SourceLocation at = v.location();
    return clean(SourceLocation.renderPath(at.file()) + ":" + at.line() + ": " + v.message() + " [" + v.ruleId() + "]");
  }

  /** A finding's console lines: the rendered finding ({@code file:line:col: severity: …}), then its hint. */
  static List<String> consoleLines(Violation v) {
    List<String> lines = new ArrayList<>();
    lines.add(clean(v.render()));
    if (!v.hint().isEmpty()) {
      lines.add(clean("  hint: " + v.hint()));
    }
    return lines;
  }

  /**
   * The failure message: how many findings and which severities failed the build and where, then
   * each failing finding, one a line, then where the reports are.
   */
  static String failure(CheckRun.Outcome outcome, String where, List<String> reportFiles) {
    Severity threshold = outcome.failOn().severity().orElseThrow();
    PolicyReport report = outcome.report();
    List<String> counts = new ArrayList<>();
    for (Severity s : Severity.values()) {
      int n = report.count(s);
      if (n > 0 && s.isAtLeast(threshold)) {
        counts.add(plural(n, s));
      }
    }
    StringBuilder sb = new StringBuilder();
    long failing = outcome.failing();
    sb.append("gpukit found ").append(failing).append(failing == 1 ? " finding" : " findings")
        .append(" at or above failOn '").append(FailOn.of(Optional.of(threshold)).label()).append("' in ")
        .append(where).append(" (").append(String.join(", ", counts)).append("):");
    report.violations().stream()
        .filter(v -> v.severity().isAtLeast(threshold))
        .sorted()
        .forEach(v -> sb.append(System.lineSeparator()).append(line(v)));
    if (!reportFiles.isEmpty()) {
      sb.append(System.lineSeparator()).append("Reports: ").append(String.join(", ", reportFiles));
    }
    return sb.toString();
  }

  static String plural(int n, Severity s) {
    return n + " " + s.label() + (n == 1 || s == Severity.INFO ? "" : "s");
  }

  private static String clean(String text) {
    return text.replaceAll("\\p{Cntrl}", "?");
  }
}

package io.gpukit.core.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The formats a {@link io.gpukit.core.policy.PolicyReport} can be written in.
 *
 * <pre>{@code
 * ReportFormat.fromName("sarif").writer().write(report, out);
 * }</pre>
 *
 * @since 0.1.0
 */
public enum ReportFormat {
  /** Human-readable lines, {@code file:line:col: severity: message [rule-id]}, then a summary. */
  TEXT,
  /** A stable JSON document for scripts. */
  JSON,
  /** SARIF 2.1.0, as GitHub code scanning and IDEs read it. */
  SARIF,
  /** JUnit XML, as CI test reporters (Jenkins, GitLab, GitHub Actions) read it. */
  JUNIT,
  /** One self-contained HTML page, for people: see {@link HtmlReportWriter}. */
  HTML;

  /** The lower-case name accepted by {@link #fromName(String)}: {@code text}, {@code json}, {@code sarif}, {@code junit}, {@code html}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A new writer for this format. */
  public ReportWriter writer() {
    switch (this) {
      case TEXT:
        return new TextReportWriter();
      case JSON:
        return new JsonReportWriter();
      case SARIF:
        return new SarifReportWriter();
      case JUNIT:
        return new JUnitXmlReportWriter();
      case HTML:
        return new HtmlReportWriter();
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * Parses a format name, ignoring case and surrounding blanks; {@code junit-xml} is accepted for
   * {@link #JUNIT}.
   *
   * @param name the name, e.g. {@code sarif}
   * @return the format
   * @throws IllegalArgumentException naming the accepted names
   */
  public static ReportFormat fromName(String name) {
    Objects.requireNonNull(name, "name");
    String wanted = name.trim();
    if (wanted.equalsIgnoreCase("junit-xml")) {
      return JUNIT;
    }
    for (ReportFormat f : values()) {
      if (f.label().equalsIgnoreCase(wanted)) {
        return f;
      }
    }
    String names =
        Arrays.stream(values()).map(ReportFormat::label).collect(Collectors.joining(", "));
    throw new IllegalArgumentException(
        "unknown report format '" + name + "': expected one of " + names + " (or junit-xml)");
  }
}

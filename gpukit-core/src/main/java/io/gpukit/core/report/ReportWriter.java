package io.gpukit.core.report;

import io.gpukit.core.policy.PolicyReport;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes a {@link PolicyReport} in one {@link ReportFormat}.
 *
 * <p>Writers are stateless and thread-safe; the same report always gives the same output, with
 * {@code \n} line endings whatever the platform.
 *
 * @since 0.1.0
 */
public interface ReportWriter {

  /**
   * Writes {@code report} to {@code out}, then flushes it; {@code out} is left open.
   *
   * <p>The JSON, SARIF and JUnit XML formats are meant to be stored as UTF-8.
   *
   * @param report the report to write
   * @param out where to write it
   * @throws IOException when {@code out} fails
   */
  void write(PolicyReport report, Writer out) throws IOException;

  /**
   * Renders {@code report} to a string.
   *
   * @param report the report to render
   * @return what {@link #write(PolicyReport, Writer)} would write
   */
  default String render(PolicyReport report) {
    StringWriter out = new StringWriter();
    try {
      write(report, out);
    } catch (IOException e) {
      throw new UncheckedIOException("a StringWriter cannot fail", e);
    }
    return out.toString();
  }
}

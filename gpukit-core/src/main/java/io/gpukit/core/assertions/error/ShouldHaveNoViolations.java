package io.gpukit.core.assertions.error;

import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Violation;
import java.util.stream.Collectors;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Creates the message for a report that was expected to be clean.
 *
 * @since 0.1.0
 */
public final class ShouldHaveNoViolations extends BasicErrorMessageFactory {

  /** Creates the message factory. */
  public static ErrorMessageFactory shouldHaveNoViolations(PolicyReport report) {
    String listing =
        report.violations().stream()
            .map(v -> v.renderWithHint().replace("%", "%%"))
            .collect(Collectors.joining("%n  "));
    return new ShouldHaveNoViolations(
        "%nExpecting a gpukit report with no violations but found " + report.violations().size() + ":%n  "
            + listing + "%n" + report.summary().replace("%", "%%"));
  }

  private ShouldHaveNoViolations(String format) {
    super(format);
  }

  static String render(Violation v) {
    return v.render();
  }
}

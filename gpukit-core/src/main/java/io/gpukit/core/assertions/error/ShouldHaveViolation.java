package io.gpukit.core.assertions.error;

import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Violation;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Creates the messages for a violation that was expected but is missing or elsewhere.
 *
 * @since 0.1.0
 */
public final class ShouldHaveViolation extends BasicErrorMessageFactory {

  /** The report has no violation of the rule. */
  public static ErrorMessageFactory shouldHaveViolation(PolicyReport report, String ruleId) {
    return new ShouldHaveViolation(
        "%nExpecting actual:%n  %s%nto have a violation of%n  %s%nbut it has none. Its violations:%n  "
            + listing(report.violations()),
        report.summary(),
        ruleId);
  }

  /** The rule's violations are on other lines. */
  public static ErrorMessageFactory shouldHaveViolationAtLine(List<Violation> ofRule, String ruleId, int line) {
    return new ShouldHaveViolation(
        "%nExpecting a violation of%n  %s%nat line%n  %s%nbut its violations are at:%n  " + listing(ofRule),
        ruleId,
        line);
  }

  /** The rule has violations but none with the expected message text. */
  public static ErrorMessageFactory shouldHaveViolationWithMessage(List<Violation> ofRule, String ruleId, String text) {
    return new ShouldHaveViolation(
        "%nExpecting a violation of%n  %s%nwith a message containing%n  %s%nbut its violations are:%n  "
            + listing(ofRule),
        ruleId,
        text);
  }

  private static String listing(List<Violation> violations) {
    if (violations.isEmpty()) {
      return "(none)";
    }
    return violations.stream().map(v -> v.render().replace("%", "%%")).collect(Collectors.joining("%n  "));
  }

  private ShouldHaveViolation(String format, Object... arguments) {
    super(format, arguments);
  }
}

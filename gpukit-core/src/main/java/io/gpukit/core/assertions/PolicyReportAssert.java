package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldHaveNoViolations.shouldHaveNoViolations;
import static io.gpukit.core.assertions.error.ShouldHaveViolation.shouldHaveViolation;

import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link PolicyReport}.
 *
 * <pre>{@code
 * // passes when nothing counts
 * assertThat(report).hasNoViolations();
 * // passes when the rule fired on line 3; fails listing where it fired instead
 * assertThat(report).hasViolation("dockerfile/final-stage-non-root").atLine(3);
 * }</pre>
 *
 * @since 0.1.0
 */
public class PolicyReportAssert extends AbstractAssert<PolicyReportAssert, PolicyReport> {

  /** Creates the assertion; use {@link GpuKitAssertions#assertThat(PolicyReport)}. */
  public PolicyReportAssert(PolicyReport actual) {
    super(actual, PolicyReportAssert.class);
  }

  /** Verifies that no violation counts; the failure lists each one with its hint. */
  public PolicyReportAssert hasNoViolations() {
    isNotNull();
    if (actual.hasViolations()) {
      throw assertionError(shouldHaveNoViolations(actual));
    }
    return myself;
  }

  /** Verifies that nothing at or above {@code threshold} counts. */
  public PolicyReportAssert hasNoViolationsAtOrAbove(Severity threshold) {
    isNotNull();
    if (threshold == null) {
      throw new IllegalArgumentException("threshold must not be null");
    }
    List<Violation> failing =
        actual.violations().stream().filter(v -> v.severity().isAtLeast(threshold)).toList();
    if (!failing.isEmpty()) {
      throw assertionError(
          shouldHaveNoViolations(
              new PolicyReport(actual.files(), failing, actual.rules(), actual.suppressed(), actual.baselined())));
    }
    return myself;
  }

  /** Verifies that the rule fired, and returns assertions on its violations. */
  public ViolationsAssert hasViolation(String ruleId) {
    isNotNull();
    if (ruleId == null || ruleId.isBlank()) {
      throw new IllegalArgumentException("ruleId must not be blank");
    }
    List<Violation> ofRule = actual.violationsOf(ruleId);
    if (ofRule.isEmpty()) {
      throw assertionError(shouldHaveViolation(actual, ruleId));
    }
    return new ViolationsAssert(ruleId, ofRule);
  }

  /** Verifies that the rule did not fire. */
  public PolicyReportAssert doesNotHaveViolation(String ruleId) {
    isNotNull();
    List<Violation> ofRule = actual.violationsOf(ruleId);
    if (!ofRule.isEmpty()) {
      throw assertionError(
          shouldHaveNoViolations(
              new PolicyReport(actual.files(), ofRule, actual.rules(), actual.suppressed(), actual.baselined())));
    }
    return myself;
  }
}

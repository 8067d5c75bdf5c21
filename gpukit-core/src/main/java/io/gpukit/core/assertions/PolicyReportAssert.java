package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldHaveNoViolations.shouldHaveNoViolations;
import static io.gpukit.core.assertions.error.ShouldHaveViolation.shouldHaveViolation;

import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import java.util.List;
import java.util.function.Supplier;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;

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

  private SoftAssertionsProvider softly;

  /** Creates the assertion; use {@link GpuKitAssertions#assertThat(PolicyReport)}. */
  public PolicyReportAssert(PolicyReport actual) {
    super(actual, PolicyReportAssert.class);
  }

  /** Navigates from another assertion to the report it produced. */
  static PolicyReportAssert navigate(SoftAssertionsProvider softly, Supplier<PolicyReport> check) {
    return Navigation.to(
        softly, PolicyReportAssert.class, PolicyReport.class, check, PolicyReportAssert::new,
        child -> child.collectingInto(softly));
  }

  /** Makes the assertions this one navigates to collect their failures into {@code softly}. */
  void collectingInto(SoftAssertionsProvider softAssertions) {
    this.softly = softAssertions;
  }

  /** Verifies that no violation counts; the failure lists each one with its hint. */
  public PolicyReportAssert hasNoViolations() {
    isNotNull();
    if (actual.hasViolations()) {
      throw assertionError(shouldHaveNoViolations(actual));
    }
    return myself;
  }

  /**
   * Verifies that nothing at or above {@code threshold} counts.
   *
   * @throws NullPointerException if {@code threshold} is null
   */
  public PolicyReportAssert hasNoViolationsAtOrAbove(Severity threshold) {
    Arguments.requireNonNull(threshold, "threshold");
    isNotNull();
    List<Violation> failing =
        actual.violations().stream().filter(v -> v.severity().isAtLeast(threshold)).toList();
    if (!failing.isEmpty()) {
      throw assertionError(shouldHaveNoViolations(only(failing)));
    }
    return myself;
  }

  /**
   * Verifies that the rule fired, and returns assertions on its violations.
   *
   * @throws NullPointerException if {@code ruleId} is null
   * @throws IllegalArgumentException if {@code ruleId} is blank
   */
  public ViolationsAssert hasViolation(String ruleId) {
    Arguments.requireNonBlank(ruleId, "rule id");
    return ViolationsAssert.navigate(
        softly,
        ruleId,
        () -> {
          isNotNull();
          List<Violation> ofRule = actual.violationsOf(ruleId);
          if (ofRule.isEmpty()) {
            throw assertionError(shouldHaveViolation(actual, ruleId));
          }
          return ofRule;
        });
  }

  /**
   * Verifies that the rule did not fire.
   *
   * @throws NullPointerException if {@code ruleId} is null
   * @throws IllegalArgumentException if {@code ruleId} is blank
   */
  public PolicyReportAssert doesNotHaveViolation(String ruleId) {
    Arguments.requireNonBlank(ruleId, "rule id");
    isNotNull();
    List<Violation> ofRule = actual.violationsOf(ruleId);
    if (!ofRule.isEmpty()) {
      throw assertionError(shouldHaveNoViolations(only(ofRule)));
    }
    return myself;
  }

  private PolicyReport only(List<Violation> violations) {
    return new PolicyReport(actual.files(), violations, actual.rules(), actual.suppressed(), actual.baselined());
  }
}

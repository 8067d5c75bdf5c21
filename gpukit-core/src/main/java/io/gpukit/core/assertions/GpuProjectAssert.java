package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldHaveNoProjectViolations.shouldHaveArtifacts;
import static io.gpukit.core.assertions.error.ShouldHaveNoProjectViolations.shouldHaveNoViolations;
import static io.gpukit.core.assertions.error.ShouldHaveViolation.shouldHaveViolation;

import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.project.GpuProject;
import java.util.List;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Assertions on a {@link GpuProject}: a repository checked file by file and across files.
 *
 * <pre>{@code
 * // passes when no rule is broken; fails listing every violation as file:line:col with its hint
 * assertThat(GpuProject.scan(Path.of("."))).hasNoViolations();
 * // passes when nothing reaches gpukit.yaml's fail-on (error by default), as 'gpukit check' exits 0
 * assertThat(GpuProject.scan(Path.of("."))).passesCheck();
 * // passes when the cross-file rule fired on that line
 * assertThat(project).hasViolation("project/probe-matches-healthcheck").atLine(33);
 * }</pre>
 *
 * <p>A project in which nothing was found (a wrong path) has a {@code gpukit/nothing-to-check}
 * error, so it fails {@link #hasNoViolations()} and {@link #passesCheck()} instead of passing every
 * rule unchecked, as {@code gpukit check} fails on it; where an empty folder is expected, {@code
 * gpukit/nothing-to-check: off} under {@code severity:} lets both pass. {@link #hasArtifacts()} asks
 * for artifacts whatever the configuration says.
 *
 * @since 0.1.0
 */
public class GpuProjectAssert extends AbstractAssert<GpuProjectAssert, GpuProject> {

  private SoftAssertionsProvider softly;

  /** Creates the assertion; use {@link GpuKitAssertions#assertThat(GpuProject)}. */
  public GpuProjectAssert(GpuProject actual) {
    super(actual, GpuProjectAssert.class);
  }

  /** Makes the assertions this one navigates to collect their failures into {@code softly}. */
  void collectingInto(SoftAssertionsProvider softAssertions) {
    this.softly = softAssertions;
  }

  /**
   * Verifies that no violation counts, whatever its severity (a project with nothing to check has
   * one, {@code gpukit/nothing-to-check}, unless the configuration turns it off).
   */
  public GpuProjectAssert hasNoViolations() {
    isNotNull();
    if (actual.hasViolations()) {
      throw assertionError(shouldHaveNoViolations(actual, actual.violations(), ""));
    }
    return myself;
  }

  /**
   * Verifies that nothing at or above {@code threshold} counts.
   *
   * @throws NullPointerException if {@code threshold} is null
   */
  public GpuProjectAssert hasNoViolationsAtOrAbove(Severity threshold) {
    Arguments.requireNonNull(threshold, "threshold");
    isNotNull();
    List<Violation> failing = actual.violations().stream().filter(v -> v.severity().isAtLeast(threshold)).toList();
    if (!failing.isEmpty()) {
      throw assertionError(shouldHaveNoViolations(actual, failing, " at or above " + threshold.label()));
    }
    return myself;
  }

  /**
   * Verifies that nothing reaches the configuration's {@code fail-on} threshold: what makes {@code
   * gpukit check} exit 0. With {@code fail-on: never} it passes, as the command does.
   */
  public GpuProjectAssert passesCheck() {
    isNotNull();
    if (actual.config().failOn().isEmpty()) {
      return myself;
    }
    return hasNoViolationsAtOrAbove(actual.config().failOn().get());
  }

  /** Verifies that the scan found at least one artifact. */
  public GpuProjectAssert hasArtifacts() {
    isNotNull();
    if (actual.artifacts().isEmpty()) {
      throw assertionError(shouldHaveArtifacts(actual));
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
          List<Violation> ofRule = actual.report().violationsOf(ruleId);
          if (ofRule.isEmpty()) {
            throw assertionError(shouldHaveViolation(actual.report(), ruleId));
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
  public GpuProjectAssert doesNotHaveViolation(String ruleId) {
    Arguments.requireNonBlank(ruleId, "rule id");
    isNotNull();
    List<Violation> ofRule = actual.report().violationsOf(ruleId);
    if (!ofRule.isEmpty()) {
      throw assertionError(shouldHaveNoViolations(actual, ofRule, " '" + ruleId + "'"));
    }
    return myself;
  }
}

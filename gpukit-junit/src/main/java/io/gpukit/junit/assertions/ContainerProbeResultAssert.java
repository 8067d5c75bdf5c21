package io.gpukit.junit.assertions;

import io.gpukit.junit.ContainerProbeResult;
import io.gpukit.junit.ProbeRoute;
import io.gpukit.probe.ProbeExitCode;
import org.assertj.core.api.AbstractAssert;

import java.time.Duration;
import java.util.Objects;

/**
 * AssertJ assertions on a {@link ContainerProbeResult}; every failure message carries the probe's JSON line.
 *
 * <pre>{@code
 * assertThat(container.probe()).isHealthy()
 *     .check("tensor.roundtrip").tookLessThan(Duration.ofMillis(50));
 * assertThat(container.probe(Map.of("CUDA_VISIBLE_DEVICES", ""))).failedWith(ProbeExitCode.NO_CUDA_DEVICE);
 * }</pre>
 *
 * @since 0.1.0
 */
public class ContainerProbeResultAssert extends AbstractAssert<ContainerProbeResultAssert, ContainerProbeResult> {

  /**
   * Creates an assertion on a probe result.
   *
   * @param actual the result
   * @since 0.1.0
   */
  public ContainerProbeResultAssert(ContainerProbeResult actual) {
    super(actual, ContainerProbeResultAssert.class);
  }

  /**
   * Starts an assertion on a probe result.
   *
   * @param actual the result
   * @return the assertion
   * @since 0.1.0
   */
  public static ContainerProbeResultAssert assertThat(ContainerProbeResult actual) {
    return new ContainerProbeResultAssert(actual);
  }

  /**
   * Verifies that the probe exited 0 with every check passed.
   *
   * @return this assertion
   * @since 0.1.0
   */
  public ContainerProbeResultAssert isHealthy() {
    isNotNull();
    if (!actual.isHealthy()) {
      String failed = actual.failedCheck().map(c -> "; the first failed check is " + c.name() + ": " + c.detail())
          .orElse("");
      failWithMessage("Expected the probe to be healthy (exit 0) but it exited %s%s.%nProbe output: %s",
          describeExit(), failed, actual);
    }
    return this;
  }

  /**
   * Verifies that the probe exited with this code.
   *
   * @param expected the code
   * @return this assertion
   * @since 0.1.0
   */
  public ContainerProbeResultAssert failedWith(ProbeExitCode expected) {
    isNotNull();
    Objects.requireNonNull(expected, "expected");
    if (actual.exitStatus() != expected.code()) {
      failWithMessage("Expected the probe to exit %d (%s: %s) but it exited %s.%nProbe output: %s",
          expected.code(), expected.name(), expected.description(), describeExit(), actual);
    }
    return this;
  }

  /**
   * Verifies which way the result was made: the probe with the image's {@code java}, or the
   * image's HEALTHCHECK where the image has none.
   *
   * @param expected the route's kind
   * @return this assertion
   * @since 0.1.0
   */
  public ContainerProbeResultAssert tookRoute(ProbeRoute.Kind expected) {
    isNotNull();
    Objects.requireNonNull(expected, "expected");
    if (actual.route().map(route -> route.kind() != expected).orElse(true)) {
      failWithMessage("Expected the result to come from %s but it came from %s.%nProbe output: %s", expected,
          actual.route().map(ProbeRoute::describe).orElse("no known route (a parsed result)"), actual);
    }
    return this;
  }

  /**
   * Verifies that the probe printed its JSON line.
   *
   * @return this assertion
   * @since 0.1.0
   */
  public ContainerProbeResultAssert hasJsonLine() {
    isNotNull();
    if (actual.jsonLine().isEmpty()) {
      failWithMessage("Expected the probe to print a JSON line but it did not.%nProbe output: %s", actual);
    }
    return this;
  }

  /**
   * Moves on to one check, which must have run.
   *
   * @param name the check's name, such as {@code tensor.roundtrip}
   * @return an assertion on that check
   * @since 0.1.0
   */
  public CheckAssert check(String name) {
    isNotNull();
    ContainerProbeResult.Check check = actual.check(name).orElse(null);
    if (check == null) {
      failWithMessage("Expected the probe to have run the check '%s' but it ran %s.%nProbe output: %s", name,
          actual.checks().stream().map(ContainerProbeResult.Check::name).toList(), actual);
    }
    return new CheckAssert(check, actual);
  }

  private String describeExit() {
    return actual.exitStatus() + actual.exitCode().map(c -> " (" + c.name() + ")").orElse(" (outside the contract)");
  }

  /**
   * Assertions on one check of a probe run.
   *
   * @since 0.1.0
   */
  public static final class CheckAssert extends AbstractAssert<CheckAssert, ContainerProbeResult.Check> {

    private final ContainerProbeResult result;

    CheckAssert(ContainerProbeResult.Check check, ContainerProbeResult result) {
      super(check, CheckAssert.class);
      this.result = result;
    }

    /**
     * Verifies that the check passed.
     *
     * @return this assertion
     * @since 0.1.0
     */
    public CheckAssert passed() {
      if (!actual.ok()) {
        failWithMessage("Expected the check '%s' to pass but it failed: %s%nProbe output: %s", actual.name(),
            actual.detail(), result);
      }
      return this;
    }

    /**
     * Verifies that the check took less than this long.
     *
     * @param limit the exclusive upper bound
     * @return this assertion
     * @since 0.1.0
     */
    public CheckAssert tookLessThan(Duration limit) {
      Objects.requireNonNull(limit, "limit");
      if (actual.duration().compareTo(limit) >= 0) {
        failWithMessage("Expected the check '%s' to take less than %s but it took %s (%d µs).%nProbe output: %s",
            actual.name(), limit, actual.duration(), actual.micros(), result);
      }
      return this;
    }
  }
}

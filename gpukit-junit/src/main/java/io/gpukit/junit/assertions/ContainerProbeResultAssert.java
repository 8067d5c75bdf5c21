package io.gpukit.junit.assertions;

import static io.gpukit.junit.assertions.error.ShouldBeHealthyProbe.shouldBeHealthy;
import static io.gpukit.junit.assertions.error.ShouldBeHealthyProbe.shouldHaveExitedWith;
import static io.gpukit.junit.assertions.error.ShouldHavePassedCheck.shouldHavePassed;
import static io.gpukit.junit.assertions.error.ShouldHavePassedCheck.shouldHaveRunCheck;
import static io.gpukit.junit.assertions.error.ShouldHavePassedCheck.shouldTakeLessThan;
import static io.gpukit.junit.assertions.error.ShouldHaveProbeOutput.shouldHaveJsonLine;
import static io.gpukit.junit.assertions.error.ShouldHaveProbeOutput.shouldHaveTakenRoute;

import io.gpukit.junit.ContainerProbeResult;
import io.gpukit.junit.ProbeRoute;
import io.gpukit.probe.ProbeExitCode;
import java.time.Duration;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * AssertJ assertions on a {@link ContainerProbeResult}; every failure message carries the probe's
 * output (its JSON line). Reach them through {@link GpuKitJUnitAssertions#assertThat(ContainerProbeResult)}.
 *
 * <pre>{@code
 * // passes when the probe exited 0 and its tensor round trip took under 50 ms
 * assertThat(container.probe()).isHealthy()
 *     .check("tensor.roundtrip").tookLessThan(Duration.ofMillis(50));
 * // passes when the probe, with the GPU hidden, exits 11; fails naming the code it exited with
 * assertThat(container.probe(Map.of("CUDA_VISIBLE_DEVICES", ""))).failedWith(ProbeExitCode.NO_CUDA_DEVICE);
 * }</pre>
 *
 * <p>A null argument throws a {@link NullPointerException} saying "The given … should not be
 * null", before the result is looked at.
 *
 * @since 0.1.0
 */
public class ContainerProbeResultAssert extends AbstractAssert<ContainerProbeResultAssert, ContainerProbeResult> {

  private SoftAssertionsProvider softly;

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
   * Starts an assertion on a probe result; {@link GpuKitJUnitAssertions#assertThat(ContainerProbeResult)}
   * is the same, with gpukit-core's entry points behind the same import.
   *
   * @param actual the result
   * @return the assertion
   * @since 0.1.0
   */
  public static ContainerProbeResultAssert assertThat(ContainerProbeResult actual) {
    return new ContainerProbeResultAssert(actual);
  }

  /** Makes the check assertions this one navigates to collect their failures into {@code softly}. */
  void collectingInto(SoftAssertionsProvider softAssertions) {
    this.softly = softAssertions;
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
      throw assertionError(shouldBeHealthy(actual));
    }
    return myself;
  }

  /**
   * Verifies that the probe exited with this code.
   *
   * @param expected the code
   * @return this assertion
   * @throws NullPointerException if {@code expected} is null
   * @since 0.1.0
   */
  public ContainerProbeResultAssert failedWith(ProbeExitCode expected) {
    requireNonNull(expected, "exit code");
    isNotNull();
    if (actual.exitStatus() != expected.code()) {
      throw assertionError(shouldHaveExitedWith(actual, expected));
    }
    return myself;
  }

  /**
   * Verifies which way the result was made: the probe with the image's {@code java}, or the
   * image's HEALTHCHECK where the image has none.
   *
   * @param expected the route's kind
   * @return this assertion
   * @throws NullPointerException if {@code expected} is null
   * @since 0.1.0
   */
  public ContainerProbeResultAssert tookRoute(ProbeRoute.Kind expected) {
    requireNonNull(expected, "route kind");
    isNotNull();
    if (actual.route().map(route -> route.kind() != expected).orElse(true)) {
      throw assertionError(shouldHaveTakenRoute(actual, expected));
    }
    return myself;
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
      throw assertionError(shouldHaveJsonLine(actual));
    }
    return myself;
  }

  /**
   * Moves on to one check, which must have run. Under soft assertions a check that did not run is
   * collected and the returned assertion is on {@code null}.
   *
   * @param name the check's name, such as {@code tensor.roundtrip}
   * @return an assertion on that check
   * @throws NullPointerException if {@code name} is null
   * @since 0.1.0
   */
  public CheckAssert check(String name) {
    requireNonNull(name, "check name");
    ContainerProbeResult.Check check;
    try {
      isNotNull();
      check = actual.check(name).orElse(null);
      if (check == null) {
        throw assertionError(shouldHaveRunCheck(actual, name));
      }
    } catch (AssertionError missing) {
      if (softly == null) {
        throw missing;
      }
      softly.collectAssertionError(missing);
      check = null;
    }
    CheckAssert child = softly == null
        ? new CheckAssert(check)
        : softly.proxy(CheckAssert.class, ContainerProbeResult.Check.class, check);
    child.of(actual);
    return child;
  }

  static <T> T requireNonNull(T value, String name) {
    if (value == null) {
      throw new NullPointerException("The given " + name + " should not be null");
    }
    return value;
  }

  /**
   * Assertions on one check of a probe run.
   *
   * @since 0.1.0
   */
  public static class CheckAssert extends AbstractAssert<CheckAssert, ContainerProbeResult.Check> {

    private ContainerProbeResult result;

    /**
     * Creates an assertion on a check; {@link ContainerProbeResultAssert#check(String)} reaches it
     * with the probe's output for the failure messages.
     *
     * @param check the check
     * @since 0.1.0
     */
    public CheckAssert(ContainerProbeResult.Check check) {
      super(check, CheckAssert.class);
    }

    /** Names the probe run whose output failure messages show. */
    void of(ContainerProbeResult probeRun) {
      this.result = probeRun;
    }

    /**
     * Verifies that the check passed.
     *
     * @return this assertion
     * @since 0.1.0
     */
    public CheckAssert passed() {
      isNotNull();
      if (!actual.ok()) {
        throw assertionError(shouldHavePassed(actual, result));
      }
      return myself;
    }

    /**
     * Verifies that the check took less than this long.
     *
     * @param limit the exclusive upper bound
     * @return this assertion
     * @throws NullPointerException if {@code limit} is null
     * @since 0.1.0
     */
    public CheckAssert tookLessThan(Duration limit) {
      requireNonNull(limit, "limit");
      isNotNull();
      if (actual.duration().compareTo(limit) >= 0) {
        throw assertionError(shouldTakeLessThan(actual, result, limit));
      }
      return myself;
    }
  }
}

package io.gpukit.junit.assertions.error;

import io.gpukit.junit.ContainerProbeResult;
import java.time.Duration;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Creates the messages for one check of a probe run: not run, failed, or too slow. Each ends with
 * the probe's output (its JSON line) where the result is known.
 *
 * @since 0.1.0
 */
public final class ShouldHavePassedCheck extends BasicErrorMessageFactory {

  /**
   * The probe did not run the check.
   *
   * @param actual the result
   * @param name the check's name
   * @return the message factory
   * @since 0.1.0
   */
  public static ErrorMessageFactory shouldHaveRunCheck(ContainerProbeResult actual, String name) {
    return new ShouldHavePassedCheck("%nExpecting actual:%n  %s%nto have run the check%n  %s%nbut it ran%n  %s",
        actual.toString(), name, actual.checks().stream().map(ContainerProbeResult.Check::name).toList());
  }

  /**
   * The check failed.
   *
   * @param actual the check
   * @param result the probe run it belongs to, or null
   * @return the message factory
   * @since 0.1.0
   */
  public static ErrorMessageFactory shouldHavePassed(ContainerProbeResult.Check actual, ContainerProbeResult result) {
    return new ShouldHavePassedCheck("%nExpecting actual:%n  %s%nto pass%nbut it failed: "
        + ShouldBeHealthyProbe.escape(actual.detail()) + output(result), actual.name());
  }

  /**
   * The check took {@code limit} or longer.
   *
   * @param actual the check
   * @param result the probe run it belongs to, or null
   * @param limit the exclusive upper bound
   * @return the message factory
   * @since 0.1.0
   */
  public static ErrorMessageFactory shouldTakeLessThan(
      ContainerProbeResult.Check actual, ContainerProbeResult result, Duration limit) {
    return new ShouldHavePassedCheck("%nExpecting actual:%n  %s%nto take less than%n  " + limit + "%nbut it took "
        + actual.duration() + " (" + actual.micros() + " µs)" + output(result), actual.name());
  }

  private static String output(ContainerProbeResult result) {
    return result == null ? "" : "%nProbe output: " + result.toString().replace("%", "%%");
  }

  private ShouldHavePassedCheck(String format, Object... arguments) {
    super(format, arguments);
  }
}

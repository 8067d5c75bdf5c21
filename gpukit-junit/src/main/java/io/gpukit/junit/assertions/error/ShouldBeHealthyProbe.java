package io.gpukit.junit.assertions.error;

import io.gpukit.junit.ContainerProbeResult;
import io.gpukit.probe.ProbeExitCode;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Creates the messages for a probe that exited with another code than expected. Each names the exit
 * code with its contract name and ends with the probe's output (its JSON line).
 *
 * @since 0.1.0
 */
public final class ShouldBeHealthyProbe extends BasicErrorMessageFactory {

  /**
   * The probe did not exit 0.
   *
   * @param actual the result
   * @return the message factory
   * @since 0.1.0
   */
  public static ErrorMessageFactory shouldBeHealthy(ContainerProbeResult actual) {
    String failed = actual.failedCheck().map(c -> "; the first failed check is " + c.name() + ": " + c.detail())
        .orElse("");
    return new ShouldBeHealthyProbe("%nExpecting actual:%n  %s%nto be healthy (exit 0)%nbut it exited "
        + escape(exit(actual) + failed), actual.toString());
  }

  /**
   * The probe exited with another code than {@code expected}.
   *
   * @param actual the result
   * @param expected the code it should have exited with
   * @return the message factory
   * @since 0.1.0
   */
  public static ErrorMessageFactory shouldHaveExitedWith(ContainerProbeResult actual, ProbeExitCode expected) {
    return new ShouldBeHealthyProbe("%nExpecting actual:%n  %s%nto exit%n  "
        + escape(expected.code() + " (" + expected.name() + ": " + expected.description() + ")")
        + "%nbut it exited " + escape(exit(actual)), actual.toString());
  }

  static String escape(String text) {
    return text.replace("%", "%%");
  }

  static String exit(ContainerProbeResult actual) {
    return actual.exitStatus() + actual.exitCode().map(c -> " (" + c.name() + ")").orElse(" (outside the contract)");
  }

  private ShouldBeHealthyProbe(String format, Object... arguments) {
    super(format, arguments);
  }
}

package io.gpukit.junit.assertions.error;

import io.gpukit.junit.ContainerProbeResult;
import io.gpukit.junit.ProbeRoute;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Creates the messages for a probe result that lacks its JSON line or came another way than
 * expected.
 *
 * @since 0.1.0
 */
public final class ShouldHaveProbeOutput extends BasicErrorMessageFactory {

  /**
   * The probe printed no JSON line.
   *
   * @param actual the result
   * @return the message factory
   * @since 0.1.0
   */
  public static ErrorMessageFactory shouldHaveJsonLine(ContainerProbeResult actual) {
    return new ShouldHaveProbeOutput("%nExpecting actual:%n  %s%nto have the probe's JSON line%nbut it has none",
        actual.toString());
  }

  /**
   * The result was made another way than {@code expected}.
   *
   * @param actual the result
   * @param expected the route's kind it should have taken
   * @return the message factory
   * @since 0.1.0
   */
  public static ErrorMessageFactory shouldHaveTakenRoute(ContainerProbeResult actual, ProbeRoute.Kind expected) {
    return new ShouldHaveProbeOutput("%nExpecting actual:%n  %s%nto come from%n  %s%nbut it came from%n  %s",
        actual.toString(), expected,
        actual.route().map(ProbeRoute::describe).orElse("no known route (a parsed result)"));
  }

  private ShouldHaveProbeOutput(String format, Object... arguments) {
    super(format, arguments);
  }
}

package io.gpukit.core.assertions.error;

import io.gpukit.core.dockerfile.Healthcheck;
import io.gpukit.core.dockerfile.HealthcheckProbe;
import io.gpukit.core.dockerfile.Stage;
import java.util.Optional;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Creates the message for a stage whose HEALTHCHECK does not exercise the GPU.
 *
 * @since 0.1.0
 */
public final class ShouldHaveGpuAwareHealthcheck extends BasicErrorMessageFactory {

  /** The HEALTHCHECK is missing, disabled, HTTP-only, nvidia-smi-only or unrecognised. */
  public static ErrorMessageFactory shouldHaveGpuAwareHealthcheck(
      Stage actual, HealthcheckProbe probe, Optional<Healthcheck> healthcheck) {
    String but =
        healthcheck
            .map(h -> "its HEALTHCHECK is " + probe.describe() + ": " + h.location().render() + ": " + h.original().strip())
            .orElse("it has no HEALTHCHECK");
    return new ShouldHaveGpuAwareHealthcheck(
        "%nExpecting actual:%n  %s%nto have a HEALTHCHECK that runs a GPU probe (gpukit-probe, a GPU smoke test,"
            + " or a command listed under gpu.probe-commands)%nbut " + but.replace("%", "%%"),
        ShouldHaveStage.describe(actual).replace("%%", "%"));
  }

  private ShouldHaveGpuAwareHealthcheck(String format, Object... arguments) {
    super(format, arguments);
  }
}

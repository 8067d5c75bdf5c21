package io.gpukit.junit;

import io.gpukit.probe.ProbeExitCode;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;
import java.util.Optional;

/**
 * How a {@link GpuContainerTest} class judges the probe's runs: healthy with the GPU, failing with
 * it hidden (the negative control); each failure says why, with the probe's JSON or the output of
 * the HEALTHCHECK run in its place.
 */
final class ProbeVerdicts {

  static final String NEGATIVE_CONTROL_FAILURE = "your probe does not notice a missing GPU";

  private ProbeVerdicts() {
  }

  /** Empty when healthy, else why not, with the probe's JSON (or the HEALTHCHECK's output). */
  static Optional<String> judgeProbe(ContainerProbeResult result) {
    if (result.isHealthy()) {
      return Optional.empty();
    }
    Optional<ProbeRoute> healthcheck = result.route().filter(route -> !route.runsTheProbe());
    if (healthcheck.isPresent()) {
      return Optional.of("the image's HEALTHCHECK, run in the container in place of the probe ("
          + healthcheck.get().reason() + "), is not healthy (exit " + result.exitStatus() + "): " + jsonOrOutput(result)
          + " [" + healthcheck.get().command() + "]");
    }
    return Optional.of("the probe in the container is not healthy (exit " + result.exitStatus()
        + result.exitCode().map(c -> " " + c).orElse("") + "): " + jsonOrOutput(result)
        + result.route().map(route -> " [" + route.describe() + "]").orElse(""));
  }

  /**
   * Empty when the probe (or the HEALTHCHECK run in its place) failed with the GPU hidden, as it
   * must; else the failure to report.
   */
  static Optional<String> judgeNegativeControl(ContainerProbeResult result, Map<String, String> hidden) {
    if (result.exitStatus() != 0) {
      return Optional.empty();
    }
    Optional<ProbeRoute> healthcheck = result.route().filter(route -> !route.runsTheProbe());
    if (healthcheck.isPresent()) {
      return Optional.of(HealthcheckProof.HEALTHCHECK_FAILURE + ": run in the container in place of the probe ("
          + healthcheck.get().reason() + ") with " + hidden + ", " + healthcheck.get().command() + " still exited 0 (it"
          + " must exit non-zero when CUDA sees no GPU): " + jsonOrOutput(result));
    }
    return Optional.of(NEGATIVE_CONTROL_FAILURE + ": with " + hidden + " it still passed (it must fail, with "
        + ProbeExitCode.NO_CUDA_DEVICE.code() + " " + ProbeExitCode.NO_CUDA_DEVICE + "): " + jsonOrOutput(result));
  }

  /** The environment that hides the GPUs from the probe ({@code attach} null: none attached). */
  static Map<String, String> hiddenGpuEnvironment(GpuAttach attach) {
    return attach == GpuAttach.TOOLKIT ? Map.of("CUDA_VISIBLE_DEVICES", "", "NVIDIA_VISIBLE_DEVICES", "void")
        : Map.of("CUDA_VISIBLE_DEVICES", "");
  }

  /** The probe's JSON line; for the image's HEALTHCHECK run in its place, its exit status, output and route. */
  static void publish(ExtensionContext context, String key, ContainerProbeResult result) {
    GpuContainerExtension.report(context, key, result.route().map(ProbeRoute::runsTheProbe).orElse(true)
        ? jsonOrOutput(result) : result.toString());
  }

  private static String jsonOrOutput(ContainerProbeResult result) {
    return result.jsonLine().orElseGet(() -> "stdout: " + orEmpty(result.stdout()) + "; stderr: "
        + orEmpty(result.stderr()));
  }

  private static String orEmpty(String output) {
    return output == null || output.isBlank() ? "(empty)" : output.strip();
  }
}

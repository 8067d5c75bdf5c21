package io.gpukit.core.dockerfile;

import io.gpukit.core.internal.ProbeCommands;
import io.gpukit.core.policy.GpuKitConfig;
import java.util.Locale;
import java.util.Optional;

/**
 * What a stage's HEALTHCHECK proves about the GPU, shared by the rules and the assertions so both
 * judge the same way.
 *
 * @since 0.1.0
 */
public enum HealthcheckProbe {
  /** No HEALTHCHECK at all (none in the stage or the stages it builds on). */
  MISSING,
  /** {@code HEALTHCHECK NONE}: the base image's check is switched off. */
  DISABLED,
  /** Only HTTP or TCP ({@code curl}, {@code wget}, {@code nc}, an {@code http://} URL): proves a process listens. */
  HTTP_ONLY,
  /** Only {@code nvidia-smi}: proves NVML answers, not that CUDA can allocate or compute. */
  NVIDIA_SMI_ONLY,
  /** A GPU probe: the gpukit probe, a GPU smoke test, or a command configured as one. */
  GPU_PROBE,
  /** Some other command gpukit cannot judge. */
  UNRECOGNISED;


  /** Classifies the effective HEALTHCHECK of a stage (following {@code FROM <stage>}). */
  public static HealthcheckProbe of(Dockerfile dockerfile, Stage stage, GpuKitConfig config) {
    return of(StageView.effectiveHealthcheck(dockerfile, stage), config);
  }

  /** Classifies a HEALTHCHECK instruction, or its absence. */
  public static HealthcheckProbe of(Optional<Healthcheck> healthcheck, GpuKitConfig config) {
    if (healthcheck.isEmpty()) {
      return MISSING;
    }
    Healthcheck hc = healthcheck.get();
    if (hc.isNone()) {
      return DISABLED;
    }
    String command = hc.commandLine();
    if (config.isGpuProbeCommand(command)) {
      return GPU_PROBE;
    }
    if (ProbeCommands.runsNvidiaSmi(command)) {
      return NVIDIA_SMI_ONLY;
    }
    if (ProbeCommands.isHttpOnly(command)) {
      return HTTP_ONLY;
    }
    return UNRECOGNISED;
  }

  /** Whether this proves the GPU can compute. */
  public boolean isGpuAware() {
    return this == GPU_PROBE;
  }

  /** A few words for messages. */
  public String describe() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}

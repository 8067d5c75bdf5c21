package io.gpukit.core.k8s;

import io.gpukit.core.internal.ProbeCommands;
import io.gpukit.core.policy.GpuKitConfig;
import java.util.Locale;

/**
 * What a Kubernetes probe proves about the GPU, shared by the rules and the assertions so both
 * judge the same way.
 *
 * @since 0.1.0
 */
public enum ProbeKind {
  /** An exec probe running a GPU probe (the gpukit probe, a GPU smoke test, a configured command), or an HTTP path configured as GPU-backed. */
  GPU_PROBE,
  /** An exec probe running only {@code nvidia-smi}: proves NVML answers, not that CUDA can compute. */
  NVIDIA_SMI_ONLY,
  /** {@code httpGet}, {@code tcpSocket}, {@code grpc}, or an exec probe that only calls HTTP: proves a process answers. */
  NETWORK_ONLY,
  /** Some other command gpukit cannot judge. */
  UNRECOGNISED;

  /** Classifies a probe under a configuration. */
  public static ProbeKind of(Probe probe, GpuKitConfig config) {
    ProbeAction action = probe.action();
    if (action instanceof ProbeAction.Exec exec) {
      String line = exec.commandLine();
      if (config.isGpuProbeCommand(line)) {
        return GPU_PROBE;
      }
      if (ProbeCommands.runsNvidiaSmi(line)) {
        return NVIDIA_SMI_ONLY;
      }
      return ProbeCommands.isHttpOnly(line) ? NETWORK_ONLY : UNRECOGNISED;
    }
    if (action instanceof ProbeAction.HttpGet http && config.isGpuProbePath(http.path())) {
      return GPU_PROBE;
    }
    return NETWORK_ONLY;
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

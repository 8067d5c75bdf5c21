package io.gpukit.probe;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How much of the GPU a probe exercises.
 *
 * @since 0.1.0
 */
public enum ProbeMode {

  /**
   * Driver and device visibility only: NVML, device health, CUDA device count. Creates no CUDA
   * context, so it is cheap and safe as a Kubernetes liveness probe.
   */
  LIVENESS(Duration.ofMillis(900)),
  /** Liveness plus a CUDA context, a host-device round trip and a real kernel (saxpy). */
  READINESS(Duration.ofMillis(900)),
  /** Readiness plus a cuBLAS SGEMM against a CPU reference and the largest single allocation. */
  DEEP(Duration.ofSeconds(30));

  private final Duration defaultTimeout;

  ProbeMode(Duration defaultTimeout) {
    this.defaultTimeout = defaultTimeout;
  }

  /**
   * Returns the default total deadline of all checks in this mode.
   *
   * @return 900 ms for liveness and readiness (fits a 1-second probe), 30 s for deep
   * @since 0.1.0
   */
  public Duration defaultTimeout() {
    return defaultTimeout;
  }

  /**
   * Returns the name used on the command line and in the JSON output.
   *
   * @return the lower-case name
   * @since 0.1.0
   */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a command-line name.
   *
   * @param name {@code liveness}, {@code readiness} or {@code deep}
   * @return the mode, or empty for anything else
   * @since 0.1.0
   */
  public static Optional<ProbeMode> fromCliName(String name) {
    for (ProbeMode mode : values()) {
      if (mode.cliName().equals(name)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}

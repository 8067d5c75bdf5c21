package io.gpukit.probe;

import java.util.Optional;

/**
 * The exit-code contract of {@code gpukit-probe}: one code per way a GPU can be unusable, so that an
 * orchestrator, a CI job or a human can tell a missing driver from a hung kernel without reading logs.
 *
 * <p>Codes 1, 125 to 127 and 128 and above are deliberately unused: the JVM, shells, container
 * runtimes and signals own them.
 *
 * @since 0.1.0
 */
public enum ProbeExitCode {

  /** Every check passed. */
  HEALTHY(0, "every check passed"),
  /** NVML or the CUDA driver could not be loaded or initialised (library missing, init failed). */
  DRIVER_UNAVAILABLE(10, "NVML or the CUDA driver could not be loaded or initialised"),
  /** The driver works but CUDA sees no usable device (or not the one asked for). */
  NO_CUDA_DEVICE(11, "CUDA sees no usable device"),
  /** Bytes copied host to device and back did not come back bit-exact, or the copy failed. */
  TENSOR_ROUNDTRIP_FAILED(12, "the host-device-host round trip failed or corrupted data"),
  /** A kernel (saxpy, or cuBLAS SGEMM in deep mode) failed to run or disagreed with the CPU. */
  KERNEL_MISMATCH(13, "a kernel failed or disagreed with the CPU reference"),
  /** A health threshold was breached: free VRAM, temperature, throttling, ECC, retired pages, XID. */
  THRESHOLD_BREACHED(14, "a health threshold was breached"),
  /** A check did not finish before its deadline; the partial result is still reported. */
  WATCHDOG_TIMEOUT(15, "a check hung and the watchdog ended it"),
  /** The command line was wrong. */
  USAGE(64, "bad command line"),
  /** A bug in the probe itself. */
  INTERNAL(70, "internal error in the probe");

  private final int code;
  private final String description;

  ProbeExitCode(int code, String description) {
    this.code = code;
    this.description = description;
  }

  /**
   * Returns the process exit status.
   *
   * @return the exit status, 0 to 70
   * @since 0.1.0
   */
  public int code() {
    return code;
  }

  /**
   * Returns a one-line description.
   *
   * @return what the code means
   * @since 0.1.0
   */
  public String description() {
    return description;
  }

  /**
   * Finds the constant for an exit status.
   *
   * @param code an exit status
   * @return the constant, or empty for a status outside the contract
   * @since 0.1.0
   */
  public static Optional<ProbeExitCode> fromCode(int code) {
    for (ProbeExitCode value : values()) {
      if (value.code == code) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }
}

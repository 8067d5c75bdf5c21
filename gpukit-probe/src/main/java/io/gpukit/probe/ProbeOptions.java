package io.gpukit.probe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What to check and how strictly.
 *
 * @param mode how much to exercise
 * @param device the CUDA ordinal to check, or {@code null} for every device CUDA sees
 * @param minFreeMib the least free memory per device, 0 for no limit
 * @param maxTempC the highest temperature per device, or {@code null} for no limit
 * @param timeout the total deadline of all checks
 * @param sgemmSize the matrix size of the deep-mode SGEMM
 * @param json whether to print only the JSON line
 * @param heartbeatFile a heartbeat file to judge instead of touching the GPU, or {@code null}
 * @param maxAge how old a heartbeat may be
 */
record ProbeOptions(
    ProbeMode mode,
    Integer device,
    long minFreeMib,
    Integer maxTempC,
    Duration timeout,
    int sgemmSize,
    boolean json,
    Path heartbeatFile,
    Duration maxAge) {

  static final int DEFAULT_SGEMM_SIZE = 256;
  static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(30);

  ProbeOptions {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(maxAge, "maxAge");
  }

  static ProbeOptions defaults(ProbeMode mode) {
    return new ProbeOptions(mode, null, 0, null, mode.defaultTimeout(), DEFAULT_SGEMM_SIZE, false,
        null, DEFAULT_MAX_AGE);
  }
}

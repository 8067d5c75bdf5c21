package io.gpukit.probe;

import java.util.Objects;

/**
 * The outcome of one check.
 *
 * @param name the check's name, such as {@code nvml.init} or {@code kernel.saxpy}
 * @param ok whether it passed
 * @param micros how long it took, in microseconds
 * @param detail what it found or why it failed
 * @since 0.1.0
 */
public record CheckResult(String name, boolean ok, long micros, String detail) {

  /** Validates the components. */
  public CheckResult {
    Objects.requireNonNull(name, "name");
    detail = detail == null ? "" : detail;
  }
}

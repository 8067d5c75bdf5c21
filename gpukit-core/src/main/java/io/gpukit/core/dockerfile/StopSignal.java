package io.gpukit.core.dockerfile;

import java.util.Objects;

/**
 * A {@code STOPSIGNAL} instruction.
 *
 * @param header the parts every instruction has
 * @param signal the signal as written
 * @since 0.1.0
 */
public record StopSignal(InstructionHeader header, String signal) implements Instruction {

  /** Validates the fields. */
  public StopSignal {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(signal, "signal");
  }
}

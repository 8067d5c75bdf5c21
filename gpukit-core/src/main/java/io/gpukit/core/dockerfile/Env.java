package io.gpukit.core.dockerfile;

import java.util.List;
import java.util.Objects;

/**
 * An {@code ENV} instruction.
 *
 * @param header the parts every instruction has
 * @param pairs the variables, in order
 * @since 0.1.0
 */
public record Env(InstructionHeader header, List<KeyValue> pairs) implements Instruction {

  /** Validates the fields and copies the list. */
  public Env {
    Objects.requireNonNull(header, "header");
    pairs = List.copyOf(pairs);
  }
}

package io.gpukit.core.dockerfile;

import java.util.List;
import java.util.Objects;

/**
 * A {@code LABEL} instruction.
 *
 * @param header the parts every instruction has
 * @param pairs the labels, in order
 * @since 0.1.0
 */
public record Label(InstructionHeader header, List<KeyValue> pairs) implements Instruction {

  /** Validates the fields and copies the list. */
  public Label {
    Objects.requireNonNull(header, "header");
    pairs = List.copyOf(pairs);
  }
}

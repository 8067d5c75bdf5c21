package io.gpukit.core.dockerfile;

import java.util.Objects;

/**
 * A {@code USER} instruction.
 *
 * @param header the parts every instruction has
 * @param spec the user and group as written
 * @since 0.1.0
 */
public record User(InstructionHeader header, UserSpec spec) implements Instruction {

  /** Validates the fields. */
  public User {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(spec, "spec");
  }
}

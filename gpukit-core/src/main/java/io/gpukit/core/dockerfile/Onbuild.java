package io.gpukit.core.dockerfile;

import java.util.Objects;

/**
 * An {@code ONBUILD} instruction with its trigger parsed.
 *
 * @param header the parts every instruction has
 * @param nested the instruction that runs in images built from this one
 * @since 0.1.0
 */
public record Onbuild(InstructionHeader header, Instruction nested) implements Instruction {

  /** Validates the fields. */
  public Onbuild {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(nested, "nested");
  }
}

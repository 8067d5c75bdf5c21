package io.gpukit.core.dockerfile;

import java.util.List;
import java.util.Objects;

/**
 * A {@code SHELL} instruction (always exec form).
 *
 * @param header the parts every instruction has
 * @param shell the shell and its options
 * @since 0.1.0
 */
public record Shell(InstructionHeader header, List<String> shell) implements Instruction {

  /** Validates the fields and copies the list. */
  public Shell {
    Objects.requireNonNull(header, "header");
    shell = List.copyOf(shell);
  }
}

package io.gpukit.core.dockerfile;

import java.util.List;
import java.util.Objects;

/**
 * An {@code ENTRYPOINT} instruction.
 *
 * @param header the parts every instruction has
 * @param command the exec-form array, or the shell-form text as one element
 * @since 0.1.0
 */
public record Entrypoint(InstructionHeader header, List<String> command) implements Instruction {

  /** Validates the fields and copies the list. */
  public Entrypoint {
    Objects.requireNonNull(header, "header");
    command = List.copyOf(command);
  }
}

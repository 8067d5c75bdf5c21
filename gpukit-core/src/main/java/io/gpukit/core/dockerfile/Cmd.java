package io.gpukit.core.dockerfile;

import java.util.List;
import java.util.Objects;

/**
 * A {@code CMD} instruction: the default command of the image.
 *
 * @param header the parts every instruction has
 * @param command the exec-form array, or the shell-form text as one element
 * @since 0.1.0
 */
public record Cmd(InstructionHeader header, List<String> command) implements Instruction {

  /** Validates the fields and copies the list. */
  public Cmd {
    Objects.requireNonNull(header, "header");
    command = List.copyOf(command);
  }
}

package io.gpukit.core.dockerfile;

import java.util.List;
import java.util.Objects;

/**
 * A {@code RUN} instruction. Mounts, network and security options are its {@link #flags()}.
 *
 * @param header the parts every instruction has
 * @param command the exec-form array, or the shell-form text as one element
 * @since 0.1.0
 */
public record Run(InstructionHeader header, List<String> command) implements Instruction {

  /** Validates the fields and copies the list. */
  public Run {
    Objects.requireNonNull(header, "header");
    command = List.copyOf(command);
  }

  /** The command as text: the shell-form text, or the exec-form elements joined by spaces. */
  public String commandLine() {
    return String.join(" ", command);
  }

  /** The values of the {@code --mount} flags, in order. */
  public List<String> mounts() {
    return flags().stream()
        .filter(f -> f.name().equals("mount"))
        .map(f -> f.value().orElse(""))
        .toList();
  }
}

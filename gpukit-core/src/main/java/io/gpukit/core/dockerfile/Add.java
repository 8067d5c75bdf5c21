package io.gpukit.core.dockerfile;

import java.util.List;
import java.util.Objects;

/**
 * An {@code ADD} instruction.
 *
 * @param header the parts every instruction has
 * @param sources the sources as written (heredoc words such as {@code <<EOF} included)
 * @param destination the last argument
 * @since 0.1.0
 */
public record Add(InstructionHeader header, List<String> sources, String destination)
    implements FileInstruction {

  /** Validates the fields and copies the list. */
  public Add {
    Objects.requireNonNull(header, "header");
    sources = List.copyOf(sources);
    Objects.requireNonNull(destination, "destination");
  }
}

package io.gpukit.core.dockerfile;

import java.util.List;
import java.util.Objects;

/**
 * A {@code COPY} instruction.
 *
 * @param header the parts every instruction has
 * @param sources the sources as written (heredoc words such as {@code <<EOF} included)
 * @param destination the last argument
 * @since 0.1.0
 */
public record Copy(InstructionHeader header, List<String> sources, String destination)
    implements FileInstruction {

  /** Validates the fields and copies the list. */
  public Copy {
    Objects.requireNonNull(header, "header");
    sources = List.copyOf(sources);
    Objects.requireNonNull(destination, "destination");
  }
}

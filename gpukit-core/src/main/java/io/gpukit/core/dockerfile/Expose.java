package io.gpukit.core.dockerfile;

import java.util.List;
import java.util.Objects;

/**
 * An {@code EXPOSE} instruction.
 *
 * @param header the parts every instruction has
 * @param ports the ports as written, e.g. {@code 8080/tcp}
 * @since 0.1.0
 */
public record Expose(InstructionHeader header, List<String> ports) implements Instruction {

  /** Validates the fields and copies the list. */
  public Expose {
    Objects.requireNonNull(header, "header");
    ports = List.copyOf(ports);
  }
}

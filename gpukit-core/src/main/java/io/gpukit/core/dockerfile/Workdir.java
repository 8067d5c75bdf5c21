package io.gpukit.core.dockerfile;

import java.util.Objects;

/**
 * A {@code WORKDIR} instruction.
 *
 * @param header the parts every instruction has
 * @param path the directory as written
 * @since 0.1.0
 */
public record Workdir(InstructionHeader header, String path) implements Instruction {

  /** Validates the fields. */
  public Workdir {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(path, "path");
  }
}

package io.gpukit.core.dockerfile;

import java.util.Objects;

/**
 * A deprecated {@code MAINTAINER} instruction.
 *
 * @param header the parts every instruction has
 * @param maintainer the text as written
 * @since 0.1.0
 */
public record Maintainer(InstructionHeader header, String maintainer) implements Instruction {

  /** Validates the fields. */
  public Maintainer {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(maintainer, "maintainer");
  }
}

package io.gpukit.core.dockerfile;

import java.util.List;
import java.util.Objects;

/**
 * An {@code ARG} instruction, which may define several arguments.
 *
 * @param header the parts every instruction has
 * @param definitions the arguments, in order
 * @since 0.1.0
 */
public record Arg(InstructionHeader header, List<ArgDef> definitions) implements Instruction {

  /** Validates the fields and copies the list. */
  public Arg {
    Objects.requireNonNull(header, "header");
    definitions = List.copyOf(definitions);
  }
}

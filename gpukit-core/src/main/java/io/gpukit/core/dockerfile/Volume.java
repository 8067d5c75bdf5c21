package io.gpukit.core.dockerfile;

import java.util.List;
import java.util.Objects;

/**
 * A {@code VOLUME} instruction.
 *
 * @param header the parts every instruction has
 * @param volumes the paths, trimmed
 * @since 0.1.0
 */
public record Volume(InstructionHeader header, List<String> volumes) implements Instruction {

  /** Validates the fields and copies the list. */
  public Volume {
    Objects.requireNonNull(header, "header");
    volumes = List.copyOf(volumes);
  }
}

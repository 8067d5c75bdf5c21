package io.gpukit.core.dockerfile;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code FROM} instruction: the start of a build stage.
 *
 * @param header the parts every instruction has
 * @param image the base image, with global {@code ARG}s substituted
 * @param alias the stage name after {@code AS}, as written
 * @param platform the {@code --platform} value as written
 * @since 0.1.0
 */
public record From(InstructionHeader header, ImageReference image, Optional<String> alias, Optional<String> platform) implements Instruction {

  /** Validates the fields. */
  public From {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(platform, "platform");
  }
}

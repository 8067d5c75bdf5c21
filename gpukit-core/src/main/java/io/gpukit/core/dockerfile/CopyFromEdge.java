package io.gpukit.core.dockerfile;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code COPY --from} between stages: stage {@code to} copies from {@code from}.
 *
 * @param to the stage that copies
 * @param from the {@code --from} value as written
 * @param fromStage the earlier stage it names (by name, case-insensitive, or by index); empty when
 *     it names an image or no earlier stage
 * @param location the {@code COPY} instruction's location
 * @since 0.1.0
 */
public record CopyFromEdge(
    Stage to, String from, Optional<Stage> fromStage, SourceLocation location) {

  /** Validates the fields. */
  public CopyFromEdge {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(fromStage, "fromStage");
    Objects.requireNonNull(location, "location");
  }
}

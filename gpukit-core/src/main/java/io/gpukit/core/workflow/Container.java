package io.gpukit.core.workflow;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A job's {@code container}, or one of its {@code services}: {@code container: image} or a mapping
 * with {@code image}, {@code options}, {@code env}.
 *
 * @param id the service id; empty for the job container
 * @param image the image as written
 * @param options the {@code docker create} options, e.g. {@code --gpus all}
 * @param env the container's {@code env}
 * @param location where the container is
 * @since 0.1.0
 */
public record Container(
    Optional<String> id, String image, Optional<String> options, List<Entry> env, SourceLocation location) {

  /** Validates the fields and copies the list. */
  public Container {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(options, "options");
    env = List.copyOf(env);
    Objects.requireNonNull(location, "location");
  }
}

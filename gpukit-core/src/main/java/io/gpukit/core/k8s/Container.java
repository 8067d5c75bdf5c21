package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;
import java.util.Optional;

/**
 * One container of a pod template.
 *
 * @param name the container name
 * @param image the image, split
 * @param resources limits and requests
 * @param readinessProbe {@code readinessProbe}, if set
 * @param livenessProbe {@code livenessProbe}, if set
 * @param startupProbe {@code startupProbe}, if set
 * @param securityContext the container's {@code securityContext}, if set
 * @param location where the container's entry starts
 * @param imageLocation where {@code image} is written ({@code location} when absent)
 * @since 0.1.0
 */
public record Container(
    String name,
    ContainerImage image,
    Resources resources,
    Optional<Probe> readinessProbe,
    Optional<Probe> livenessProbe,
    Optional<Probe> startupProbe,
    Optional<SecurityContext> securityContext,
    SourceLocation location,
    SourceLocation imageLocation) {

  /** Validates the fields. */
  public Container {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(readinessProbe, "readinessProbe");
    Objects.requireNonNull(livenessProbe, "livenessProbe");
    Objects.requireNonNull(startupProbe, "startupProbe");
    Objects.requireNonNull(securityContext, "securityContext");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(imageLocation, "imageLocation");
  }
}

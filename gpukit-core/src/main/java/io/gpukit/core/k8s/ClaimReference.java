package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a container's {@code resources.claims}: the name of a pod {@code resourceClaims}
 * entry whose devices the container uses.
 *
 * @param name the pod claim's name
 * @param request the one request of the claim the container uses, if narrowed
 * @param location where the entry is written
 * @since 0.2.0
 */
public record ClaimReference(String name, Optional<String> request, SourceLocation location) {

  /** Validates the fields. */
  public ClaimReference {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(location, "location");
  }
}

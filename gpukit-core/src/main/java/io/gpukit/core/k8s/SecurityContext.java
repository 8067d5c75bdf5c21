package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The parts of a pod's or container's {@code securityContext} gpukit reads.
 *
 * @param runAsNonRoot {@code runAsNonRoot}, if set
 * @param runAsUser {@code runAsUser}, if set
 * @param location where the {@code securityContext} is written
 * @since 0.1.0
 */
public record SecurityContext(Optional<Boolean> runAsNonRoot, OptionalLong runAsUser, SourceLocation location) {

  /** Validates the fields. */
  public SecurityContext {
    Objects.requireNonNull(runAsNonRoot, "runAsNonRoot");
    Objects.requireNonNull(runAsUser, "runAsUser");
    Objects.requireNonNull(location, "location");
  }
}

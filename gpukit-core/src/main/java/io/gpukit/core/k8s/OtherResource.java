package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;
import java.util.Optional;

/**
 * A document gpukit does not read beyond its identity: a Service, a ConfigMap, a custom resource…
 *
 * @param apiVersion {@code apiVersion}
 * @param kind {@code kind}
 * @param name {@code metadata.name}; empty when absent
 * @param namespace {@code metadata.namespace}, if set
 * @param location where the document starts
 * @since 0.1.0
 */
public record OtherResource(
    String apiVersion, String kind, String name, Optional<String> namespace, SourceLocation location)
    implements Resource {

  /** Validates the fields. */
  public OtherResource {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(location, "location");
  }
}

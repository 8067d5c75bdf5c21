package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Dynamic Resource Allocation {@code ResourceClaim}: devices one or more pods share.
 *
 * @param apiVersion {@code apiVersion}, e.g. {@code resource.k8s.io/v1}
 * @param name {@code metadata.name}; empty when absent
 * @param namespace {@code metadata.namespace}, if set
 * @param requests {@code spec.devices.requests}, in order
 * @param location where the document starts
 * @since 0.2.0
 */
public record ResourceClaim(
    String apiVersion, String name, Optional<String> namespace, List<DeviceRequest> requests, SourceLocation location)
    implements DeviceClaim {

  /** The kind as written. */
  public static final String KIND = "ResourceClaim";

  /** Validates the fields and copies the list. */
  public ResourceClaim {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    requests = List.copyOf(requests);
    Objects.requireNonNull(location, "location");
  }

  @Override
  public String kind() {
    return KIND;
  }
}

package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.Optional;

/**
 * One document of a manifest file: a workload gpukit reads in full, or any other object kept by
 * its identity for cross-file rules.
 *
 * @since 0.1.0
 */
public sealed interface Resource permits Workload, OtherResource, DeviceClaim {

  /** {@code apiVersion}, e.g. {@code apps/v1}. */
  String apiVersion();

  /** {@code kind}, e.g. {@code Deployment}. */
  String kind();

  /** {@code metadata.name}; empty when absent (a {@code generateName} object). */
  String name();

  /** {@code metadata.namespace}, if set. */
  Optional<String> namespace();

  /** Where the document starts. */
  SourceLocation location();

  /** {@code Kind/name}, for messages. */
  default String displayName() {
    return kind() + "/" + (name().isEmpty() ? "(unnamed)" : name());
  }
}

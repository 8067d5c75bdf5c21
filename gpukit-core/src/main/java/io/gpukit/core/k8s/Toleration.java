package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;

/**
 * One entry of a pod's {@code tolerations}.
 *
 * @param key the taint key; empty matches every key (with {@code operator: Exists})
 * @param operator {@code Equal} (the default) or {@code Exists}
 * @param value the taint value; empty when absent
 * @param effect {@code NoSchedule}, {@code PreferNoSchedule}, {@code NoExecute}; empty for all
 * @param location where the entry is written
 * @since 0.1.0
 */
public record Toleration(String key, String operator, String value, String effect, SourceLocation location) {

  /** Validates the fields. */
  public Toleration {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(location, "location");
  }
}

package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Objects;

/**
 * One {@code matchExpressions} entry of a required node affinity term.
 *
 * @param key the node label key
 * @param operator {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist}, {@code Gt}, {@code Lt}
 * @param values the values, in order
 * @param location where the entry is written
 * @since 0.2.0
 */
public record NodeRequirement(String key, String operator, List<String> values, SourceLocation location) {

  /** Validates the fields and copies the list. */
  public NodeRequirement {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(operator, "operator");
    values = List.copyOf(values);
    Objects.requireNonNull(location, "location");
  }
}

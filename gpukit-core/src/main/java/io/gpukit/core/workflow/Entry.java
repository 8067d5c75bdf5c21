package io.gpukit.core.workflow;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;

/**
 * One key and its value in an {@code env}, {@code with}, {@code outputs} or {@code permissions}
 * mapping. A value that is not a single scalar (a list or a mapping) is kept as compact flow-style
 * text.
 *
 * @param key the key as written
 * @param value the value as text; empty for a null value
 * @param location where the key is
 * @since 0.1.0
 */
public record Entry(String key, String value, SourceLocation location) {

  /** Validates the fields. */
  public Entry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(location, "location");
  }
}

package io.gpukit.core.dockerfile;

import java.util.Objects;

/**
 * One {@code key=value} pair of an {@code ENV} or {@code LABEL} instruction.
 *
 * <p>Quotes and escapes are removed as the shell-word rules of BuildKit remove them; variables are
 * not expanded.
 *
 * @param key the key
 * @param value the value
 * @since 0.1.0
 */
public record KeyValue(String key, String value) {

  /** Validates the fields. */
  public KeyValue {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}

package io.gpukit.core.dockerfile;

import java.util.Objects;
import java.util.Optional;

/**
 * One definition of an {@code ARG} instruction: a name and an optional default.
 *
 * @param name the argument name
 * @param defaultValue the default, quotes removed, variables not expanded; empty when there is no
 *     {@code =}
 * @since 0.1.0
 */
public record ArgDef(String name, Optional<String> defaultValue) {

  /** Validates the fields. */
  public ArgDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(defaultValue, "defaultValue");
  }
}

package io.gpukit.core.dockerfile;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;

/**
 * A parser directive such as {@code # syntax=docker/dockerfile:1} or {@code # escape=`}.
 *
 * @param name the directive name, lower-case ({@code syntax}, {@code escape} or {@code check})
 * @param value the value, surrounding whitespace removed
 * @param location where the directive's line starts
 * @since 0.1.0
 */
public record Directive(String name, String value, SourceLocation location) {

  /** Validates the fields. */
  public Directive {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(location, "location");
  }
}

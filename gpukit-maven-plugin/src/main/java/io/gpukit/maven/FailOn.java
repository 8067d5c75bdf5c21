package io.gpukit.maven;

import io.gpukit.core.policy.Severity;
import java.util.Locale;
import java.util.Optional;

/** The {@code failOn} parameter: the least severity that fails the build, or {@code none}. */
enum FailOn {
  ERROR,
  WARNING,
  INFO,
  NONE;

  /** The threshold as the core reads it; empty for {@link #NONE}. */
  Optional<Severity> severity() {
    return this == NONE ? Optional.empty() : Optional.of(Severity.valueOf(name()));
  }

  /** The name a pom writes: {@code error}, {@code warning}, {@code info} or {@code none}. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The parameter for a threshold the configuration gave. */
  static FailOn of(Optional<Severity> threshold) {
    return threshold.map(s -> valueOf(s.name())).orElse(NONE);
  }

  /**
   * Parses the parameter, ignoring case and blanks; {@code never} (the CLI's word) reads as
   * {@code none}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  static FailOn parse(String value) {
    String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (wanted.equals("never")) {
      return NONE;
    }
    for (FailOn f : values()) {
      if (f.label().equals(wanted)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "failOn '" + value + "' is not one of error, warning, info, none");
  }
}

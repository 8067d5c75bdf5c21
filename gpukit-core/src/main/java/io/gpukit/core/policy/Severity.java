package io.gpukit.core.policy;

import java.util.Locale;

/**
 * How much a violation matters. Ordered from the most to the least severe.
 *
 * @since 0.1.0
 */
public enum Severity {
  /** The artifact is broken or unsafe to ship. */
  ERROR,
  /** The artifact works but is fragile or misleading. */
  WARNING,
  /** Worth knowing; never fails a build unless configured to. */
  INFO;

  /** The lower-case name used in reports and configuration: {@code error}, {@code warning}, {@code info}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this severity is at least as severe as {@code threshold}. */
  public boolean isAtLeast(Severity threshold) {
    return ordinal() <= threshold.ordinal();
  }

  /**
   * Parses a label ({@code error}, {@code warning}, {@code info}), ignoring case.
   *
   * @throws IllegalArgumentException naming the accepted labels
   */
  public static Severity fromLabel(String label) {
    for (Severity s : values()) {
      if (s.label().equalsIgnoreCase(label.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown severity '" + label + "': expected error, warning or info");
  }
}

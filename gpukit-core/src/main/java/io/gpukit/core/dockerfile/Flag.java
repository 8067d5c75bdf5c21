package io.gpukit.core.dockerfile;

import java.util.Objects;
import java.util.Optional;

/**
 * A builder flag such as {@code --from=build} or {@code --link}, as BuildKit extracts it.
 *
 * <p>{@code raw} is the flag as BuildKit keeps it: quotes removed and backslash escapes applied,
 * but otherwise as written (for example {@code --interval=5s}).
 *
 * @param name the name without the leading dashes, e.g. {@code interval}
 * @param value the text after the first {@code =}, empty when there is no {@code =}
 * @param raw the whole flag, e.g. {@code --interval=5s}
 * @since 0.1.0
 */
public record Flag(String name, Optional<String> value, String raw) {

  /** Validates the fields. */
  public Flag {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(raw, "raw");
  }

  /** Splits a raw flag ({@code --name[=value]}) into its name and value. */
  public static Flag parse(String raw) {
    String body = raw.startsWith("--") ? raw.substring(2) : raw;
    int eq = body.indexOf('=');
    if (eq < 0) {
      return new Flag(body, Optional.empty(), raw);
    }
    return new Flag(body.substring(0, eq), Optional.of(body.substring(eq + 1)), raw);
  }
}

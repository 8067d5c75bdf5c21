package io.gpukit.core.dockerfile;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The argument of a {@code USER} instruction: {@code user[:group]}.
 *
 * @param raw the argument as written
 * @param user the part before the first {@code :}
 * @param group the part after the first {@code :}, if any
 * @since 0.1.0
 */
public record UserSpec(String raw, String user, Optional<String> group) {

  /** Validates the fields. */
  public UserSpec {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(group, "group");
  }

  /** Splits {@code user[:group]} at the first colon. */
  public static UserSpec parse(String raw) {
    int colon = raw.indexOf(':');
    if (colon < 0) {
      return new UserSpec(raw, raw, Optional.empty());
    }
    return new UserSpec(raw, raw.substring(0, colon), Optional.of(raw.substring(colon + 1)));
  }

  /**
   * Whether the user is root: {@code root} or uid {@code 0}, whatever the group, because the group
   * does not drop the user's privileges.
   */
  public boolean isRoot() {
    return user.equals("root") || (isNumeric() && user.chars().allMatch(c -> c == '0'));
  }

  /**
   * Whether a variable is left in the user part ({@code $APP_UID}, {@code ${NB_UID}}): its value comes
   * from a {@code --build-arg} gpukit cannot see, so neither "root" nor "a name" can be said of it.
   */
  public boolean isUnresolved() {
    return user.contains("$");
  }

  /** Whether the user part is a number (all digits). */
  public boolean isNumeric() {
    return !user.isEmpty() && user.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** The numeric uid, when the user part is a number that fits an {@code int}. */
  public OptionalInt uid() {
    if (!isNumeric()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(user));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}

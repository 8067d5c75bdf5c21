package io.gpukit.core.assertions;

/**
 * Argument checks with AssertJ's conventions: a null argument is a {@link NullPointerException}
 * saying "The given … should not be null", a value out of range an {@link
 * IllegalArgumentException}; both before the actual value is looked at.
 */
final class Arguments {

  private Arguments() {}

  static <T> T requireNonNull(T value, String name) {
    if (value == null) {
      throw new NullPointerException("The given " + name + " should not be null");
    }
    return value;
  }

  static String requireNonBlank(String value, String name) {
    requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException("The given " + name + " should not be blank");
    }
    return value;
  }

  static String[] requireNonEmpty(String[] values, String name) {
    requireNonNull(values, name + "s");
    if (values.length == 0) {
      throw new IllegalArgumentException("The given " + name + "s should not be empty");
    }
    for (String value : values) {
      requireNonNull(value, name);
    }
    return values;
  }
}

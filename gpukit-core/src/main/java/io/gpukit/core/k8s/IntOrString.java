package io.gpukit.core.k8s;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * A Kubernetes {@code IntOrString} as the rolling-update knobs use it: an absolute number or a
 * percentage of the desired replicas.
 *
 * <p>Percentages are scaled the way the Deployment controller does ({@code
 * GetScaledValueFromIntOrPercent}): {@code maxSurge} rounds up, {@code maxUnavailable} rounds down.
 *
 * @param value the number, or the percentage without its {@code %}
 * @param percent whether the value is a percentage
 * @since 0.1.0
 */
public record IntOrString(int value, boolean percent) {

  /** The default of both {@code maxSurge} and {@code maxUnavailable}: {@code 25%}. */
  public static final IntOrString DEFAULT_ROLLING = new IntOrString(25, true);

  /** Validates nothing: a negative value is kept so that rules can report it. */
  public IntOrString {}

  /** An absolute number. */
  public static IntOrString ofInt(int value) {
    return new IntOrString(value, false);
  }

  /** A percentage, {@code 25} for {@code 25%}. */
  public static IntOrString ofPercent(int value) {
    return new IntOrString(value, true);
  }

  /**
   * Parses {@code 3} or {@code 25%}.
   *
   * @throws IllegalArgumentException for anything else, in the API server's words
   */
  public static IntOrString parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.strip();
    try {
      if (t.endsWith("%")) {
        return ofPercent(Integer.parseInt(t.substring(0, t.length() - 1)));
      }
      return ofInt(Integer.parseInt(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is neither an integer nor a percentage such as '25%'", e);
    }
  }

  /**
   * The absolute value against {@code total} replicas: a number as is, a percentage of {@code
   * total} rounded up or down.
   */
  public int scaled(int total, boolean roundUp) {
    if (!percent) {
      return value;
    }
    BigDecimal exact = BigDecimal.valueOf((long) value * total).divide(BigDecimal.valueOf(100));
    return exact.setScale(0, roundUp ? RoundingMode.CEILING : RoundingMode.FLOOR).intValueExact();
  }

  /** Whether the value as written is zero ({@code 0} or {@code 0%}): what the API validates. */
  public boolean isZero() {
    return value == 0;
  }

  /** As written: {@code 1} or {@code 25%}. */
  @Override
  public String toString() {
    return percent ? value + "%" : Integer.toString(value);
  }
}

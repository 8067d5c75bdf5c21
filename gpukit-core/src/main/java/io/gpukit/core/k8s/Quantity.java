package io.gpukit.core.k8s;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity: {@code 1}, {@code "1"}, {@code 500m}, {@code 2Gi}, {@code 1e3}.
 *
 * @param raw the quantity as written
 * @param value the amount in base units ({@code 500m} is {@code 0.5}, {@code 2Gi} is {@code
 *     2147483648})
 * @since 0.1.0
 */
public record Quantity(String raw, BigDecimal value) {

  private static final Pattern FORMAT =
      Pattern.compile("([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?");

  private static final Map<String, BigDecimal> SUFFIXES =
      Map.ofEntries(
          Map.entry("n", new BigDecimal("1e-9")),
          Map.entry("u", new BigDecimal("1e-6")),
          Map.entry("m", new BigDecimal("1e-3")),
          Map.entry("k", new BigDecimal("1e3")),
          Map.entry("M", new BigDecimal("1e6")),
          Map.entry("G", new BigDecimal("1e9")),
          Map.entry("T", new BigDecimal("1e12")),
          Map.entry("P", new BigDecimal("1e15")),
          Map.entry("E", new BigDecimal("1e18")),
          Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
          Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
          Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
          Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
          Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
          Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

  /** Validates the fields. */
  public Quantity {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(value, "value");
  }

  /**
   * Parses a quantity.
   *
   * @throws IllegalArgumentException when the text is not a Kubernetes quantity
   */
  public static Quantity parse(String text) {
    Objects.requireNonNull(text, "text");
    Matcher m = FORMAT.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a quantity such as '1', '500m' or '2Gi'");
    }
    BigDecimal number = new BigDecimal(m.group(1));
    String suffix = m.group(2);
    if (suffix == null) {
      return new Quantity(text, number);
    }
    if (suffix.startsWith("e") || suffix.startsWith("E") && suffix.length() > 1) {
      return new Quantity(text, number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1))));
    }
    return new Quantity(text, number.multiply(SUFFIXES.get(suffix)));
  }

  /** Whether the amount is a whole number ({@code 1}, {@code 2000m}), as extended resources need. */
  public boolean isInteger() {
    return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
  }

  /** Whether both amounts are equal, however written ({@code 1} and {@code 1000m}). */
  public boolean sameAmountAs(Quantity other) {
    return value.compareTo(other.value) == 0;
  }

  /** The amount as a whole number, rounded down; saturates at {@link Integer#MAX_VALUE}. */
  public int intValue() {
    BigDecimal v = value.setScale(0, java.math.RoundingMode.FLOOR);
    return v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0 ? Integer.MAX_VALUE : Math.max(0, v.intValue());
  }

  @Override
  public String toString() {
    return raw;
  }
}

package io.gpukit.core.dockerfile;

import java.math.BigDecimal;
import java.time.Duration;

/** Go's {@code time.ParseDuration}, which BuildKit uses for HEALTHCHECK durations. */
final class GoDuration {

  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  /** Parses {@code 1h2m3.5s}; throws {@link IllegalArgumentException} with Go's message. */
  static Duration parse(String orig) {
    String s = orig;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(orig);
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (!(c == '.' || isDigit(c))) {
        throw invalid(orig);
      }
      int start = i;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
      boolean pre = i > start;
      boolean post = false;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fracStart = i;
        while (i < s.length() && isDigit(s.charAt(i))) {
          i++;
        }
        post = i > fracStart;
      }
      if (!pre && !post) {
        throw invalid(orig);
      }
      String number = s.substring(start, i);
      if (number.length() > 40) {
        // Go overflows long before this; a bound also keeps hostile input cheap.
        throw invalid(orig);
      }
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
        i++;
      }
      String unit = s.substring(unitStart, i);
      if (unit.isEmpty()) {
        throw new IllegalArgumentException("time: missing unit in duration " + GoText.quote(orig));
      }
      long unitNanos =
          switch (unit) {
            case "ns" -> 1L;
            case "us", "\u00B5s", "\u03BCs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalArgumentException(
                "time: unknown unit " + GoText.quote(unit) + " in duration " + GoText.quote(orig));
          };
      String digits = number.endsWith(".") ? number + "0" : number;
      if (digits.startsWith(".")) {
        digits = "0" + digits;
      }
      total = total.add(new BigDecimal(digits).multiply(BigDecimal.valueOf(unitNanos)));
      if (total.compareTo(MAX_NANOS) > 0) {
        throw invalid(orig);
      }
    }
    long nanos = total.longValue();
    return Duration.ofNanos(negative ? -nanos : nanos);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalid(String orig) {
    return new IllegalArgumentException("time: invalid duration " + GoText.quote(orig));
  }
}

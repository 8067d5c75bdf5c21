package io.gpukit.core.workflow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The values of {@link GithubExpression} and GitHub's rules for them: {@code &&} and {@code ||}
 * return an operand, {@code ==} compares strings case-insensitively and coerces mixed types to
 * numbers, {@code null}, {@code false}, {@code 0}, {@code ''} and NaN are falsy. A value is a
 * {@link String}, a {@link Double}, a {@link Boolean}, {@link Null#NULL}, a {@link List}, a {@link
 * Map}, or {@link Unknown}: only known when the workflow runs.
 */
final class ExpressionValues {

  private ExpressionValues() {}

  /** The JSON null of an expression. */
  enum Null {
    NULL
  }

  /** A value only known when the workflow runs; its truthiness may still be known ({@code x && false}). */
  record Unknown(Optional<Boolean> truthy) {
    static final Unknown ANY = new Unknown(Optional.empty());
  }

  static final Pattern NUMBER =
      Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?|0x[0-9a-fA-F]+|[-+]?(Infinity|NaN)");

  static Object either(Object left, Object right) {
    if (!(left instanceof Unknown u)) {
      return truthy(left) ? left : right;
    }
    if (u.truthy().isPresent()) {
      return u.truthy().get() ? u : right;
    }
    boolean rightTruthy = !(right instanceof Unknown) && truthy(right);
    return rightTruthy || right instanceof Unknown r && r.truthy().orElse(false)
        ? new Unknown(Optional.of(true))
        : Unknown.ANY;
  }

  static Object both(Object left, Object right) {
    if (!(left instanceof Unknown u)) {
      return truthy(left) ? right : left;
    }
    if (u.truthy().isPresent()) {
      return u.truthy().get() ? right : u;
    }
    boolean rightFalsy = right instanceof Unknown r ? r.truthy().map(t -> !t).orElse(false) : !truthy(right);
    return rightFalsy ? new Unknown(Optional.of(false)) : Unknown.ANY;
  }

  static Object contains(Object search, Object item) {
    if (search instanceof List<?> list) {
      for (Object element : list) {
        Object eq = equal(element, item);
        if (!(eq instanceof Boolean)) {
          return Unknown.ANY;
        }
        if ((Boolean) eq) {
          return true;
        }
      }
      return false;
    }
    if (!scalar(search) || !scalar(item)) {
      return Unknown.ANY;
    }
    return lower(text(search)).contains(lower(text(item)));
  }

  static Object property(Object v, String name) {
    if (v instanceof Unknown) {
      return Unknown.ANY;
    }
    if (v instanceof Map<?, ?> map) {
      Object found = map.get(name);
      return found == null ? Null.NULL : found;
    }
    return Null.NULL;
  }

  static Object index(Object v, Object key) {
    if (v instanceof Unknown || key instanceof Unknown) {
      return Unknown.ANY;
    }
    if (v instanceof Map<?, ?> && key instanceof String s) {
      return property(v, s);
    }
    if (v instanceof List<?> list && key instanceof Double d) {
      int i = (int) Math.floor(d);
      return i >= 0 && i < list.size() ? list.get(i) : Null.NULL;
    }
    return Null.NULL;
  }

  static Object equal(Object a, Object b) {
    if (a instanceof Unknown || b instanceof Unknown) {
      return Unknown.ANY;
    }
    if (a instanceof String x && b instanceof String y) {
      return x.equalsIgnoreCase(y);
    }
    if (a.getClass() == b.getClass() && !(a instanceof Double)) {
      return a instanceof List<?> || a instanceof Map<?, ?> ? a == b : a.equals(b);
    }
    double x = toNumber(a);
    double y = toNumber(b);
    return x == y; // NaN is equal to nothing
  }

  static Object compare(Object a, Object b, String op) {
    if (a instanceof Unknown || b instanceof Unknown) {
      return Unknown.ANY;
    }
    int c;
    if (a instanceof String x && b instanceof String y) {
      c = lower(x).compareTo(lower(y));
    } else {
      double x = toNumber(a);
      double y = toNumber(b);
      if (Double.isNaN(x) || Double.isNaN(y)) {
        return false;
      }
      c = Double.compare(x, y);
    }
    return switch (op) {
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      default -> c >= 0;
    };
  }

  static boolean truthy(Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Double d) {
      return d != 0 && !d.isNaN();
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    return v != Null.NULL;
  }

  static double toNumber(Object v) {
    if (v == Null.NULL) {
      return 0;
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof String s) {
      String t = s.strip();
      if (t.isEmpty()) {
        return 0;
      }
      return NUMBER.matcher(t).matches() ? parseNumber(t) : Double.NaN;
    }
    return Double.NaN;
  }

  static boolean scalar(Object v) {
    return !(v instanceof List<?>) && !(v instanceof Map<?, ?>) && !(v instanceof Unknown);
  }

  static String text(Object v) {
    if (v == Null.NULL) {
      return "";
    }
    if (v instanceof Double d) {
      if (d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15) {
        return Long.toString(d.longValue());
      }
      return d.toString();
    }
    return v.toString();
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  static double parseNumber(String t) {
    if (t.startsWith("0x")) {
      return Long.parseLong(t.substring(2), 16);
    }
    return Double.parseDouble(t);
  }

  /** The {@code matrix} context of one combination: YAML scalars typed as GitHub reads them. */
  static Map<String, Object> context(Map<String, Matrix.Value> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, value(v)));
    return Collections.unmodifiableMap(out);
  }

  static Object value(Matrix.Value v) {
    if (v.isExpression()) {
      return Unknown.ANY;
    }
    if (v.isScalar()) {
      return v.quoted() ? v.text() : plain(v.text());
    }
    if (v.items().isEmpty() && !v.text().strip().equals("[]")) {
      return Unknown.ANY; // a mapping, or a list of mappings
    }
    return v.items().stream().map(ExpressionValues::plain).toList();
  }

  /** A plain YAML 1.2 scalar: a boolean, null, a number, else a string. */
  static Object plain(String s) {
    return switch (s) {
      case "true", "True", "TRUE" -> Boolean.TRUE;
      case "false", "False", "FALSE" -> Boolean.FALSE;
      case "", "~", "null", "Null", "NULL" -> Null.NULL;
      default -> s.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?") ? Double.parseDouble(s) : s;
    };
  }
}

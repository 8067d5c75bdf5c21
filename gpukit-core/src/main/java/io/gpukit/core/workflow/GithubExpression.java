package io.gpukit.core.workflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small evaluator of GitHub's expression syntax, for what gpukit can know before a workflow runs:
 * literals, the {@code matrix} context of one combination, the operators, and {@code contains},
 * {@code startsWith}, {@code endsWith} and {@code always}. Everything else ({@code github.*},
 * {@code env.*}, {@code steps.*}, {@code success()}, {@code fromJSON}…) is <em>unknown</em>, and so
 * is anything that does not parse: a caller treats an unknown condition as it would without this
 * class, never as false.
 *
 * <p>Values follow GitHub's semantics: {@code &&} and {@code ||} return an operand, {@code ==}
 * compares strings case-insensitively and coerces mixed types to numbers, {@code null}, {@code
 * false}, {@code 0}, {@code ''} and NaN are falsy.
 */
final class GithubExpression {

  /** What a condition comes to. */
  enum Truth {
    TRUE,
    FALSE,
    UNKNOWN
  }

  /** The JSON null of an expression. */
  private enum Null {
    NULL
  }

  /** A value only known when the workflow runs; its truthiness may still be known ({@code x && false}). */
  private record Unknown(Optional<Boolean> truthy) {
    static final Unknown ANY = new Unknown(Optional.empty());
  }

  private static final int MAX_LENGTH = 4096;
  private static final int MAX_DEPTH = 64;
  private static final Pattern WRAPPED = Pattern.compile("(?s)^\\$\\{\\{(.*)}}$");
  private static final Pattern TEMPLATE = Pattern.compile("\\$\\{\\{(.*?)}}");
  private static final Pattern NUMBER =
      Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?|0x[0-9a-fA-F]+|[-+]?(Infinity|NaN)");

  private final String text;
  private final Optional<Map<String, Object>> matrix;
  private int pos;
  private int depth;

  private GithubExpression(String text, Optional<Map<String, Object>> matrix) {
    this.text = text;
    this.matrix = matrix;
  }

  /**
   * What an {@code if:} comes to for one matrix combination.
   *
   * @param condition the condition as written, with or without {@code ${{ }}}
   * @param matrix the combination's values; empty when the matrix is not known
   */
  static Truth truth(String condition, Optional<Map<String, Matrix.Value>> matrix) {
    Object v = evaluate(condition, matrix);
    if (v instanceof Unknown u) {
      return u.truthy().map(t -> t ? Truth.TRUE : Truth.FALSE).orElse(Truth.UNKNOWN);
    }
    return truthy(v) ? Truth.TRUE : Truth.FALSE;
  }

  /**
   * A runner label (or group) with its expressions resolved for one matrix combination: the list
   * of a {@code ${{ matrix.runner }}} that holds a list, the text with each {@code ${{ … }}}
   * replaced otherwise; empty when some expression is unknown.
   */
  static Optional<List<String>> labels(String written, Optional<Map<String, Matrix.Value>> matrix) {
    String s = written.strip();
    Matcher whole = WRAPPED.matcher(s);
    if (whole.matches() && !whole.group(1).contains("${{")) {
      Object v = new GithubExpression(whole.group(1), matrix.map(GithubExpression::context)).parse();
      if (v instanceof List<?> list) {
        List<String> out = new ArrayList<>();
        for (Object item : list) {
          if (item instanceof Unknown || item instanceof List<?> || item instanceof Map<?, ?>) {
            return Optional.empty();
          }
          out.add(string(item));
        }
        return Optional.of(List.copyOf(out));
      }
    }
    if (!written.contains("${{")) {
      return Optional.of(List.of(written));
    }
    Matcher m = TEMPLATE.matcher(written);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      Object v = new GithubExpression(m.group(1), matrix.map(GithubExpression::context)).parse();
      if (v instanceof Unknown || v instanceof List<?> || v instanceof Map<?, ?>) {
        return Optional.empty();
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(string(v)));
    }
    m.appendTail(sb);
    return sb.toString().contains("${{") ? Optional.empty() : Optional.of(List.of(sb.toString()));
  }

  /** The value of a condition; unknown when it cannot be known or does not parse. */
  private static Object evaluate(String condition, Optional<Map<String, Matrix.Value>> matrix) {
    String s = condition.strip();
    Matcher m = WRAPPED.matcher(s);
    if (m.matches()) {
      s = m.group(1);
    }
    if (s.contains("${{") || s.length() > MAX_LENGTH) {
      return Unknown.ANY; // text around templates: a string GitHub reads as true, or worse
    }
    return new GithubExpression(s, matrix.map(GithubExpression::context)).parse();
  }

  private Object parse() {
    try {
      Object v = or();
      skipSpace();
      return pos == text.length() ? v : Unknown.ANY;
    } catch (IllegalArgumentException | StackOverflowError e) {
      return Unknown.ANY;
    }
  }

  // ---- grammar: or > and > equality > comparison > unary > postfix > primary ------------------

  private Object or() {
    Object left = and();
    while (accept("||")) {
      Object right = and();
      left = or(left, right);
    }
    return left;
  }

  private static Object or(Object left, Object right) {
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

  private Object and() {
    Object left = equality();
    while (accept("&&")) {
      Object right = equality();
      left = and(left, right);
    }
    return left;
  }

  private static Object and(Object left, Object right) {
    if (!(left instanceof Unknown u)) {
      return truthy(left) ? right : left;
    }
    if (u.truthy().isPresent()) {
      return u.truthy().get() ? right : u;
    }
    boolean rightFalsy = right instanceof Unknown r ? r.truthy().map(t -> !t).orElse(false) : !truthy(right);
    return rightFalsy ? new Unknown(Optional.of(false)) : Unknown.ANY;
  }

  private Object equality() {
    Object left = comparison();
    while (true) {
      if (accept("==")) {
        left = equal(left, comparison());
      } else if (accept("!=")) {
        Object eq = equal(left, comparison());
        left = eq instanceof Boolean b ? !b : eq;
      } else {
        return left;
      }
    }
  }

  private Object comparison() {
    Object left = unary();
    while (true) {
      String op = accept("<=") ? "<=" : accept(">=") ? ">=" : accept("<") ? "<" : accept(">") ? ">" : null;
      if (op == null) {
        return left;
      }
      left = compare(left, unary(), op);
    }
  }

  private Object unary() {
    if (accept("!")) {
      enter();
      Object v = unary();
      depth--;
      if (v instanceof Unknown u) {
        return new Unknown(u.truthy().map(t -> !t));
      }
      return !truthy(v);
    }
    return postfix();
  }

  private Object postfix() {
    Object v = primary();
    while (true) {
      if (accept(".")) {
        v = property(v, identifier());
      } else if (accept("[")) {
        Object key = or();
        expect("]");
        v = index(v, key);
      } else {
        return v;
      }
    }
  }

  private Object primary() {
    skipSpace();
    if (pos >= text.length()) {
      throw new IllegalArgumentException("unexpected end");
    }
    char c = text.charAt(pos);
    if (c == '(') {
      pos++;
      enter();
      Object v = or();
      depth--;
      expect(")");
      return v;
    }
    if (c == '\'') {
      return string();
    }
    if (Character.isDigit(c) || c == '-' || c == '+' || c == '.') {
      return number();
    }
    String name = identifier();
    if (accept("(")) {
      return call(name);
    }
    return switch (name) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      case "null" -> Null.NULL;
      case "NaN" -> Double.NaN;
      case "Infinity" -> Double.POSITIVE_INFINITY;
      case "matrix" -> matrix.<Object>map(m -> m).orElse(Unknown.ANY);
      case "github", "env", "vars", "secrets", "steps", "needs", "inputs", "runner", "job", "jobs", "strategy" ->
          Unknown.ANY;
      default -> throw new IllegalArgumentException("unknown name " + name);
    };
  }

  private Object call(String name) {
    List<Object> args = new ArrayList<>();
    enter();
    if (!accept(")")) {
      do {
        args.add(or());
      } while (accept(","));
      expect(")");
    }
    depth--;
    String fn = name.toLowerCase(Locale.ROOT);
    if (fn.equals("always") && args.isEmpty()) {
      return Boolean.TRUE;
    }
    boolean known = args.stream().noneMatch(Unknown.class::isInstance);
    return switch (fn) {
      case "contains" -> args.size() == 2 && known ? contains(args.get(0), args.get(1)) : Unknown.ANY;
      case "startswith", "endswith" -> {
        if (args.size() != 2 || !known || !scalar(args.get(0)) || !scalar(args.get(1))) {
          yield Unknown.ANY;
        }
        String a = lower(string(args.get(0)));
        String b = lower(string(args.get(1)));
        yield fn.equals("startswith") ? a.startsWith(b) : a.endsWith(b);
      }
      default -> Unknown.ANY; // success(), failure(), fromJSON(), format(), hashFiles()…
    };
  }

  private static Object contains(Object search, Object item) {
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
    return lower(string(search)).contains(lower(string(item)));
  }

  private static Object property(Object v, String name) {
    if (v instanceof Unknown) {
      return Unknown.ANY;
    }
    if (v instanceof Map<?, ?> map) {
      Object found = map.get(name);
      return found == null ? Null.NULL : found;
    }
    return Null.NULL;
  }

  private static Object index(Object v, Object key) {
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

  // ---- values ------------------------------------------------------------------------------

  private static Object equal(Object a, Object b) {
    if (a instanceof Unknown || b instanceof Unknown) {
      return Unknown.ANY;
    }
    if (a instanceof String x && b instanceof String y) {
      return x.equalsIgnoreCase(y);
    }
    if (a.getClass() == b.getClass() && !(a instanceof Double)) {
      return a instanceof List<?> || a instanceof Map<?, ?> ? a == b : a.equals(b);
    }
    double x = number(a);
    double y = number(b);
    return x == y; // NaN is equal to nothing
  }

  private static Object compare(Object a, Object b, String op) {
    if (a instanceof Unknown || b instanceof Unknown) {
      return Unknown.ANY;
    }
    int c;
    if (a instanceof String x && b instanceof String y) {
      c = lower(x).compareTo(lower(y));
    } else {
      double x = number(a);
      double y = number(b);
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

  private static boolean truthy(Object v) {
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

  private static double number(Object v) {
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

  private static boolean scalar(Object v) {
    return !(v instanceof List<?>) && !(v instanceof Map<?, ?>) && !(v instanceof Unknown);
  }

  private static String string(Object v) {
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

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static double parseNumber(String t) {
    if (t.startsWith("0x")) {
      return Long.parseLong(t.substring(2), 16);
    }
    return Double.parseDouble(t);
  }

  /** The {@code matrix} context of one combination: YAML scalars typed as GitHub reads them. */
  private static Map<String, Object> context(Map<String, Matrix.Value> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, value(v)));
    return Collections.unmodifiableMap(out);
  }

  private static Object value(Matrix.Value v) {
    if (v.isExpression()) {
      return Unknown.ANY;
    }
    if (v.isScalar()) {
      return v.quoted() ? v.text() : plain(v.text());
    }
    if (v.items().isEmpty() && !v.text().strip().equals("[]")) {
      return Unknown.ANY; // a mapping, or a list of mappings
    }
    return v.items().stream().map(GithubExpression::plain).toList();
  }

  /** A plain YAML 1.2 scalar: a boolean, null, a number, else a string. */
  private static Object plain(String s) {
    return switch (s) {
      case "true", "True", "TRUE" -> Boolean.TRUE;
      case "false", "False", "FALSE" -> Boolean.FALSE;
      case "", "~", "null", "Null", "NULL" -> Null.NULL;
      default -> s.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?") ? Double.parseDouble(s) : s;
    };
  }

  // ---- lexing ------------------------------------------------------------------------------

  private Object string() {
    StringBuilder sb = new StringBuilder();
    pos++;
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '\'') {
        if (pos < text.length() && text.charAt(pos) == '\'') {
          sb.append('\'');
          pos++;
        } else {
          return sb.toString();
        }
      } else {
        sb.append(c);
      }
    }
    throw new IllegalArgumentException("unterminated string");
  }

  private Object number() {
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || "+-.".indexOf(text.charAt(pos)) >= 0)) {
      pos++;
    }
    String t = text.substring(start, pos);
    if (!NUMBER.matcher(t).matches()) {
      throw new IllegalArgumentException("not a number: " + t);
    }
    return parseNumber(t);
  }

  private String identifier() {
    skipSpace();
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
        || text.charAt(pos) == '-')) {
      pos++;
    }
    if (start == pos) {
      throw new IllegalArgumentException("expected a name at " + pos);
    }
    return text.substring(start, pos);
  }

  private boolean accept(String token) {
    skipSpace();
    if (!text.startsWith(token, pos)) {
      return false;
    }
    if ((token.equals("<") || token.equals(">") || token.equals("!")) && text.startsWith("=", pos + 1)) {
      return false; // '<=', '>=' and '!=' are their own tokens
    }
    pos += token.length();
    return true;
  }

  private void expect(String token) {
    if (!accept(token)) {
      throw new IllegalArgumentException("expected " + token + " at " + pos);
    }
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw new IllegalArgumentException("too deep");
    }
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }
}

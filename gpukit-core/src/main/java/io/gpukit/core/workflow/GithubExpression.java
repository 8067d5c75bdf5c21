package io.gpukit.core.workflow;

import static io.gpukit.core.workflow.ExpressionValues.NUMBER;
import static io.gpukit.core.workflow.ExpressionValues.Null;
import static io.gpukit.core.workflow.ExpressionValues.Unknown;
import static io.gpukit.core.workflow.ExpressionValues.both;
import static io.gpukit.core.workflow.ExpressionValues.compare;
import static io.gpukit.core.workflow.ExpressionValues.contains;
import static io.gpukit.core.workflow.ExpressionValues.context;
import static io.gpukit.core.workflow.ExpressionValues.either;
import static io.gpukit.core.workflow.ExpressionValues.equal;
import static io.gpukit.core.workflow.ExpressionValues.index;
import static io.gpukit.core.workflow.ExpressionValues.lower;
import static io.gpukit.core.workflow.ExpressionValues.parseNumber;
import static io.gpukit.core.workflow.ExpressionValues.property;
import static io.gpukit.core.workflow.ExpressionValues.scalar;
import static io.gpukit.core.workflow.ExpressionValues.text;
import static io.gpukit.core.workflow.ExpressionValues.truthy;

import java.util.ArrayList;
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

  private static final int MAX_LENGTH = 4096;
  private static final int MAX_DEPTH = 64;
  private static final Pattern WRAPPED = Pattern.compile("(?s)^\\$\\{\\{(.*)}}$");
  private static final Pattern TEMPLATE = Pattern.compile("\\$\\{\\{(.*?)}}");

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
      Object v = new GithubExpression(whole.group(1), matrix.map(ExpressionValues::context)).parse();
      if (v instanceof List<?> list) {
        List<String> out = new ArrayList<>();
        for (Object item : list) {
          if (item instanceof Unknown || item instanceof List<?> || item instanceof Map<?, ?>) {
            return Optional.empty();
          }
          out.add(text(item));
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
      Object v = new GithubExpression(m.group(1), matrix.map(ExpressionValues::context)).parse();
      if (v instanceof Unknown || v instanceof List<?> || v instanceof Map<?, ?>) {
        return Optional.empty();
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(text(v)));
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
    return new GithubExpression(s, matrix.map(ExpressionValues::context)).parse();
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
      left = either(left, right);
    }
    return left;
  }

  private Object and() {
    Object left = equality();
    while (accept("&&")) {
      Object right = equality();
      left = both(left, right);
    }
    return left;
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
        String a = lower(text(args.get(0)));
        String b = lower(text(args.get(1)));
        yield fn.equals("startswith") ? a.startsWith(b) : a.endsWith(b);
      }
      default -> Unknown.ANY; // success(), failure(), fromJSON(), format(), hashFiles()…
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

package io.gpukit.examples.scoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader (RFC 8259) for request bodies, so the service needs no JSON library: objects
 * become {@link Map}s in order, arrays {@link List}s, numbers {@link Double}s, {@code null} {@link
 * #NULL}. Duplicate keys, trailing commas, comments and nesting deeper than {@value #MAX_DEPTH} are
 * errors; every error names the line and column.
 */
final class Json {

  /** JSON {@code null}, distinct from an absent key. */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** Deep enough for any request of this service, shallow enough never to overflow the stack. */
  static final int MAX_DEPTH = 32;

  private final String text;
  private int pos;
  private int depth;

  private Json(String text) {
    this.text = text;
  }

  /** A JSON text that does not parse, with where. */
  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message) {
      super(message);
    }
  }

  /**
   * Parses one JSON value, with nothing but whitespace around it.
   *
   * @throws ParseException with the line and column of the first error
   */
  static Object parse(String text) throws ParseException {
    Json json = new Json(text);
    json.skipWhitespace();
    if (json.pos >= text.length()) {
      throw json.error("the body is empty; expected a JSON object");
    }
    Object value = json.value();
    json.skipWhitespace();
    if (json.pos < text.length()) {
      throw json.error("unexpected '" + text.charAt(json.pos) + "' after the JSON value");
    }
    return value;
  }

  private Object value() throws ParseException {
    skipWhitespace();
    if (pos >= text.length()) {
      throw error("the JSON text ends where a value should start");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", NULL);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected '" + c + "' where a value should start");
      }
    };
  }

  private Map<String, Object> object() throws ParseException {
    enter();
    pos++; // {
    Map<String, Object> members = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      depth--;
      return members;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a member name in double quotes");
      }
      int keyAt = pos;
      String key = string();
      skipWhitespace();
      expect(':');
      Object value = value();
      if (members.putIfAbsent(key, value) != null) {
        pos = keyAt;
        throw error("the member '" + key + "' appears twice");
      }
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == '}') {
        depth--;
        return members;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}' after a member");
      }
    }
  }

  private List<Object> array() throws ParseException {
    enter();
    pos++; // [
    List<Object> items = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      depth--;
      return items;
    }
    while (true) {
      items.add(value());
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == ']') {
        depth--;
        return items;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']' after an array element");
      }
    }
  }

  private String string() throws ParseException {
    pos++; // "
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("a string is not closed");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("a control character in a string must be escaped");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("a string is not closed");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("a \\u escape needs four hex digits");
          }
          try {
            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("a \\u escape needs four hex digits");
          }
          pos += 4;
        }
        default -> {
          pos -= 2;
          throw error("'\\" + e + "' is not a JSON escape");
        }
      }
    }
  }

  private Double number() throws ParseException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) {
        pos++;
      }
    } else {
      throw error("a number needs a digit after '-'");
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw error("a number needs a digit after '.'");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("a number needs a digit in its exponent");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    return Double.valueOf(text.substring(start, pos));
  }

  private Object literal(String word, Object value) throws ParseException {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected '" + text.charAt(pos) + "' where a value should start");
    }
    pos += word.length();
    return value;
  }

  private void enter() throws ParseException {
    if (++depth > MAX_DEPTH) {
      throw error("the JSON is nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  private void expect(char c) throws ParseException {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  /** The next character, or NUL at the end (never valid where it is looked at). */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private ParseException error(String message) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(pos, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    String where = pos >= text.length() ? "at the end (line " + line + ", column " + column + ")"
        : "at line " + line + ", column " + column;
    return new ParseException("invalid JSON " + where + ": " + message);
  }
}

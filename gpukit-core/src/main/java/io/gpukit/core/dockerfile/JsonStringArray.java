package io.gpukit.core.dockerfile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The exec form's JSON array of strings, decoded the way BuildKit's {@code parseJSON} does it: Go's
 * {@code json.Unmarshal} into {@code []any}, then every element must be a string.
 *
 * <p>As in Go, the whole text must be one JSON value (RFC 8259 grammar, blanks being space, tab,
 * CR and LF, at most 10,000 nested arrays and objects, every number within a {@code float64}'s
 * range); only then do non-string elements count. String escapes decode as Go decodes them, an
 * escaped surrogate that is not half of a pair becoming U+FFFD. Hand-written, it keeps a JSON
 * library's start-up cost off every Dockerfile parse.
 */
final class JsonStringArray {

  /** Go's {@code maxNestingDepth} in {@code encoding/json}'s scanner. */
  static final int MAX_DEPTH = 10_000;

  private static final char REPLACEMENT = '\uFFFD';

  private final String text;
  private int pos;
  /** The open arrays ({@code true}) and objects ({@code false}) inside the top array. */
  private boolean[] open = new boolean[8];
  private int depth;

  private JsonStringArray(String text) {
    this.text = text;
  }

  /**
   * The strings of {@code text}, a JSON array of strings; {@code null} when {@code text} is not
   * exactly one JSON array as Go decodes it (bad syntax, text after it, too deep, a number out of
   * range): the instruction is then shell form.
   *
   * @throws LineParsers.LineException when the array holds anything but strings
   */
  static List<String> decode(String text) {
    return new JsonStringArray(text).topArray();
  }

  private List<String> topArray() {
    skipBlanks();
    if (!take('[')) {
      return null;
    }
    List<String> strings = new ArrayList<>();
    boolean onlyStrings = true;
    StringBuilder buffer = new StringBuilder();
    skipBlanks();
    if (!take(']')) {
      while (true) {
        if (peek() == '"') {
          buffer.setLength(0);
          if (!string(buffer)) {
            return null;
          }
          if (onlyStrings) {
            strings.add(buffer.toString());
          }
        } else {
          onlyStrings = false;
          if (!skipValue()) {
            return null;
          }
        }
        skipBlanks();
        if (take(']')) {
          break;
        }
        if (!take(',')) {
          return null;
        }
        skipBlanks();
      }
    }
    skipBlanks();
    if (pos != text.length()) {
      return null;
    }
    if (!onlyStrings) {
      throw new LineParsers.LineException(LineParsers.NOT_STRING_ARRAY);
    }
    return List.copyOf(strings);
  }

  /**
   * Checks one value of any kind inside the top array, without recursion: nested arrays and
   * objects are tracked in {@link #open}.
   */
  private boolean skipValue() {
    depth = 0;
    while (true) {
      // A value starts here.
      char c = peek();
      if (c == '[' || c == '{') {
        pos++;
        if (!push(c == '[')) {
          return false;
        }
        skipBlanks();
        if (!take(c == '[' ? ']' : '}')) {
          if (c == '{' && !member()) {
            return false;
          }
          continue;
        }
        depth--;
      } else if (c == '"') {
        if (!string(null)) {
          return false;
        }
      } else if (c == 't') {
        if (!literal("true")) {
          return false;
        }
      } else if (c == 'f') {
        if (!literal("false")) {
          return false;
        }
      } else if (c == 'n') {
        if (!literal("null")) {
          return false;
        }
      } else if (c == '-' || isDigit(c)) {
        if (!number()) {
          return false;
        }
      } else {
        return false;
      }
      // The value ended: close what it ends, or find where the next value starts.
      while (true) {
        if (depth == 0) {
          return true;
        }
        skipBlanks();
        boolean inArray = open[depth - 1];
        if (take(inArray ? ']' : '}')) {
          depth--;
          continue;
        }
        if (!take(',')) {
          return false;
        }
        skipBlanks();
        if (!inArray && !member()) {
          return false;
        }
        break;
      }
    }
  }

  /** An object member's {@code "name" :}, leaving the position at its value. */
  private boolean member() {
    if (peek() != '"' || !string(null)) {
      return false;
    }
    skipBlanks();
    if (!take(':')) {
      return false;
    }
    skipBlanks();
    return true;
  }

  private boolean push(boolean array) {
    // The top array, the open ones, the new one.
    if (1 + depth + 1 > MAX_DEPTH) {
      return false;
    }
    if (depth == open.length) {
      open = Arrays.copyOf(open, Math.min(open.length * 2, MAX_DEPTH));
    }
    open[depth++] = array;
    return true;
  }

  /** A string from its opening quote; decoded into {@code out} unless that is {@code null}. */
  private boolean string(StringBuilder out) {
    pos++;
    int n = text.length();
    int run = pos;
    while (pos < n) {
      char c = text.charAt(pos);
      if (c == '"') {
        if (out != null) {
          out.append(text, run, pos);
        }
        pos++;
        return true;
      }
      if (c < 0x20) {
        return false;
      }
      if (c != '\\') {
        pos++;
        continue;
      }
      if (out != null) {
        out.append(text, run, pos);
      }
      if (!escape(out)) {
        return false;
      }
      run = pos;
    }
    return false;
  }

  /** One escape from its backslash. */
  private boolean escape(StringBuilder out) {
    if (pos + 1 >= text.length()) {
      return false;
    }
    char c = text.charAt(pos + 1);
    char decoded;
    switch (c) {
      case '"', '\\', '/' -> decoded = c;
      case 'b' -> decoded = '\b';
      case 'f' -> decoded = '\f';
      case 'n' -> decoded = '\n';
      case 'r' -> decoded = '\r';
      case 't' -> decoded = '\t';
      case 'u' -> {
        return unicodeEscape(out);
      }
      default -> {
        return false;
      }
    }
    if (out != null) {
      out.append(decoded);
    }
    pos += 2;
    return true;
  }

  /** {@code \}{@code uXXXX}, with Go's handling of surrogates. */
  private boolean unicodeEscape(StringBuilder out) {
    int unit = hex4(pos);
    if (unit < 0) {
      return false;
    }
    pos += 6;
    char decoded = (char) unit;
    if (Character.isSurrogate(decoded)) {
      int low = hex4(pos);
      if (Character.isHighSurrogate(decoded) && low >= 0 && Character.isLowSurrogate((char) low)) {
        pos += 6;
        if (out != null) {
          out.append(decoded).append((char) low);
        }
        return true;
      }
      // Go's utf16.DecodeRune fails: the escape stands for U+FFFD and what follows is read anew.
      decoded = REPLACEMENT;
    }
    if (out != null) {
      out.append(decoded);
    }
    return true;
  }

  /** The value of {@code \}{@code uXXXX} at {@code at}; -1 when there is none. */
  private int hex4(int at) {
    if (at + 6 > text.length() || text.charAt(at) != '\\' || text.charAt(at + 1) != 'u') {
      return -1;
    }
    int value = 0;
    for (int i = at + 2; i < at + 6; i++) {
      int digit = Character.digit(text.charAt(i), 16);
      // Character.digit also takes non-ASCII digits; JSON takes only 0-9, a-f, A-F.
      if (digit < 0 || text.charAt(i) > 'f') {
        return -1;
      }
      value = value << 4 | digit;
    }
    return value;
  }

  /**
   * A number within a {@code double}'s range: Go decodes numbers into {@code []any} as {@code float64}, and one out of range fails the whole
   * {@code json.Unmarshal}, which makes the line shell form rather than an error.
   */
  private boolean number() {
    int start = pos;
    if (!numberSyntax()) {
      return false;
    }
    return !Double.isInfinite(Double.parseDouble(text.substring(start, pos)));
  }

  /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?} */
  private boolean numberSyntax() {
    take('-');
    // After a leading zero no more integer digits: "01" is "0" then garbage.
    if (!take('0') && !digits()) {
      return false;
    }
    if (take('.') && !digits()) {
      return false;
    }
    if (take('e') || take('E')) {
      if (!take('+')) {
        take('-');
      }
      return digits();
    }
    return true;
  }

  private boolean digits() {
    int start = pos;
    while (pos < text.length() && isDigit(text.charAt(pos))) {
      pos++;
    }
    return pos > start;
  }

  private boolean literal(String word) {
    if (!text.startsWith(word, pos)) {
      return false;
    }
    pos += word.length();
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Go's JSON blanks: space, tab, CR, LF; not the wider Unicode set. */
  private void skipBlanks() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  /** The next character, or 0 at the end (never valid where a value is looked for). */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : 0;
  }

  private boolean take(char c) {
    if (pos < text.length() && text.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }
}

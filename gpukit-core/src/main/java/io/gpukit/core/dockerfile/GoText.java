package io.gpukit.core.dockerfile;

/** Go's notions of whitespace and quoting, which BuildKit's messages and splitting depend on. */
final class GoText {

  private GoText() {}

  /** Go's {@code unicode.IsSpace}. */
  static boolean isSpace(char c) {
    switch (c) {
      case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u0085', '\u00A0':
        return true;
      default:
        return c > 0xFF && Character.isSpaceChar(c);
    }
  }

  /** BuildKit's {@code reWhitespace}: {@code [\t\v\f\r ]}. */
  static boolean isSplitSpace(char c) {
    return c == '\t' || c == '\u000B' || c == '\f' || c == '\r' || c == ' ';
  }

  /** Go's {@code strings.TrimSpace}. */
  static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Go's {@code strings.TrimLeftFunc(s, unicode.IsSpace)}. */
  static String trimLeft(String s) {
    int start = 0;
    while (start < s.length() && isSpace(s.charAt(start))) {
      start++;
    }
    return s.substring(start);
  }

  /** Go's {@code %q} for the strings BuildKit quotes in its messages. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7F) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** Splits on runs of {@link #isSplitSpace} at most {@code limit} ways ({@code -1}: no limit). */
  static java.util.List<String> splitWhitespace(String s, int limit) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < s.length()) {
      if (isSplitSpace(s.charAt(i)) && (limit < 0 || parts.size() < limit - 1)) {
        parts.add(s.substring(start, i));
        while (i < s.length() && isSplitSpace(s.charAt(i))) {
          i++;
        }
        start = i;
      } else {
        i++;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }
}

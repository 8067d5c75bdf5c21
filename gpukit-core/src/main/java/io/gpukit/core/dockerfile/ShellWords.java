package io.gpukit.core.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of BuildKit's shell lexer the parser needs: raw word splitting (to find heredoc
 * openers), quote removal, and variable substitution in {@code FROM}. Every method is one pass
 * over its input.
 */
final class ShellWords {

  private ShellWords() {}

  /**
   * Splits a line into words on unquoted whitespace, keeping quotes and escapes as written (the
   * lexer's {@code RawQuotes} and {@code RawEscapes}). The heredoc lexer always escapes with a
   * backslash, whatever the escape directive says.
   */
  static List<String> rawWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int n = line.length();
    int i = 0;
    while (i < n) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
        continue;
      }
      inWord = true;
      if (c == '\\') {
        word.append(c);
        if (i + 1 < n) {
          word.append(line.charAt(i + 1));
        }
        i += 2;
      } else if (c == '\'' || c == '"') {
        word.append(c);
        i++;
        while (i < n && line.charAt(i) != c) {
          if (c == '"' && line.charAt(i) == '\\' && i + 1 < n) {
            word.append(line.charAt(i++));
          }
          word.append(line.charAt(i++));
        }
        if (i < n) {
          word.append(line.charAt(i++));
        }
      } else {
        word.append(c);
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** Removes quotes and applies escapes, as the shell lexer does, without expanding variables. */
  static String unquote(String word, char escape) {
    return new Expander(word, escape, null, Set.of(), 0).run().value();
  }

  /** The result of a substitution: the text and whether some variable was left as written. */
  record Expansion(String value, boolean unresolved) {}

  /**
   * Substitutes {@code $VAR}, {@code ${VAR}} and {@code ${VAR:-default}}-style references with the
   * given values. A variable that has no value (or is in {@code unknown}) and whose substitution
   * depends on it is left as written, and the result is marked unresolved.
   */
  static Expansion expand(String word, char escape, Map<String, String> env, Set<String> unknown) {
    return new Expander(word, escape, env, unknown, 0).run();
  }

  private static final class Expander {
    /** Deeper nesting of defaults is left unresolved, so hostile input cannot exhaust the stack. */
    private static final int MAX_DEPTH = 32;

    private final String s;
    private final int depth;
    private final char escape;
    private final Map<String, String> env;
    private final Set<String> unknown;
    private int pos;
    private boolean unresolved;

    Expander(String s, char escape, Map<String, String> env, Set<String> unknown, int depth) {
      this.s = s;
      this.depth = depth;
      this.escape = escape;
      this.env = env;
      this.unknown = unknown;
    }

    Expansion run() {
      StringBuilder out = new StringBuilder(s.length());
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == escape) {
          pos++;
          if (pos < s.length()) {
            out.append(s.charAt(pos++));
          }
        } else if (c == '\'') {
          pos++;
          while (pos < s.length() && s.charAt(pos) != '\'') {
            out.append(s.charAt(pos++));
          }
          pos++;
        } else if (c == '"') {
          pos++;
          while (pos < s.length() && s.charAt(pos) != '"') {
            char d = s.charAt(pos);
            if (d == escape && pos + 1 < s.length()) {
              char next = s.charAt(pos + 1);
              if (next == '"' || next == '$' || next == escape) {
                out.append(next);
                pos += 2;
                continue;
              }
              out.append(d);
              pos++;
            } else if (d == '$' && env != null) {
              dollar(out);
            } else {
              out.append(d);
              pos++;
            }
          }
          pos++;
        } else if (c == '$' && env != null) {
          dollar(out);
        } else {
          out.append(c);
          pos++;
        }
      }
      return new Expansion(out.toString(), unresolved);
    }

    private void dollar(StringBuilder out) {
      int start = pos;
      pos++;
      if (pos < s.length() && s.charAt(pos) == '{') {
        pos++;
        int nameStart = pos;
        while (pos < s.length() && isNameChar(s.charAt(pos))) {
          pos++;
        }
        String name = s.substring(nameStart, pos);
        int opStart = pos;
        // Find the matching brace, counting nested ${...} so defaults may hold references.
        int depth = 1;
        int i = pos;
        while (i < s.length()) {
          char c = s.charAt(i);
          if (c == escape) {
            i += 2;
            continue;
          }
          if (c == '{' && i > 0 && s.charAt(i - 1) == '$') {
            depth++;
          } else if (c == '}') {
            depth--;
            if (depth == 0) {
              break;
            }
          }
          i++;
        }
        if (i >= s.length()) {
          // No closing brace: keep the text; BuildKit fails later at build time.
          out.append(s, start, s.length());
          pos = s.length();
          unresolved = true;
          return;
        }
        String raw = s.substring(start, i + 1);
        String op = s.substring(opStart, i);
        pos = i + 1;
        substitute(out, name, op, raw);
        return;
      }
      int nameStart = pos;
      while (pos < s.length() && isNameChar(s.charAt(pos))) {
        pos++;
      }
      if (pos == nameStart) {
        out.append('$');
        return;
      }
      String name = s.substring(nameStart, pos);
      String value = lookup(name);
      if (value == null) {
        unresolved = true;
        out.append(s, start, pos);
      } else {
        out.append(value);
      }
    }

    private void substitute(StringBuilder out, String name, String op, String raw) {
      String value = lookup(name);
      boolean known = !unknown.contains(name);
      if (name.isEmpty()) {
        out.append(raw);
        unresolved = true;
        return;
      }
      if (op.isEmpty()) {
        appendOrKeep(out, value, raw);
        return;
      }
      boolean colon = op.startsWith(":");
      String rest = colon ? op.substring(1) : op;
      if (rest.isEmpty()) {
        out.append(raw);
        unresolved = true;
        return;
      }
      char kind = rest.charAt(0);
      String word = rest.substring(1);
      if (!known) {
        out.append(raw);
        unresolved = true;
        return;
      }
      boolean set = value != null && !(colon && value.isEmpty());
      switch (kind) {
        case '-' -> {
          if (set) {
            out.append(value);
          } else {
            appendWord(out, word);
          }
        }
        case '+' -> {
          if (set) {
            appendWord(out, word);
          }
        }
        case '?' -> appendOrKeep(out, set ? value : null, raw);
        default -> {
          // Pattern operators (#, %, /) are rare in FROM; leave them for the build to evaluate.
          out.append(raw);
          unresolved = true;
        }
      }
    }

    private void appendOrKeep(StringBuilder out, String value, String raw) {
      if (value == null) {
        unresolved = true;
        out.append(raw);
      } else {
        out.append(value);
      }
    }

    private void appendWord(StringBuilder out, String word) {
      if (depth >= MAX_DEPTH) {
        unresolved = true;
        out.append(word);
        return;
      }
      Expansion inner = new Expander(word, escape, env, unknown, depth + 1).run();
      unresolved |= inner.unresolved();
      out.append(inner.value());
    }

    private String lookup(String name) {
      if (unknown.contains(name)) {
        return null;
      }
      return env.get(name);
    }

    private static boolean isNameChar(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
  }
}

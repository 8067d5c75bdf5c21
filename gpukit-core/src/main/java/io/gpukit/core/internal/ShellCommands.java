package io.gpukit.core.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits shell text into simple commands ({@code a && b; c | d} is four), respecting quotes,
 * backslash escapes, {@code $(…)} and backticks, and dropping comments. Only as much of the shell
 * grammar as finding the programs a command line runs needs ({@code kubectl} in rollback commands,
 * a probe in a Kubernetes exec probe): no expansion, no here-documents. Internal: not API.
 */
public final class ShellCommands {

  /** Longest text read; a rollback command is one line, not a megabyte. */
  public static final int MAX_CHARS = 64 * 1024;

  /**
   * One simple command.
   *
   * @param text the command as written, stripped
   * @param offset where {@code text} starts in the input
   * @param words the words, quotes and escapes removed
   */
  public record Simple(String text, int offset, List<String> words) {
    /** Copies the words. */
    public Simple {
      words = List.copyOf(words);
    }
  }

  private ShellCommands() {}

  /** The simple commands of {@code text}, in order; empty ones (a lone {@code ;}) are skipped. */
  public static List<Simple> split(String text) {
    String s = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
    List<Simple> out = new ArrayList<>();
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int start = -1;
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 < n && s.charAt(i + 1) == '\n') {
          i += 2; // a line continuation
          continue;
        }
        start = start < 0 ? i : start;
        inWord = true;
        if (i + 1 < n) {
          word.append(s.charAt(i + 1));
        }
        i += 2;
      } else if (c == '\'') {
        start = start < 0 ? i : start;
        inWord = true;
        int end = s.indexOf('\'', i + 1);
        end = end < 0 ? n : end;
        word.append(s, i + 1, end);
        i = end + 1;
      } else if (c == '"') {
        start = start < 0 ? i : start;
        inWord = true;
        i = doubleQuoted(s, i + 1, word);
      } else if (c == '`' || (c == '$' && i + 1 < n && s.charAt(i + 1) == '(')) {
        start = start < 0 ? i : start;
        inWord = true;
        int end = substitutionEnd(s, i);
        word.append(s, i, end);
        i = end;
      } else if (c == '#' && !inWord) {
        if (start >= 0) {
          add(out, s, start, i, words); // the command ends where its comment starts
        }
        words.clear();
        start = -1;
        int nl = s.indexOf('\n', i);
        i = nl < 0 ? n : nl; // a comment runs to the end of the line
      } else if (isOperator(s, i)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        if (start >= 0) {
          add(out, s, start, i, words);
        }
        words.clear();
        start = -1;
        i += operatorLength(s, i);
      } else if (c == ' ' || c == '\t' || c == '\r') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else {
        start = start < 0 ? i : start;
        inWord = true;
        word.append(c);
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    if (start >= 0) {
      add(out, s, start, n, words);
    }
    return List.copyOf(out);
  }

  private static void add(List<Simple> out, String s, int start, int end, List<String> words) {
    String text = s.substring(start, end).strip();
    if (!words.isEmpty() && !text.isEmpty()) {
      out.add(new Simple(text, start, words));
    }
  }

  /** Reads a double-quoted string from just after its opening quote; returns the index after the closing one. */
  private static int doubleQuoted(String s, int from, StringBuilder word) {
    int i = from;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < n && "\"\\$`\n".indexOf(s.charAt(i + 1)) >= 0) {
        if (s.charAt(i + 1) != '\n') {
          word.append(s.charAt(i + 1));
        }
        i += 2;
      } else {
        word.append(c);
        i++;
      }
    }
    return n;
  }

  /** The index after a {@code $(…)} or {@code `…`} that starts at {@code from}. */
  private static int substitutionEnd(String s, int from) {
    int n = s.length();
    if (s.charAt(from) == '`') {
      int end = s.indexOf('`', from + 1);
      return end < 0 ? n : end + 1;
    }
    int depth = 0;
    int i = from + 1;
    char quote = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"') {
          i++;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\') {
        i++;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      }
      i++;
    }
    return n;
  }

  private static boolean isOperator(String s, int i) {
    char c = s.charAt(i);
    if (c == ';' || c == '|' || c == '\n' || c == '(' || c == ')') {
      return true;
    }
    if (c == '&') {
      boolean redirect = (i > 0 && (s.charAt(i - 1) == '>' || s.charAt(i - 1) == '<'))
          || (i + 1 < s.length() && s.charAt(i + 1) == '>');
      return !redirect;
    }
    return false;
  }

  private static int operatorLength(String s, int i) {
    char c = s.charAt(i);
    boolean doubled = i + 1 < s.length() && s.charAt(i + 1) == c && (c == '&' || c == '|' || c == ';');
    return doubled ? 2 : 1;
  }
}

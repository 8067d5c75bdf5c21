package io.gpukit.core.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * BuildKit's per-instruction argument splitting ({@code line_parsers.go} and {@code
 * split_command.go}). Failures are {@link LineException}s that the parser locates.
 */
final class LineParsers {

  static final String NOT_STRING_ARRAY =
      "when using JSON array syntax, arrays must be comprised of strings only";

  /** A parse failure without a location yet. */
  static final class LineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LineException(String message) {
      super(message, null, false, false);
    }
  }

  private record Parsed(List<String> args, boolean json, RawNode child) {
    static final Parsed EMPTY = new Parsed(List.of(), false, null);
  }

  private LineParsers() {}

  /** BuildKit's {@code newNodeFromLine}: keyword, flags, then the keyword's own splitting. */
  static RawNode nodeFromLine(String line, char escape) {
    return nodeFromLine(line, escape, 0);
  }

  private static RawNode nodeFromLine(String line, char escape, int depth) {
    String trimmed = GoText.trimSpace(line);
    List<String> cmdline = GoText.splitWhitespace(trimmed, 2);
    String cmd = cmdline.get(0);
    List<String> flags = List.of();
    String args = "";
    if (cmdline.size() == 2) {
      List<String> found = new ArrayList<>();
      args = extractBuilderFlags(cmdline.get(1), found);
      flags = found;
    }
    args = GoText.trimSpace(args);
    Parsed parsed =
        switch (cmd.toLowerCase(Locale.ROOT)) {
          case "add", "copy", "volume" -> parseMaybeJsonToList(args);
          case "arg" -> parseNameOrNameVal(args, escape);
          case "cmd", "entrypoint", "run", "shell" -> parseMaybeJson(args);
          case "env" -> parseNameVal(args, "ENV", escape);
          case "label" -> parseNameVal(args, "LABEL", escape);
          case "expose", "from" -> parseStringsWhitespaceDelimited(args);
          case "healthcheck" -> parseHealthConfig(args);
          case "maintainer", "stopsignal", "user", "workdir" -> parseString(args);
          case "onbuild" -> parseSubCommand(args, escape, depth);
          default -> Parsed.EMPTY; // BuildKit keeps unknown instructions without arguments
        };
    return new RawNode(cmd, List.copyOf(flags), parsed.args(), parsed.json(), parsed.child());
  }

  /** BuildKit's {@code extractBuilderFlags}: leading {@code --words}; returns the rest. */
  static String extractBuilderFlags(String line, List<String> words) {
    final int inSpaces = 0;
    final int inWord = 1;
    final int inQuote = 2;
    int phase = inSpaces;
    StringBuilder word = new StringBuilder();
    char quote = 0;
    boolean blankOk = false;
    int n = line.length();
    for (int pos = 0; pos <= n; pos++) {
      char ch = pos != n ? line.charAt(pos) : 0;
      if (phase == inSpaces) {
        if (pos == n) {
          break;
        }
        if (GoText.isSpace(ch)) {
          continue;
        }
        if (ch != '-' || pos + 1 == n || line.charAt(pos + 1) != '-') {
          return line.substring(pos);
        }
        phase = inWord;
      }
      if ((phase == inWord || phase == inQuote) && pos == n) {
        if (!word.toString().equals("--") && (blankOk || word.length() > 0)) {
          words.add(word.toString());
        }
        break;
      }
      if (phase == inWord) {
        if (GoText.isSpace(ch)) {
          phase = inSpaces;
          if (word.toString().equals("--")) {
            return line.substring(pos);
          }
          if (blankOk || word.length() > 0) {
            words.add(word.toString());
          }
          word.setLength(0);
          blankOk = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          phase = inQuote;
          continue;
        }
        if (ch == '\\') {
          if (pos + 1 == n) {
            continue;
          }
          pos++;
          ch = line.charAt(pos);
        }
        word.append(ch);
        continue;
      }
      if (phase == inQuote) {
        if (ch == quote) {
          phase = inWord;
          continue;
        }
        if (ch == '\\') {
          if (pos + 1 == n) {
            phase = inWord;
            continue;
          }
          pos++;
          ch = line.charAt(pos);
        }
        word.append(ch);
      }
    }
    return "";
  }

  /** BuildKit's {@code parseWords}: words with quotes and escapes kept. */
  static List<String> parseWords(String rest, char escape) {
    final int inSpaces = 0;
    final int inWord = 1;
    final int inQuote = 2;
    List<String> words = new ArrayList<>();
    int phase = inSpaces;
    StringBuilder word = new StringBuilder();
    char quote = 0;
    boolean blankOk = false;
    int n = rest.length();
    for (int pos = 0; pos <= n; pos++) {
      char ch = pos != n ? rest.charAt(pos) : 0;
      if (phase == inSpaces) {
        if (pos == n) {
          break;
        }
        if (GoText.isSpace(ch)) {
          continue;
        }
        phase = inWord;
      }
      if ((phase == inWord || phase == inQuote) && pos == n) {
        if (blankOk || word.length() > 0) {
          words.add(word.toString());
        }
        break;
      }
      if (phase == inWord) {
        if (GoText.isSpace(ch)) {
          phase = inSpaces;
          if (blankOk || word.length() > 0) {
            words.add(word.toString());
          }
          word.setLength(0);
          blankOk = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          phase = inQuote;
        }
        if (ch == escape) {
          if (pos + 1 == n) {
            continue;
          }
          word.append(ch);
          pos++;
          ch = rest.charAt(pos);
        }
        word.append(ch);
        continue;
      }
      if (phase == inQuote) {
        if (ch == quote) {
          phase = inWord;
        }
        if (ch == escape && quote != '\'') {
          if (pos + 1 == n) {
            phase = inWord;
            continue;
          }
          pos++;
          word.append(ch);
          ch = rest.charAt(pos);
        }
        word.append(ch);
      }
    }
    return words;
  }

  private static Parsed parseNameVal(String rest, String key, char escape) {
    List<String> words = parseWords(rest, escape);
    if (words.isEmpty()) {
      return Parsed.EMPTY;
    }
    if (!words.get(0).contains("=")) {
      // Legacy form: KEY name value, split once on whitespace.
      List<String> parts = GoText.splitWhitespace(rest, 2);
      if (parts.size() < 2) {
        throw new LineException(key + " must have two arguments");
      }
      return new Parsed(List.of(parts.get(0), parts.get(1), ""), false, null);
    }
    List<String> args = new ArrayList<>();
    for (String word : words) {
      int eq = word.indexOf('=');
      if (eq < 0) {
        throw new LineException(
            "Syntax error - can't find = in "
                + GoText.quote(word)
                + ". Must be of the form: name=value");
      }
      args.add(word.substring(0, eq));
      args.add(word.substring(eq + 1));
      args.add("=");
    }
    return new Parsed(List.copyOf(args), false, null);
  }

  private static Parsed parseNameOrNameVal(String rest, char escape) {
    return new Parsed(List.copyOf(parseWords(rest, escape)), false, null);
  }

  private static Parsed parseStringsWhitespaceDelimited(String rest) {
    if (rest.isEmpty()) {
      return Parsed.EMPTY;
    }
    return new Parsed(List.copyOf(GoText.splitWhitespace(rest, -1)), false, null);
  }

  private static Parsed parseString(String rest) {
    return rest.isEmpty() ? Parsed.EMPTY : new Parsed(List.of(rest), false, null);
  }

  /** {@code null} when {@code rest} is not a JSON array; fails on non-string elements. */
  private static List<String> parseJson(String rest) {
    String text = GoText.trimLeft(rest);
    if (!text.startsWith("[")) {
      return null;
    }
    // Like Go's json.Unmarshal (BuildKit since moby/buildkit#5107): the whole text must be the
    // one JSON value; anything but blanks after the array makes the line shell form.
    return JsonStringArray.decode(text);
  }

  private static Parsed parseMaybeJson(String rest) {
    if (rest.isEmpty()) {
      return Parsed.EMPTY;
    }
    List<String> json = parseJson(rest);
    if (json != null) {
      return new Parsed(json, true, null);
    }
    return new Parsed(List.of(rest), false, null);
  }

  private static Parsed parseMaybeJsonToList(String rest) {
    List<String> json = parseJson(rest);
    if (json != null) {
      return new Parsed(json, true, null);
    }
    return parseStringsWhitespaceDelimited(rest);
  }

  private static Parsed parseHealthConfig(String rest) {
    int sep = 0;
    while (sep < rest.length() && !GoText.isSpace(rest.charAt(sep))) {
      sep++;
    }
    int next = sep;
    while (next < rest.length() && GoText.isSpace(rest.charAt(next))) {
      next++;
    }
    if (sep == 0) {
      return Parsed.EMPTY;
    }
    Parsed cmd = parseMaybeJson(rest.substring(next));
    List<String> args = new ArrayList<>();
    args.add(rest.substring(0, sep));
    args.addAll(cmd.args());
    return new Parsed(List.copyOf(args), cmd.json(), null);
  }

  private static Parsed parseSubCommand(String rest, char escape, int depth) {
    if (rest.isEmpty() || depth > 0) {
      // ONBUILD ONBUILD is rejected by the instruction layer; not descending further keeps a
      // hostile chain of them from exhausting the stack.
      return Parsed.EMPTY;
    }
    RawNode child = nodeFromLine(rest, escape, depth + 1);
    List<String> args = new ArrayList<>();
    args.add(child.command());
    args.addAll(child.args());
    return new Parsed(List.copyOf(args), false, child);
  }
}

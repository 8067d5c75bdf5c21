package io.gpukit.core.promotion;

import io.gpukit.core.internal.ShellCommands;
import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns lines of shell, each with its location, into rollback commands: {@code \} continuations
 * joined, comment and blank lines skipped, a {@code $ } prompt stripped, here-document bodies
 * skipped, each line split into simple commands.
 */
final class ShellScript {

  private static final Pattern PROMPT = Pattern.compile("^\\s*\\$(\\s+|$)");
  private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\\1");

  /**
   * One physical line.
   *
   * @param text the line without its terminator
   * @param location where {@code text} starts
   */
  record Line(String text, SourceLocation location) {}

  private ShellScript() {}

  /** A line's command text without a leading {@code $ } prompt, or empty when it has no prompt. */
  static java.util.Optional<String> withoutPrompt(String line) {
    Matcher m = PROMPT.matcher(line);
    return m.find() ? java.util.Optional.of(line.substring(m.end())) : java.util.Optional.empty();
  }

  /**
   * The rollback commands of shell lines.
   *
   * @param lines the lines, in order
   * @param promptsOnly whether only lines with a {@code $ } prompt are commands (a {@code console}
   *     block, where other lines are output)
   */
  static List<RollbackCommand> commands(List<Line> lines, boolean promptsOnly) {
    List<RollbackCommand> out = new ArrayList<>();
    String heredocEnd = null;
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      if (heredocEnd != null) {
        if (line.text().strip().equals(heredocEnd)) {
          heredocEnd = null;
        }
        continue;
      }
      String text = line.text();
      int column = line.location().column();
      java.util.Optional<String> prompted = withoutPrompt(text);
      if (prompted.isPresent()) {
        column += text.length() - prompted.get().length();
        text = prompted.get();
      } else if (promptsOnly) {
        continue;
      }
      int indent = text.length() - text.stripLeading().length();
      column += indent;
      text = text.strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      SourceLocation at = SourceLocation.of(line.location().file(), line.location().line(), column);
      StringBuilder joined = new StringBuilder(text);
      while (endsWithContinuation(joined) && i + 1 < lines.size()) {
        joined.setLength(joined.length() - 1);
        String next = lines.get(++i).text();
        if (promptsOnly) {
          next = next.replaceFirst("^\\s*>\\s", " "); // a console's continuation prompt
        }
        joined.append(next.stripTrailing());
        if (joined.length() > ShellCommands.MAX_CHARS) {
          break;
        }
      }
      String command = joined.toString().strip();
      if (command.endsWith("\\")) {
        command = command.substring(0, command.length() - 1).strip();
      }
      Matcher heredoc = HEREDOC.matcher(command);
      if (heredoc.find()) {
        heredocEnd = heredoc.group(2);
      }
      out.addAll(split(command, at));
    }
    return List.copyOf(out);
  }

  /** The simple commands of one logical line. */
  static List<RollbackCommand> split(String line, SourceLocation at) {
    List<RollbackCommand> out = new ArrayList<>();
    for (ShellCommands.Simple simple : ShellCommands.split(line)) {
      SourceLocation where = KubectlRollout.offset(at, line, simple.offset());
      out.add(new RollbackCommand(simple.text(), where, KubectlRollout.fromWords(simple.words(), where)));
    }
    return out;
  }

  private static boolean endsWithContinuation(CharSequence s) {
    int backslashes = 0;
    for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }
}

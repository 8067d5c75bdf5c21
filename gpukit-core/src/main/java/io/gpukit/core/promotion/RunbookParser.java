package io.gpukit.core.promotion;

import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a rollback runbook ({@code ROLLBACK.md}): the commands of its fenced shell blocks ({@code
 * ```sh}, {@code ```shell}, {@code ```bash}, {@code ```console}, {@code ~~~} fences too) become
 * rollback commands with their real line numbers. In a {@code console} block only the lines with a
 * {@code $ } prompt are commands (the others are output). Fences follow CommonMark: up to three
 * spaces of indentation, a closing fence of the same character at least as long, an unclosed
 * block running to the end of the file.
 */
final class RunbookParser {

  private static final Pattern OPENING = Pattern.compile("^( {0,3})(`{3,}|~{3,})\\s*([^\\s{]*)?(.*)$");

  /** Info strings of blocks read as shell scripts. */
  static final Set<String> SHELL_INFOS = Set.of("sh", "shell", "bash", "zsh", "console", "shell-session", "shellsession");

  /** Info strings of blocks whose commands carry a prompt and whose other lines are output. */
  private static final Set<String> CONSOLE_INFOS = Set.of("console", "shell-session", "shellsession");

  private RunbookParser() {}

  static PromotionFlow parse(SourceFile file) {
    List<String> lines = file.lines();
    List<RollbackCommand> commands = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      Matcher open = OPENING.matcher(lines.get(i));
      if (!open.matches() || (open.group(2).charAt(0) == '`' && open.group(4).contains("`"))) {
        i++;
        continue;
      }
      String fence = open.group(2);
      String info = open.group(3) == null ? "" : open.group(3).toLowerCase(Locale.ROOT);
      int indent = open.group(1).length();
      List<ShellScript.Line> body = new ArrayList<>();
      i++;
      while (i < lines.size() && !closes(lines.get(i), fence)) {
        String line = lines.get(i);
        int strip = Math.min(indent, line.length() - line.stripLeading().length());
        body.add(new ShellScript.Line(line.substring(strip), SourceLocation.of(file.path(), i + 1, strip + 1)));
        i++;
      }
      i++; // the closing fence
      if (SHELL_INFOS.contains(info)) {
        commands.addAll(ShellScript.commands(body, CONSOLE_INFOS.contains(info)));
      }
    }
    return new PromotionFlow(file.path(), List.of(), commands, true, PromotionFileKind.RUNBOOK);
  }

  private static boolean closes(String line, String fence) {
    String t = line.strip();
    int lead = line.length() - line.stripLeading().length();
    if (lead > 3 || t.length() < fence.length()) {
      return false;
    }
    char c = fence.charAt(0);
    for (int k = 0; k < t.length(); k++) {
      if (t.charAt(k) != c) {
        return false;
      }
    }
    return true;
  }
}

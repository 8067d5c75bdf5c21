package io.gpukit.core.project;

import io.gpukit.core.internal.ShellCommands;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The program a probe command runs, by which two probes are "the same probe": the jar of a {@code
 * java -jar}, the script an interpreter runs, else the executable. Arguments (a {@code --mode}, a
 * {@code --timeout-ms}), paths and a jar's version do not count, so {@code java -jar
 * /opt/gpukit/gpukit-probe.jar --mode liveness} and {@code java -jar gpukit-probe-0.1.0.jar --mode
 * readiness} run the same probe.
 *
 * @param name the program's name: {@code gpukit-probe}, {@code smoke_test.py}, {@code curl}
 */
record ProbeProgram(String name) {

  /** The gpukit probe's name, whether run as a jar or by its main class. */
  static final String GPUKIT_PROBE = "gpukit-probe";

  static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "ash", "zsh", "ksh");
  private static final Pattern INTERPRETER = Pattern.compile("(python[\\d.]*|node|ruby|perl|php|Rscript|julia|deno|bun)");
  private static final Set<String> PREFIXES = Set.of("exec", "env", "nice", "nohup", "command", "sudo", "time");
  /** Shell builtins that prepare rather than probe: the program comes after them. */
  private static final Set<String> SETUP = Set.of("cd", "set", "export", "source", ".", "umask", "ulimit", "true", ":");
  private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");
  /** A shell option that takes the command line: {@code -c}, or short options that include it ({@code -ec}). */
  private static final Pattern SHELL_LINE_OPTION = Pattern.compile("-[A-Za-z]*c[A-Za-z]*");
  private static final Pattern JAR_VERSION = Pattern.compile("-\\d[\\w.-]*$");
  /** Java options that take the next word as their value. */
  static final Set<String> JAVA_OPTIONS_WITH_VALUE =
      Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path", "--add-modules", "--add-opens", "--add-exports");

  /** The program an exec-form command runs ({@code ["sh", "-c", "…"]} is read through). */
  static Optional<ProbeProgram> ofArgv(List<String> argv) {
    List<String> words = commandWords(argv);
    if (words.isEmpty()) {
      return Optional.empty();
    }
    String program = baseName(words.get(0));
    if (SHELLS.contains(program)) {
      return firstArgument(words).map(ProbeProgram::named);
    }
    if (isJava(words.get(0))) {
      return ofJava(words);
    }
    if (INTERPRETER.matcher(program).matches()) {
      int m = words.indexOf("-m");
      if (m >= 0 && m + 1 < words.size()) {
        return Optional.of(named(words.get(m + 1)));
      }
      return firstArgument(words).map(ProbeProgram::named).or(() -> Optional.of(named(program)));
    }
    return Optional.of(named(program));
  }

  /** The program the first command of a shell line runs ({@code cd}, {@code set} and the like skipped). */
  static Optional<ProbeProgram> ofShell(String line) {
    return ofArgv(List.of("sh", "-c", line));
  }

  /**
   * The words of the command whose program {@link #ofArgv} judges: {@code argv} without its
   * prefixes ({@code exec}, {@code env}, {@code VAR=value}, {@code timeout 5}), and for a shell
   * given a line ({@code -c}, or short options that include it, such as {@code -ec}) the line's
   * first command that is not setup ({@code cd}, {@code set} and the like), read the same way.
   * Empty when there is none; a shell without a line is its own command.
   */
  static List<String> commandWords(List<String> argv) {
    List<String> words = withoutPrefixes(argv);
    if (words.isEmpty() || !SHELLS.contains(baseName(words.get(0)))) {
      return words;
    }
    for (int c = 1; c + 1 < words.size(); c++) {
      if (SHELL_LINE_OPTION.matcher(words.get(c)).matches()) {
        for (ShellCommands.Simple command : ShellCommands.split(words.get(c + 1))) {
          List<String> inner = withoutPrefixes(command.words());
          if (!inner.isEmpty() && !SETUP.contains(inner.get(0))) {
            return commandWords(inner);
          }
        }
        return List.of();
      }
    }
    return words;
  }

  /** Whether a command's first word runs the JVM. */
  static boolean isJava(String word) {
    String base = baseName(word);
    return base.equals("java") || base.equals("java.exe");
  }

  /** A program by name, normalised: no folder, no jar version, the gpukit probe by one name. */
  static ProbeProgram named(String pathOrName) {
    String base = baseName(pathOrName);
    if (base.startsWith("io.gpukit.probe")) {
      return new ProbeProgram(GPUKIT_PROBE);
    }
    if (base.toLowerCase(Locale.ROOT).endsWith(".jar")) {
      String jar = base.substring(0, base.length() - 4);
      return new ProbeProgram(JAR_VERSION.matcher(jar).replaceFirst(""));
    }
    return new ProbeProgram(base);
  }

  /** Whether a script (a CI step's {@code run}) runs this program. */
  boolean isRunBy(String script) {
    if (name.equals(GPUKIT_PROBE)) {
      return script.contains(GPUKIT_PROBE) || script.contains("io.gpukit.probe");
    }
    return Pattern.compile("(?<![\\w.-])" + Pattern.quote(name) + "(?![\\w-]|\\.\\w)").matcher(script).find();
  }

  /** How the program is written in messages: {@code 'gpukit-probe'}. */
  String quoted() {
    return "'" + name + "'";
  }

  private static Optional<ProbeProgram> ofJava(List<String> words) {
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      if (w.equals("-jar") && i + 1 < words.size()) {
        return Optional.of(named(words.get(i + 1)));
      }
      if (JAVA_OPTIONS_WITH_VALUE.contains(w)) {
        i++;
      } else if (!w.startsWith("-")) {
        return Optional.of(named(w)); // the main class
      }
    }
    return Optional.of(named("java"));
  }

  private static Optional<String> firstArgument(List<String> words) {
    for (int i = 1; i < words.size(); i++) {
      if (!words.get(i).startsWith("-")) {
        return Optional.of(words.get(i));
      }
    }
    return Optional.empty();
  }

  /** Drops {@code exec}, {@code env}, {@code VAR=value} and {@code timeout 5} before the program. */
  static List<String> withoutPrefixes(List<String> argv) {
    int i = 0;
    while (i < argv.size()) {
      String w = argv.get(i).strip();
      String base = baseName(w);
      if (w.isEmpty() || PREFIXES.contains(base) || ASSIGNMENT.matcher(w).matches()
          || (i > 0 && w.startsWith("-") && PREFIXES.contains(baseName(argv.get(i - 1))))) {
        i++;
      } else if (base.equals("timeout")) {
        i++;
        while (i < argv.size() && argv.get(i).startsWith("-")) {
          i++;
        }
        i++; // the duration
      } else {
        break;
      }
    }
    return i >= argv.size() ? List.of() : argv.subList(i, argv.size());
  }

  static String baseName(String path) {
    String p = path.strip();
    int slash = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
    return slash >= 0 ? p.substring(slash + 1) : p;
  }
}

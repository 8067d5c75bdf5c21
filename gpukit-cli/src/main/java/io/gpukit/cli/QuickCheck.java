package io.gpukit.cli;

import io.gpukit.core.report.ReportFormat;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The common {@code check} command lines, read without picocli: a pre-commit hook runs
 * {@code gpukit check FILE} once per changed file, and building picocli's model of the commands
 * (it reads every option's annotations by reflection, one proxy class per annotation type) costs
 * such a run a fifth of its time.
 *
 * <p>The shape read here, and nothing else:
 *
 * <pre>
 * check [--format text|json|sarif] [--fail-on error|warning|info|never] [--config FILE] [PATH...]
 * </pre>
 *
 * <p>in any order, each option at most once, its value after a space or an {@code =}. Anything
 * else (help, the version, any other option or value, {@code --}, an argument file {@code @FILE},
 * a value or path that starts with {@code -} or {@code @}, an empty one, a repeated option,
 * picocli's own {@code picocli.*} settings) is left to picocli, which runs it as before: its errors
 * and "did you mean" stay its own. What both run is the same {@link CheckCommand} with the same
 * fields, so output and exit codes are the same; a test runs command lines through both.
 */
final class QuickCheck {

  private QuickCheck() {}

  /** The check {@code args} ask for, or null when they are not the shape read here. */
  static CheckCommand parse(String... args) {
    if (args.length == 0 || !args[0].equals("check") || picocliSettings()) {
      return null;
    }
    CheckCommand check = new CheckCommand();
    List<Path> paths = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("-")) {
        Path path = path(arg);
        if (path == null) {
          return null;
        }
        paths.add(path);
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        return null; // a missing value: picocli says so
      }
      if (!plain(value) || !set(check, name, value)) {
        return null;
      }
    }
    check.paths = paths.isEmpty() ? null : List.copyOf(paths);
    if (check.format == null) {
      check.format = ReportFormat.TEXT;
    }
    return check;
  }

  /** Sets option {@code name} to {@code value}; false where either is outside the shape or set twice. */
  private static boolean set(CheckCommand check, String name, String value) {
    switch (name) {
      case "--format" -> {
        if (check.format != null || !(value.equals("text") || value.equals("json") || value.equals("sarif"))) {
          return false;
        }
        check.format = ReportFormat.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        return true;
      }
      case "--fail-on" -> {
        if (check.failOn != null
            || !(value.equals("error") || value.equals("warning") || value.equals("info") || value.equals("never"))) {
          return false;
        }
        check.failOn = CheckCommand.FailOn.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        return true;
      }
      case "--config" -> {
        if (check.config != null) {
          return false;
        }
        check.config = path(value);
        return check.config != null;
      }
      default -> {
        return false;
      }
    }
  }

  /** A value picocli would take as it is: not empty, not an option, not an argument file. */
  private static boolean plain(String value) {
    return !value.isEmpty() && !value.startsWith("-") && !value.startsWith("@");
  }

  /** The path picocli would convert {@code arg} to, or null where it would not (and says why). */
  private static Path path(String arg) {
    if (!plain(arg)) {
      return null;
    }
    try {
      return Path.of(arg);
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /** Whether a {@code picocli.*} system property changes what picocli does (tracing, say). */
  private static boolean picocliSettings() {
    for (Object key : System.getProperties().keySet()) {
      if (key instanceof String s && s.startsWith("picocli.")) {
        return true;
      }
    }
    return false;
  }
}

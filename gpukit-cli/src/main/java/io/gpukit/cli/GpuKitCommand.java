package io.gpukit.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code gpukit} command line.
 *
 * <p>Exit codes: 0 nothing at or above the fail threshold; 1 findings (parse errors included); 2
 * usage error (unknown option, missing path, bad configuration); 3 an internal error (a gpukit
 * bug).
 *
 * @since 0.1.0
 */
@Command(
    name = "gpukit",
    mixinStandardHelpOptions = true,
    versionProvider = GpuKitCommand.Version.class,
    description = "Checks that a GPU service repository's container lifecycle is sound.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:nothing at or above the fail threshold",
      "1:findings (parse errors included)",
      "2:usage error",
      "3:internal error (a gpukit bug; please report it)"
    })
public final class GpuKitCommand implements Runnable {

  /** Exit code: nothing at or above the fail threshold. */
  public static final int OK = 0;
  /** Exit code: findings. */
  public static final int FINDINGS = 1;
  /** Exit code: usage error. */
  public static final int USAGE = 2;
  /** Exit code: internal error. */
  public static final int INTERNAL = 3;

  /**
   * The subcommands' names, in the order the usage help lists them. Each subcommand is built only
   * when the command line asks for it ({@link #addSubcommands}): picocli reads a command's options
   * by reflection when it is added, and {@code gpukit check FILE}, run once per file by a pre-commit
   * hook, should not pay for the other four.
   */
  static final List<String> SUBCOMMANDS = List.of("check", "parse", "rules", "explain", "rollout", "init", "help");

  @Spec CommandSpec spec;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(execute(out, err, args));
  }

  /** Runs the command line with the given streams and returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CheckCommand quick = QuickCheck.parse(args);
    return quick == null ? executeWithPicocli(out, err, args) : executeQuick(quick, out, err);
  }

  /**
   * The common {@code check} command lines ({@link QuickCheck}) without picocli's model: the same
   * command, its errors handled as picocli's handlers below handle them.
   */
  static int executeQuick(CheckCommand check, PrintWriter out, PrintWriter err) {
    check.out = out;
    check.err = err;
    int code;
    try {
      code = check.call();
    } catch (Exception e) {
      code = failure(e, err);
    }
    out.flush();
    err.flush();
    return code;
  }

  /** Runs the command line through picocli, as every command line but the common checks. */
  static int executeWithPicocli(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cmd = new CommandLine(new GpuKitCommand());
    // Before the settings below: picocli applies them to the subcommands there at the time.
    addSubcommands(cmd, args);
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExitCodeExceptionMapper(t -> INTERNAL);
    cmd.setParameterExceptionHandler(
        (ex, params) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("gpukit: " + oneLine(ex.getMessage()));
          c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
          c.getErr().flush();
          return USAGE;
        });
    cmd.setExecutionExceptionHandler(
        (ex, c, parseResult) -> failure(ex, c.getErr()));
    int code = cmd.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** A command's exception on standard error, one line; its exit code: usage or internal error. */
  private static int failure(Exception ex, PrintWriter err) {
    if (ex instanceof UsageException) {
      err.println("gpukit: " + oneLine(ex.getMessage()));
      err.flush();
      return USAGE;
    }
    err.println("gpukit: internal error: " + oneLine(String.valueOf(ex)) + " (please report this as a gpukit bug)");
    err.flush();
    return INTERNAL;
  }

  /**
   * Adds the subcommand the first argument names, or all of them when it names none (no argument,
   * an option such as {@code --help}, {@code help}, a typo): usage help, "did you mean" and the
   * help command then see every subcommand, as before.
   */
  static void addSubcommands(CommandLine cmd, String... args) {
    String first = args.length == 0 ? "" : args[0];
    boolean one = SUBCOMMANDS.contains(first) && !first.equals("help");
    for (String name : SUBCOMMANDS) {
      if (!one || name.equals(first)) {
        cmd.addSubcommand(name, subcommand(name));
      }
    }
  }

  private static Object subcommand(String name) {
    return switch (name) {
      case "check" -> new CheckCommand();
      case "parse" -> new ParseCommand();
      case "rules" -> new RulesCommand();
      case "explain" -> new ExplainCommand();
      case "rollout" -> new RolloutCommand();
      case "init" -> new InitCommand();
      case "help" -> new CommandLine.HelpCommand();
      default -> throw new IllegalArgumentException("no subcommand " + name);
    };
  }

  /**
   * A message on one line: line breaks (from a YAML problem, a file name) become spaces and other
   * control characters are escaped, so an error is always exactly one line on standard error.
   */
  static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(message.length());
    String collapsed = message.strip().replaceAll("\\s*\\R\\s*", " ");
    for (int i = 0; i < collapsed.length(); i++) {
      char c = collapsed.charAt(i);
      if (c != '\t' && Character.getType(c) == Character.CONTROL) {
        sb.append(String.format("\\u%04X", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: check, parse, rollout, rules, explain or init");
  }

  /** A usage error found while running: a missing path, a bad configuration. Exit code 2. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = GpuKitCommand.class.getPackage().getImplementationVersion();
      return new String[] {"gpukit " + (v == null ? "development build" : v)};
    }
  }
}

package io.gpukit.probe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Parses the small command line by hand, with one precise message per mistake. */
final class ProbeArgs {

  private ProbeArgs() {}

  /** The command line is wrong; exit 64. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** {@code --help} was given. */
  static final class HelpRequested extends Exception {
    private static final long serialVersionUID = 1L;
  }

  static ProbeOptions parse(String[] args) throws UsageException, HelpRequested {
    ProbeMode mode = ProbeMode.READINESS;
    Integer device = null;
    long minFree = 0;
    Integer maxTemp = null;
    Duration timeout = null;
    int sgemm = ProbeOptions.DEFAULT_SGEMM_SIZE;
    boolean json = false;
    Path heartbeat = null;
    Duration maxAge = null;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!name.equals("--help") && !name.equals("-h") && !seen.add(name)) {
        throw new UsageException(name + " is given more than once");
      }
      switch (name) {
        case "--help", "-h" -> throw new HelpRequested();
        case "--json" -> {
          if (value != null) {
            throw new UsageException("--json takes no value");
          }
          json = true;
        }
        case "--mode" -> {
          String v = value != null ? value : next(args, ++i, name);
          // No Optional.orElseThrow(lambda): the first lambda costs the cold probe milliseconds.
          mode = ProbeMode.fromCliName(v).orElse(null);
          if (mode == null) {
            throw new UsageException("--mode must be readiness, liveness or deep, not '" + v + "'");
          }
        }
        case "--device" -> {
          String v = value != null ? value : next(args, ++i, name);
          device = v.equals("all") ? null : (int) number(name, v, 0, 1023);
        }
        case "--min-free-mib" -> minFree = number(name, value != null ? value : next(args, ++i, name),
            0, 1L << 40);
        case "--max-temp-c" -> maxTemp = (int) number(name,
            value != null ? value : next(args, ++i, name), 1, 200);
        case "--timeout-ms" -> timeout = Duration.ofMillis(number(name,
            value != null ? value : next(args, ++i, name), 1, 3_600_000));
        case "--sgemm-size" -> sgemm = (int) number(name,
            value != null ? value : next(args, ++i, name), 1, 8192);
        case "--heartbeat" -> {
          String v = value != null ? value : next(args, ++i, name);
          if (v.isBlank()) {
            throw new UsageException("--heartbeat needs a file");
          }
          heartbeat = Path.of(v);
        }
        case "--max-age" -> {
          String v = value != null ? value : next(args, ++i, name);
          try {
            maxAge = parseDuration(v);
          } catch (IllegalArgumentException e) {
            throw new UsageException("--max-age " + e.getMessage());
          }
        }
        default -> throw new UsageException(arg.startsWith("-")
            ? "unknown option " + name : "unexpected argument '" + arg + "'");
      }
    }
    if (heartbeat == null && maxAge != null) {
      throw new UsageException("--max-age only applies with --heartbeat FILE");
    }
    if (heartbeat != null) {
      for (String probeOnly : new String[] {"--mode", "--device", "--min-free-mib", "--max-temp-c",
          "--timeout-ms", "--sgemm-size"}) {
        if (seen.contains(probeOnly)) {
          throw new UsageException(probeOnly + " cannot be combined with --heartbeat (the "
              + "service's GpuHeartbeat decides what is checked)");
        }
      }
    }
    if (seen.contains("--sgemm-size") && mode != ProbeMode.DEEP) {
      throw new UsageException("--sgemm-size only applies with --mode deep");
    }
    return new ProbeOptions(mode, device, minFree, maxTemp,
        timeout != null ? timeout : mode.defaultTimeout(), sgemm, json, heartbeat,
        maxAge != null ? maxAge : ProbeOptions.DEFAULT_MAX_AGE);
  }

  private static String next(String[] args, int i, String name) throws UsageException {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new UsageException(name + " needs a value");
    }
    return args[i];
  }

  private static long number(String name, String text, long min, long max) throws UsageException {
    long v;
    try {
      v = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(name + " needs a whole number, not '" + text + "'");
    }
    if (v < min || v > max) {
      throw new UsageException(name + " must be between " + min + " and " + max + ", not " + v);
    }
    return v;
  }

  /**
   * {@code 500ms}, {@code 15s}, {@code 2m}, or a bare number of seconds: 1 to 9 digits and an
   * optional unit. By hand, not with a regular expression: compiling one is the first use of
   * lambdas inside the JDK, which costs a cold probe milliseconds.
   */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    int digits = 0;
    while (digits < t.length() && t.charAt(digits) >= '0' && t.charAt(digits) <= '9') {
      digits++;
    }
    String unit = t.substring(digits);
    if (digits == 0 || digits > 9 || !(unit.isEmpty() || unit.equals("ms") || unit.equals("s")
        || unit.equals("m"))) {
      throw new IllegalArgumentException("needs a duration such as 500ms, 15s or 2m, not '"
          + text + "'");
    }
    long n = Long.parseLong(t.substring(0, digits));
    if (unit.isEmpty()) {
      unit = "s";
    }
    Duration d = switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
    if (d.isZero()) {
      throw new IllegalArgumentException("must be more than zero");
    }
    return d;
  }
}

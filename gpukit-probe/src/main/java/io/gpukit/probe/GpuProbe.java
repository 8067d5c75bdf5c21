package io.gpukit.probe;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code gpukit-probe} command: checks, in order and each under a watchdog, that NVML loads and
 * initialises, that CUDA sees the GPUs, that bytes survive a round trip to device memory and that a
 * real kernel computes what the CPU computes; prints one JSON line on stdout and a human-readable
 * report on stderr; and exits with a {@link ProbeExitCode}.
 *
 * <pre>
 * java -jar gpukit-probe.jar [--mode readiness|liveness|deep] [--device N|all]
 *     [--min-free-mib N] [--max-temp-c N] [--timeout-ms N] [--sgemm-size N] [--json]
 * java -jar gpukit-probe.jar --heartbeat FILE [--max-age 15s] [--json]
 * </pre>
 *
 * @since 0.1.0
 */
public final class GpuProbe {

  static final String USAGE = String.join("\n",
      "Usage: gpukit-probe [--mode readiness|liveness|deep] [--device N|all]",
      "                    [--min-free-mib N] [--max-temp-c N] [--timeout-ms N]",
      "                    [--sgemm-size N] [--json]",
      "       gpukit-probe --heartbeat FILE [--max-age DURATION] [--json]",
      "",
      "  --mode          liveness: driver and devices; readiness (default): plus a CUDA",
      "                  context, a 4 MiB round trip and a saxpy kernel; deep: plus a",
      "                  cuBLAS SGEMM and the largest single allocation",
      "  --device        a CUDA ordinal, or all (default)",
      "  --min-free-mib  fail (14) when a device has less free memory",
      "  --max-temp-c    fail (14) when a device is hotter",
      "  --timeout-ms    total deadline of all checks (default 900, deep 30000); a check",
      "                  still running then ends the probe with 15",
      "  --sgemm-size    matrix size of the deep-mode SGEMM (default 256)",
      "  --heartbeat     judge a GpuHeartbeat status file instead of touching the GPU",
      "  --max-age       how old that file may be: 500ms, 15s, 2m (default 30s)",
      "  --json          print only the JSON line",
      "",
      "Exit codes: 0 healthy, 10 driver unavailable, 11 no CUDA device, 12 tensor round",
      "trip failed, 13 kernel mismatch, 14 threshold breached, 15 watchdog timeout,",
      "64 usage, 70 internal error.");

  private GpuProbe() {}

  /**
   * Runs the probe and exits the JVM with its code. When a check is still hung in native code, the
   * JVM is halted after the output is flushed, since the stuck thread would never let it finish.
   *
   * @param args the command line
   * @since 0.1.0
   */
  public static void main(String[] args) {
    Trace.mark("main");
    // First of all, so that the driver's ~200 ms of cuInit and primary context overlap the
    // argument parsing and the class loading up to the checks; only for a command line that asks
    // for a readiness or deep run (usage errors, --help, liveness and heartbeat start nothing).
    int early = earlyDevice(args, System.getProperty(WARM_UP_PROPERTY));
    if (early != NO_EARLY_START) {
      NativeWarmUp.startEarly(early == ALL_DEVICES ? null : early);
    }
    int code;
    boolean halt;
    // A short-lived process frees nothing it allocates natively before it exits anyway; without
    // this JavaCPP starts a deallocator thread and tracks every Pointer. -D on the command line wins.
    if (System.getProperty(NO_POINTER_GC) == null) {
      System.setProperty(NO_POINTER_GC, "true");
    }
    try {
      Exit exit = args.length == 1 && args[0].equals(CdsTraining.FLAG)
          ? CdsTraining.run(System.out)
          : run(args, System.getenv(), System.out, System.err, JAVACPP, Clock.systemUTC());
      code = exit.code();
      halt = exit.halt();
    } catch (Throwable t) {
      System.err.println("gpukit-probe: internal error: " + t);
      code = ProbeExitCode.INTERNAL.code();
      halt = true;
    }
    System.out.flush();
    Trace.mark("flushed");
    Trace.print(System.err);
    System.err.flush();
    if (halt) {
      // A check is stuck (in the driver, perhaps): waiting for the agent's thread helps no one.
      NativeWarmUp.exitWithoutWaiting();
    }
    if (halt || "halt".equals(System.getProperty(EXIT_PROPERTY))) {
      Runtime.getRuntime().halt(code);
    }
    System.exit(code);
  }

  /**
   * {@code -Dgpukit.probe.exit=halt} ends every run with {@code Runtime.halt} once stdout and
   * stderr are flushed, skipping the JVM's shutdown hooks (an experiment for {@code gpu/startup.sh};
   * the hooks delete JavaCPP's temporary extraction directory when no cache directory is set).
   */
  static final String EXIT_PROPERTY = "gpukit.probe.exit";

  static final String NO_POINTER_GC = "org.bytedeco.javacpp.nopointergc";

  /**
   * {@code -Dgpukit.probe.warmup=false} runs every driver call on the checks thread only;
   * {@code javacpp} leaves out the early CUDA start through the probe's own JNI library
   * ({@link NativeWarmUp}) and starts CUDA once JavaCPP has linked its binding; {@code late}
   * likewise, and waits for {@code nvmlInit_v2} to return before {@code cuInit}; {@code afterparse}
   * starts the probe's own library only at the {@code natives.cache} check, not first thing in
   * {@code main} (see {@link #earlyDevice}).
   */
  static final String WARM_UP_PROPERTY = "gpukit.probe.warmup";

  /**
   * {@code -Dgpukit.probe.warmup=afterparse}: the early CUDA start as before, once the arguments
   * are parsed and the {@code natives.cache} check has run, instead of first thing in {@code main}
   * (to compare the two).
   */
  static final String WARM_UP_AFTER_PARSE = "afterparse";

  /** {@link #earlyDevice}: start nothing before the arguments are parsed. */
  static final int NO_EARLY_START = -2;
  /** {@link #earlyDevice}: start the driver with the primary context of every device. */
  static final int ALL_DEVICES = -1;

  /**
   * Whether {@code main} starts the driver before it parses {@code args}, from a cheap scan that
   * says yes only for a command line the parser will accept as a readiness or deep run: every
   * argument a probe option given once, with a value where it takes one, {@code --mode} readiness
   * or deep, {@code --device} all or a number the parser accepts, {@code --sgemm-size} only with
   * deep; and {@code warmUp} ({@code -Dgpukit.probe.warmup}) unset or {@code true}. Anything else
   * ({@code --help}, {@code --heartbeat}, liveness, the hidden modes, an unknown or repeated
   * option, a missing value) starts nothing, and the parser decides as before. Returns the device
   * whose primary context to retain, {@link #ALL_DEVICES}, or {@link #NO_EARLY_START}.
   */
  static int earlyDevice(String[] args, String warmUp) {
    if (warmUp != null && !warmUp.equals("true")) {
      return NO_EARLY_START;
    }
    boolean deep = false;
    boolean sgemm = false;
    int device = ALL_DEVICES;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value = null;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!seen.add(name)) {
        return NO_EARLY_START;
      }
      if (name.equals("--json")) {
        if (value != null) {
          return NO_EARLY_START;
        }
        continue;
      }
      if (!name.equals("--mode") && !name.equals("--device") && !name.equals("--min-free-mib")
          && !name.equals("--max-temp-c") && !name.equals("--timeout-ms")
          && !name.equals("--sgemm-size")) {
        return NO_EARLY_START;
      }
      if (value == null) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          return NO_EARLY_START;
        }
        value = args[++i];
      }
      if (name.equals("--mode")) {
        if (value.equals("deep")) {
          deep = true;
        } else if (!value.equals("readiness")) {
          return NO_EARLY_START;
        }
      } else if (name.equals("--device")) {
        device = value.equals("all") ? ALL_DEVICES : (int) number(value, 0, 1023);
        if (device == NO_EARLY_START) {
          return NO_EARLY_START;
        }
      } else if (number(value, name.equals("--min-free-mib") ? 0 : 1, name.equals("--min-free-mib")
          ? 1L << 40 : name.equals("--max-temp-c") ? 200 : name.equals("--timeout-ms")
          ? 3_600_000 : 8192) == NO_EARLY_START) {
        return NO_EARLY_START;
      } else if (name.equals("--sgemm-size")) {
        sgemm = true;
      }
    }
    return sgemm && !deep ? NO_EARLY_START : device;
  }

  /**
   * A plain decimal number from {@code min} to {@code max} (a subset of what {@link ProbeArgs}
   * accepts), else {@link #NO_EARLY_START}.
   */
  private static long number(String text, long min, long max) {
    String t = text.trim();
    if (t.isEmpty() || t.length() > 18) {
      return NO_EARLY_START;
    }
    long n = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return NO_EARLY_START;
      }
      n = n * 10 + (c - '0');
    }
    return n >= min && n <= max ? n : NO_EARLY_START;
  }

  /** An anonymous class rather than a method reference: the first lambda costs start-up time. */
  private static final Supplier<GpuApi> JAVACPP = new Supplier<GpuApi>() {
    @Override
    public GpuApi get() {
      return new JavaCppGpuApi(true);
    }
  };

  /** How the process should end. */
  record Exit(int code, boolean halt) {}

  static Exit run(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
      Supplier<GpuApi> gpu, Clock clock) {
    if (args.length == 2 && args[0].equals(WRITE_HEARTBEAT)) {
      return writeHeartbeat(java.nio.file.Path.of(args[1]), out, gpu);
    }
    ProbeOptions options;
    try {
      options = ProbeArgs.parse(args);
      Trace.mark("parsed");
    } catch (ProbeArgs.HelpRequested e) {
      out.println(USAGE);
      return new Exit(0, false);
    } catch (ProbeArgs.UsageException e) {
      ProbeResult result = new ProbeResult(ProbeExitCode.USAGE, "none", java.util.List.of(),
          java.util.List.of(), Map.of("probe", ProbeRunner.probeVersion()),
          Map.of("error", e.getMessage()));
      out.println(result.toJson());
      err.println("gpukit-probe: " + e.getMessage());
      err.println(USAGE);
      return new Exit(ProbeExitCode.USAGE.code(), false);
    }
    ProbeResult result;
    boolean hung = false;
    try {
      if (options.heartbeatFile() != null) {
        // Judges a file only: no JavaCPP class is loaded on this path.
        result = HeartbeatJudge.judge(options.heartbeatFile(), options.maxAge(), clock);
      } else {
        ProbeRunner runner = new ProbeRunner(gpu.get(), env.get(ProbeRunner.HANG_ENV), false)
            .warmUp(!"false".equals(System.getProperty(WARM_UP_PROPERTY)));
        ProbeRunner.Outcome outcome = runner.run(options);
        result = outcome.result();
        hung = outcome.hung();
        Trace.mark("ran");
        if (!hung) {
          runner.close();
        }
      }
    } catch (RuntimeException | LinkageError e) {
      result = new ProbeResult(ProbeExitCode.INTERNAL, options.mode().cliName(),
          java.util.List.of(), java.util.List.of(), Map.of("probe", ProbeRunner.probeVersion()),
          Map.of("error", String.valueOf(e)));
    }
    Trace.mark("checked");
    String json = result.toJson();
    Trace.mark("json");
    out.println(json);
    if (!options.json()) {
      err.print(human(result));
    }
    Trace.mark("printed");
    return new Exit(result.code().code(), hung);
  }

  /**
   * Not in the usage text: runs an embedded {@link GpuHeartbeat} for two beats in this process and
   * leaves its file behind, so that the heartbeat's real GPU path can be verified with the jar alone.
   */
  static final String WRITE_HEARTBEAT = "--write-heartbeat";

  private static Exit writeHeartbeat(java.nio.file.Path file, PrintStream out,
      Supplier<GpuApi> gpu) {
    try (GpuHeartbeat heartbeat = GpuHeartbeat.builder().file(file).gpu(gpu).build()) {
      heartbeat.beat();
      ProbeResult second = heartbeat.beat();
      out.println(Json.write(Map.of("file", file.toString(), "code", second.code().code())));
      return new Exit(second.code().code(), second.code() == ProbeExitCode.WATCHDOG_TIMEOUT);
    }
  }

  static String human(ProbeResult result) {
    StringBuilder sb = new StringBuilder();
    sb.append("gpukit-probe ").append(result.mode()).append(": ").append(result.code().name())
        .append(" (exit ").append(result.code().code()).append(", ")
        .append(result.code().description()).append(")\n");
    for (CheckResult c : result.checks()) {
      sb.append(String.format(Locale.ROOT, "  %-4s %-18s %10d us  %s%n", c.ok() ? "ok" : "FAIL",
          c.name(), c.micros(), c.detail()));
    }
    Object error = result.extra().get("error");
    if (error != null) {
      sb.append("  error: ").append(error).append('\n');
    }
    for (Map<String, Object> d : result.devices()) {
      sb.append("  device ").append(d.get("cudaOrdinal") == null ? "-" : "cuda:"
          + d.get("cudaOrdinal")).append(' ').append(d.getOrDefault("name", "?")).append(' ')
          .append(d.get("uuid"));
      if (d.get("memory") instanceof Map<?, ?> mem) {
        sb.append(", ").append(mem.get("freeMib")).append('/').append(mem.get("totalMib"))
            .append(" MiB free");
      }
      if (d.get("temperatureC") != null) {
        sb.append(", ").append(d.get("temperatureC")).append(" C");
      }
      sb.append('\n');
    }
    if (!result.versions().isEmpty()) {
      sb.append("  versions ").append(result.versions()).append('\n');
    }
    return sb.toString();
  }
}

package io.gpukit.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the checks in order on one dedicated daemon thread (so that every CUDA call sees the same
 * current context) under a watchdog: the whole run has one deadline, and a check that is still
 * running when it passes is reported as hung. The hung thread cannot be stopped; the cold probe then
 * halts the JVM, and a heartbeat reports the same hang until the call returns.
 */
final class ProbeRunner implements AutoCloseable {

  /** The environment variable naming a check to hang forever, for testing the watchdog. */
  static final String HANG_ENV = "GPUKIT_PROBE_TEST_HANG";

  static final int ROUND_TRIP_BYTES = 4 << 20;
  static final int SAXPY_ELEMENTS = 1 << 16;
  static final long ALLOC_GRANULARITY = 64L << 20;
  /** Hardware slowdown, hardware thermal slowdown and hardware power brake. */
  static final long HW_THROTTLE_MASK = 0x8L | 0x40L | 0x80L;

  private static final String[] THROTTLE_NAMES = {
    "GPU_IDLE", "APPLICATIONS_CLOCKS_SETTING", "SW_POWER_CAP", "HW_SLOWDOWN", "SYNC_BOOST",
    "SW_THERMAL_SLOWDOWN", "HW_THERMAL_SLOWDOWN", "HW_POWER_BRAKE_SLOWDOWN", "DISPLAY_CLOCK_SETTING"
  };

  private final GpuApi api;
  private final String hangCheck;
  private final boolean watchXid;
  private final ExecutorService worker;
  private boolean warmUp;
  private Future<?> stuck;
  private String stuckCheck;
  private Instant stuckSince;

  ProbeRunner(GpuApi api, String hangCheck, boolean watchXid) {
    this.api = api;
    this.hangCheck = hangCheck == null || hangCheck.isBlank() ? null : hangCheck.trim();
    this.watchXid = watchXid;
    this.worker = Executors.newSingleThreadExecutor(new DaemonThreads());
  }

  /**
   * Lets the GPU API start the slow driver work (linking the CUDA binding, {@code cuInit}, the
   * primary contexts) on a second thread as soon as the native cache is ready, so that it overlaps
   * with linking and querying NVML. For the cold probe only: the checks still run in order and
   * report what they see; they merely find the driver further along.
   */
  ProbeRunner warmUp(boolean on) {
    this.warmUp = on;
    return this;
  }

  /** A named class rather than a lambda: the first lambda costs the cold probe milliseconds. */
  private static final class DaemonThreads implements java.util.concurrent.ThreadFactory {
    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "gpukit-probe-check");
      t.setDaemon(true);
      return t;
    }
  }

  /** The outcome of {@link #run}: the result, and whether a check is still stuck in its thread. */
  record Outcome(ProbeResult result, boolean hung) {}

  /** An expected failure of a check, with the exit code it maps to. */
  static final class CheckFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final ProbeExitCode code;

    CheckFailure(ProbeExitCode code, String message) {
      super(message);
      this.code = code;
    }
  }

  /** A check: its name, the code its failure maps to, and what {@link #body} runs for it. */
  record Step(String name, ProbeExitCode failure) {}

  /** What the checks learn; written by the worker thread, read after it finished (or hung). */
  static final class State {
    final ProbeOptions options;
    final Map<String, Object> versions = Collections.synchronizedMap(new LinkedHashMap<>());
    final List<NvmlDevice> nvmlDevices = Collections.synchronizedList(new ArrayList<>());
    final List<String> cudaUuids = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> selected = Collections.synchronizedList(new ArrayList<>());
    final Map<Integer, Long> maxAllocBytes = Collections.synchronizedMap(new LinkedHashMap<>());

    State(ProbeOptions options) {
      this.options = options;
    }
  }

  Outcome run(ProbeOptions options) {
    State state = new State(options);
    List<CheckResult> checks = new ArrayList<>();
    ProbeExitCode code = ProbeExitCode.HEALTHY;
    boolean hung = false;
    synchronized (this) {
      if (stuck != null && !stuck.isDone()) {
        long secs = Duration.between(stuckSince, Instant.now()).toSeconds();
        checks.add(new CheckResult(stuckCheck, false, 0,
            "still hung from an earlier run, for " + secs + " s; no new check was started"));
        return new Outcome(result(ProbeExitCode.WATCHDOG_TIMEOUT, options, checks, state), true);
      }
      stuck = null;
    }
    long start = System.nanoTime();
    long deadline = start + options.timeout().toNanos();
    for (Step step : steps(options.mode())) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        checks.add(new CheckResult(step.name(), false, 0,
            "not started: the " + options.timeout().toMillis() + " ms budget was spent"));
        code = ProbeExitCode.WATCHDOG_TIMEOUT;
        break;
      }
      long[] micros = new long[1];
      long submitted = System.nanoTime();
      Future<String> future = worker.submit(new Timed(step, state, micros));
      try {
        String detail = future.get(remaining, TimeUnit.NANOSECONDS);
        checks.add(new CheckResult(step.name(), true, micros[0], detail));
      } catch (TimeoutException e) {
        long waited = (System.nanoTime() - submitted) / 1000;
        checks.add(new CheckResult(step.name(), false, waited, "no answer within the "
            + options.timeout().toMillis() + " ms budget; the watchdog ended the probe"));
        code = ProbeExitCode.WATCHDOG_TIMEOUT;
        hung = true;
        synchronized (this) {
          stuck = future;
          stuckCheck = step.name();
          stuckSince = Instant.now();
        }
        break;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        ProbeExitCode failure = classify(cause, step.failure());
        checks.add(new CheckResult(step.name(), false, micros[0], message(cause)));
        code = failure;
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        checks.add(new CheckResult(step.name(), false, 0, "interrupted"));
        code = ProbeExitCode.INTERNAL;
        break;
      }
    }
    return new Outcome(result(code, options, checks, state), hung);
  }

  /** Runs one check on the worker thread and records its duration. */
  private final class Timed implements java.util.concurrent.Callable<String> {
    private final Step step;
    private final State state;
    private final long[] micros;

    Timed(Step step, State state, long[] micros) {
      this.step = step;
      this.state = state;
      this.micros = micros;
    }

    @Override
    public String call() throws Exception {
      long t0 = System.nanoTime();
      try {
        return step.name().equals(hangCheck) ? hangForever(state) : body(step.name(), state);
      } finally {
        micros[0] = (System.nanoTime() - t0) / 1000;
      }
    }
  }

  private static String hangForever(State state) throws InterruptedException {
    new CountDownLatch(1).await();
    return "unreachable";
  }

  static ProbeExitCode classify(Throwable cause, ProbeExitCode stepFailure) {
    if (cause instanceof CheckFailure f) {
      return f.code;
    }
    if (cause instanceof GpuException g) {
      return switch (g.kind()) {
        case LIBRARY_MISSING, INIT_FAILED -> ProbeExitCode.DRIVER_UNAVAILABLE;
        case NO_DEVICE -> ProbeExitCode.NO_CUDA_DEVICE;
        case CALL_FAILED -> stepFailure;
      };
    }
    return ProbeExitCode.INTERNAL;
  }

  private static String message(Throwable cause) {
    if (cause instanceof CheckFailure || cause instanceof GpuException) {
      return cause.getMessage();
    }
    return "internal error: " + cause;
  }

  private static List<Step> steps(ProbeMode mode) {
    List<Step> steps = new ArrayList<>();
    steps.add(new Step("natives.cache", ProbeExitCode.DRIVER_UNAVAILABLE));
    steps.add(new Step("nvml.load", ProbeExitCode.DRIVER_UNAVAILABLE));
    steps.add(new Step("nvml.init", ProbeExitCode.DRIVER_UNAVAILABLE));
    steps.add(new Step("nvml.devices", ProbeExitCode.DRIVER_UNAVAILABLE));
    steps.add(new Step("cuda.load", ProbeExitCode.DRIVER_UNAVAILABLE));
    steps.add(new Step("cuda.init", ProbeExitCode.DRIVER_UNAVAILABLE));
    steps.add(new Step("cuda.devices", ProbeExitCode.NO_CUDA_DEVICE));
    steps.add(new Step("thresholds", ProbeExitCode.THRESHOLD_BREACHED));
    if (mode == ProbeMode.LIVENESS) {
      return steps;
    }
    steps.add(new Step("tensor.roundtrip", ProbeExitCode.TENSOR_ROUNDTRIP_FAILED));
    steps.add(new Step("kernel.saxpy", ProbeExitCode.KERNEL_MISMATCH));
    if (mode == ProbeMode.DEEP) {
      steps.add(new Step("cublas.load", ProbeExitCode.DRIVER_UNAVAILABLE));
      steps.add(new Step("cublas.sgemm", ProbeExitCode.KERNEL_MISMATCH));
      steps.add(new Step("memory.maxalloc", ProbeExitCode.TENSOR_ROUNDTRIP_FAILED));
    }
    return steps;
  }

  /** The body of the named check (a switch, not lambdas: see {@link DaemonThreads}). */
  private String body(String name, State s) throws Exception {
    switch (name) {
      case "natives.cache": {
        String detail = api.prepareNatives();
        if (warmUp) {
          api.startWarmUp(s.options.mode() != ProbeMode.LIVENESS, s.options.device());
        }
        return detail;
      }
      case "nvml.load":
        api.loadNvml();
        return "NVML binding linked";
      case "nvml.init":
        return nvmlInit(s);
      case "nvml.devices":
        return nvmlDevices(s);
      case "cuda.load":
        api.loadCuda();
        return "CUDA runtime and driver API bindings linked";
      case "cuda.init":
        return cudaInit(s);
      case "cuda.devices":
        return cudaDevices(s);
      case "thresholds":
        return thresholds(s);
      case "tensor.roundtrip":
        return roundTrip(s);
      case "kernel.saxpy":
        return saxpy(s);
      case "cublas.load":
        api.loadCublas();
        return "cuBLAS binding linked";
      case "cublas.sgemm":
        return sgemm(s);
      case "memory.maxalloc":
        return maxAlloc(s);
      default:
        throw new IllegalStateException("no check named " + name);
    }
  }

  // ---- the checks ----

  private String nvmlInit(State s) throws GpuException {
    api.nvmlInit();
    String driver = api.driverVersion();
    s.versions.put("driver", driver);
    s.versions.put("nvml", api.nvmlVersion());
    String cuda = cudaVersion(api.nvmlCudaDriverVersion());
    s.versions.put("driverCuda", cuda);
    return "driver " + driver + ", supports CUDA " + cuda;
  }

  private String nvmlDevices(State s) throws GpuException {
    int count = api.nvmlDeviceCount();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      NvmlDevice d = api.nvmlDevice(i);
      s.nvmlDevices.add(d);
      names.add(d.name());
    }
    return count + " GPU" + (count == 1 ? "" : "s") + (names.isEmpty() ? "" : ": "
        + String.join(", ", names));
  }

  private String cudaInit(State s) throws GpuException {
    api.cudaInit();
    String driver = cudaVersion(api.cudaDriverVersion());
    String runtime = cudaVersion(api.cudaRuntimeVersion());
    s.versions.put("cudaDriver", driver);
    s.versions.put("cudaRuntime", runtime);
    return "CUDA driver API " + driver + ", runtime " + runtime
        + (api.startedAtJvmStart() ? "; driver started at JVM start (-agentpath)" : "");
  }

  private String cudaDevices(State s) throws GpuException, CheckFailure {
    int count = api.cudaDeviceCount();
    String visible = System.getenv("CUDA_VISIBLE_DEVICES");
    String env = visible == null ? "" : " (CUDA_VISIBLE_DEVICES=" + visible + ")";
    if (count == 0) {
      throw new CheckFailure(ProbeExitCode.NO_CUDA_DEVICE, "CUDA sees no device" + env
          + "; NVML lists " + s.nvmlDevices.size());
    }
    for (int i = 0; i < count; i++) {
      s.cudaUuids.add(api.cudaDeviceUuid(i));
    }
    Integer wanted = s.options.device();
    if (wanted != null) {
      if (wanted >= count) {
        throw new CheckFailure(ProbeExitCode.NO_CUDA_DEVICE, "device " + wanted
            + " was asked for but CUDA sees " + count + env);
      }
      s.selected.add(wanted);
    } else {
      for (int i = 0; i < count; i++) {
        s.selected.add(i);
      }
    }
    return "CUDA sees " + count + " of " + s.nvmlDevices.size() + " GPU"
        + (s.nvmlDevices.size() == 1 ? "" : "s") + env + "; checking " + s.selected;
  }

  private String thresholds(State s) throws GpuException, CheckFailure {
    List<String> breaches = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    ProbeOptions o = s.options;
    for (int ordinal : s.selected) {
      NvmlDevice d = nvmlFor(s, ordinal);
      String who = "cuda:" + ordinal;
      if (d == null) {
        notes.add(who + " has no NVML entry (MIG instance?); skipped");
        continue;
      }
      if (o.minFreeMib() > 0 && d.memoryFreeBytes() != null
          && d.memoryFreeBytes() / (1 << 20) < o.minFreeMib()) {
        breaches.add(who + " free memory " + d.memoryFreeBytes() / (1 << 20) + " MiB < "
            + o.minFreeMib() + " MiB");
      }
      if (o.maxTempC() != null && d.temperatureC() != null && d.temperatureC() > o.maxTempC()) {
        breaches.add(who + " temperature " + d.temperatureC() + " C > " + o.maxTempC() + " C");
      }
      if (d.throttleReasons() != null && (d.throttleReasons() & HW_THROTTLE_MASK) != 0) {
        breaches.add(who + " hardware throttling " + throttleNames(
            d.throttleReasons() & HW_THROTTLE_MASK));
      }
      if (d.eccUncorrectedVolatile() != null && d.eccUncorrectedVolatile() > 0) {
        breaches.add(who + " " + d.eccUncorrectedVolatile()
            + " uncorrected ECC errors since the driver loaded");
      }
      if (Boolean.TRUE.equals(d.retiredPagesPending())) {
        breaches.add(who + " retired pages pending a GPU reset");
      }
      if (Boolean.TRUE.equals(d.rowRemapPending())) {
        breaches.add(who + " remapped rows pending a GPU reset");
      }
      if (Boolean.TRUE.equals(d.rowRemapFailure())) {
        breaches.add(who + " row remapping failed");
      }
    }
    if (watchXid) {
      for (String xid : api.pollXidErrors()) {
        breaches.add("critical " + xid);
      }
    }
    if (!breaches.isEmpty()) {
      throw new CheckFailure(ProbeExitCode.THRESHOLD_BREACHED, String.join("; ", breaches));
    }
    String limits = "free >= " + o.minFreeMib() + " MiB, temperature <= "
        + (o.maxTempC() == null ? "any" : o.maxTempC() + " C")
        + ", no hardware throttling, no uncorrected ECC, no pending retirement or remap"
        + (watchXid ? ", no critical XID" : "");
    return notes.isEmpty() ? limits : limits + "; " + String.join("; ", notes);
  }

  private String roundTrip(State s) throws GpuException, CheckFailure {
    byte[] data = roundTripData();
    for (int ordinal : s.selected) {
      byte[] back = api.roundTrip(ordinal, data);
      int mismatch = Arrays.mismatch(data, back);
      if (mismatch >= 0) {
        throw new CheckFailure(ProbeExitCode.TENSOR_ROUNDTRIP_FAILED, "cuda:" + ordinal
            + " returned different bytes: first difference at offset " + mismatch
            + (mismatch < back.length && mismatch < data.length
                ? String.format(" (wrote 0x%02x, read 0x%02x)", data[mismatch], back[mismatch])
                : " (length " + back.length + " instead of " + data.length + ")"));
      }
    }
    return (ROUND_TRIP_BYTES >> 20) + " MiB host to device to host, bit-exact on "
        + s.selected.size() + " device" + (s.selected.size() == 1 ? "" : "s");
  }

  /**
   * 4 MiB that catch stuck, swapped and aliased bits and pages: a 64 KiB pseudo-random block holding
   * every byte value, copied across with {@code System.arraycopy} (filling 4 MiB byte by byte costs
   * the cold probe tens of milliseconds before the JIT is warm), and every 4 KiB page stamped with
   * its own index so that no two pages are equal.
   */
  static byte[] roundTripData() {
    byte[] data = new byte[ROUND_TRIP_BYTES];
    int block = 64 << 10;
    byte[] seed = new byte[block];
    new Random(0x9E3779B97F4A7C15L).nextBytes(seed);
    for (int i = 0; i < 256; i++) {
      seed[i] = (byte) i; // every byte value at least once
    }
    for (int off = 0; off < data.length; off += block) {
      System.arraycopy(seed, 0, data, off, Math.min(block, data.length - off));
    }
    for (int page = 0, off = 256; off + 4 <= data.length; page++, off += 4096) {
      data[off] = (byte) page;
      data[off + 1] = (byte) (page >>> 8);
      data[off + 2] = (byte) (page >>> 16);
      data[off + 3] = (byte) ~page;
    }
    return data;
  }

  private String saxpy(State s) throws GpuException, CheckFailure {
    String ptx = ptx();
    byte[] fatbin = fatbin();
    float a = 2.5f;
    float[] x = new float[SAXPY_ELEMENTS];
    float[] y = new float[SAXPY_ELEMENTS];
    Random random = new Random(42);
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat() * 2 - 1;
      y[i] = random.nextFloat() * 2 - 1;
    }
    for (int ordinal : s.selected) {
      float[] out = api.saxpy(ordinal, ptx, fatbin, a, x, y);
      int bad = 0;
      int first = -1;
      for (int i = 0; i < x.length; i++) {
        // The PTX uses one fused multiply-add, so the CPU reference is exact.
        float expected = Math.fma(x[i], a, y[i]);
        if (i >= out.length || Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(out[i])) {
          bad++;
          if (first < 0) {
            first = i;
          }
        }
      }
      if (bad > 0) {
        throw new CheckFailure(ProbeExitCode.KERNEL_MISMATCH, "cuda:" + ordinal + " saxpy: "
            + bad + " of " + x.length + " results differ from the CPU, first at index " + first
            + (first < out.length ? " (expected " + Math.fma(x[first], a, y[first]) + ", got "
                + out[first] + ")" : ""));
      }
    }
    return "saxpy over " + SAXPY_ELEMENTS + " floats from the embedded kernel, bit-exact against "
        + "the CPU on " + s.selected.size() + " device" + (s.selected.size() == 1 ? "" : "s");
  }

  private String sgemm(State s) throws GpuException, CheckFailure {
    int n = s.options.sgemmSize();
    float[] a = new float[n * n];
    float[] b = new float[n * n];
    Random random = new Random(7);
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextFloat() * 2 - 1;
      b[i] = random.nextFloat() * 2 - 1;
    }
    // Column-major reference in double, with a bound on each element's rounding error.
    double[] ref = new double[n * n];
    double[] mag = new double[n * n];
    for (int j = 0; j < n; j++) {
      for (int p = 0; p < n; p++) {
        double bpj = b[p + j * n];
        double abs = Math.abs(bpj);
        int col = p * n;
        int out = j * n;
        for (int i = 0; i < n; i++) {
          ref[out + i] += a[col + i] * bpj;
          mag[out + i] += Math.abs(a[col + i]) * abs;
        }
      }
    }
    double worst = 0;
    for (int ordinal : s.selected) {
      float[] c = api.sgemm(ordinal, n, n, n, a, b);
      for (int i = 0; i < ref.length; i++) {
        // 1e-3 of the magnitude sum admits TF32 tensor cores; a broken kernel is far off.
        double tolerance = 1e-3 * mag[i] + 1e-6;
        double err = i < c.length ? Math.abs(c[i] - ref[i]) : Double.POSITIVE_INFINITY;
        if (!(err <= tolerance)) {
          throw new CheckFailure(ProbeExitCode.KERNEL_MISMATCH, "cuda:" + ordinal + " SGEMM "
              + n + "x" + n + ": element " + i + " is " + (i < c.length ? c[i] : "missing")
              + ", the CPU says " + ref[i] + " (tolerance " + tolerance + ")");
        }
        worst = Math.max(worst, err / (mag[i] + 1e-30));
      }
    }
    return String.format("cuBLAS SGEMM %dx%d matches the CPU on %d device%s (worst relative "
        + "error %.2e)", n, n, s.selected.size(), s.selected.size() == 1 ? "" : "s", worst);
  }

  private String maxAlloc(State s) throws GpuException {
    List<String> parts = new ArrayList<>();
    for (int ordinal : s.selected) {
      long[] info = api.memoryInfo(ordinal);
      long free = info[0];
      long lo = 0;
      long hi = free / ALLOC_GRANULARITY;
      while (lo < hi) {
        long mid = (lo + hi + 1) >>> 1;
        if (api.tryAllocate(ordinal, mid * ALLOC_GRANULARITY)) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      long bytes = lo * ALLOC_GRANULARITY;
      s.maxAllocBytes.put(ordinal, bytes);
      parts.add("cuda:" + ordinal + " " + (bytes >> 20) + " MiB of " + (free >> 20)
          + " MiB free");
    }
    return "largest single allocation (64 MiB steps, freed at once): " + String.join(", ", parts);
  }

  // ---- helpers ----

  private static NvmlDevice nvmlFor(State s, int ordinal) {
    String uuid = ordinal < s.cudaUuids.size() ? s.cudaUuids.get(ordinal) : null;
    for (NvmlDevice d : s.nvmlDevices) {
      if (d.uuid() != null && d.uuid().equalsIgnoreCase(uuid)) {
        return d;
      }
    }
    return null;
  }

  static String cudaVersion(int v) {
    return v / 1000 + "." + (v % 1000) / 10;
  }

  static List<String> throttleNames(long mask) {
    List<String> names = new ArrayList<>();
    for (int bit = 0; bit < 63; bit++) {
      if ((mask & (1L << bit)) != 0) {
        names.add(bit < THROTTLE_NAMES.length ? THROTTLE_NAMES[bit] : "BIT_" + bit);
      }
    }
    return names;
  }

  static String ptx() throws CheckFailure {
    try (InputStream in = ProbeRunner.class.getResourceAsStream("saxpy.ptx")) {
      if (in == null) {
        throw new CheckFailure(ProbeExitCode.INTERNAL, "saxpy.ptx is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new CheckFailure(ProbeExitCode.INTERNAL, "cannot read saxpy.ptx: " + e);
    }
  }

  /** {@code -Dgpukit.probe.kernel=ptx} loads the plain PTX only (to compare with the fatbin). */
  static final String KERNEL_PROPERTY = "gpukit.probe.kernel";

  /**
   * {@code saxpy.fatbin}: the same kernel as {@link #ptx}, with SASS for the common GPUs (see
   * {@code src/main/c/saxpy-fatbin.sh}); {@code null} when the jar lacks it or with
   * {@code -Dgpukit.probe.kernel=ptx}.
   */
  static byte[] fatbin() {
    if ("ptx".equals(System.getProperty(KERNEL_PROPERTY))) {
      return null;
    }
    try (InputStream in = ProbeRunner.class.getResourceAsStream("saxpy.fatbin")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      return null;
    }
  }

  private static ProbeResult result(ProbeExitCode code, ProbeOptions options,
      List<CheckResult> checks, State state) {
    List<Map<String, Object>> devices;
    Map<String, Object> versions;
    devices = devices(state);
    versions = new LinkedHashMap<>();
    versions.put("probe", probeVersion());
    versions.put("java", System.getProperty("java.version"));
    synchronized (state.versions) {
      versions.putAll(state.versions);
    }
    return new ProbeResult(code, options.mode().cliName(), checks, devices, versions, Map.of());
  }

  private static List<Map<String, Object>> devices(State s) {
    List<Map<String, Object>> out = new ArrayList<>();
    List<NvmlDevice> nvml = List.copyOf(s.nvmlDevices);
    List<String> uuids = List.copyOf(s.cudaUuids);
    for (NvmlDevice d : nvml) {
      Map<String, Object> m = new LinkedHashMap<>();
      int ordinal = -1;
      for (int i = 0; i < uuids.size(); i++) {
        if (uuids.get(i).equalsIgnoreCase(d.uuid())) {
          ordinal = i;
        }
      }
      m.put("nvmlIndex", d.index());
      m.put("cudaOrdinal", ordinal >= 0 ? ordinal : null);
      m.put("name", d.name());
      m.put("uuid", d.uuid());
      if (d.memoryTotalBytes() != null) {
        Map<String, Object> mem = new LinkedHashMap<>();
        mem.put("totalMib", d.memoryTotalBytes() >> 20);
        mem.put("freeMib", d.memoryFreeBytes() >> 20);
        mem.put("usedMib", d.memoryUsedBytes() >> 20);
        m.put("memory", mem);
      }
      m.put("temperatureC", d.temperatureC());
      m.put("throttleReasons", d.throttleReasons() == null ? null
          : throttleNames(d.throttleReasons()));
      m.put("eccUncorrectedVolatile", d.eccUncorrectedVolatile());
      m.put("retiredPagesPending", d.retiredPagesPending());
      m.put("rowRemapPending", d.rowRemapPending());
      m.put("rowRemapFailure", d.rowRemapFailure());
      Long maxAlloc = ordinal >= 0 ? s.maxAllocBytes.get(ordinal) : null;
      if (maxAlloc != null) {
        m.put("maxAllocMib", maxAlloc >> 20);
      }
      out.add(m);
    }
    for (int i = 0; i < uuids.size(); i++) {
      String uuid = uuids.get(i);
      // A loop, not stream().anyMatch(lambda): this runs after the checks, on every cold probe.
      boolean known = false;
      for (NvmlDevice d : nvml) {
        known |= uuid.equalsIgnoreCase(d.uuid());
      }
      if (!known) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nvmlIndex", null);
        m.put("cudaOrdinal", i);
        m.put("uuid", uuid);
        out.add(m);
      }
    }
    return out;
  }

  static String probeVersion() {
    String v = ProbeRunner.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}

package io.gpukit.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs the probe's checks inside a Java service, in the service's own process and CUDA primary
 * context, every few seconds, and atomically rewrites a status file with the result (the probe's
 * JSON plus a {@code timestamp}). A Kubernetes probe then runs
 * {@code java -jar gpukit-probe.jar --heartbeat FILE --max-age 15s}, which only reads the file.
 *
 * <pre>{@code
 * try (GpuHeartbeat heartbeat = GpuHeartbeat.builder()
 *     .file(Path.of("/tmp/gpu-heartbeat.json"))
 *     .interval(Duration.ofSeconds(5))
 *     .mode(ProbeMode.READINESS)
 *     .minFreeMib(2048)
 *     .build()) {
 *   heartbeat.start();
 *   // ... serve ...
 * }
 * }</pre>
 *
 * <p>The heartbeat also watches for critical XID errors, which a cold probe cannot see. When a check
 * hangs past its deadline, the heartbeat records 15 WATCHDOG_TIMEOUT and keeps recording it, without
 * starting new checks, until the stuck call returns.
 *
 * @since 0.1.0
 */
public final class GpuHeartbeat implements AutoCloseable {

  private final Path file;
  private final Duration interval;
  private final ProbeOptions options;
  private final Supplier<GpuApi> gpu;
  private final Clock clock;
  private final Object lock = new Object();
  private ScheduledExecutorService scheduler;
  private ProbeRunner runner;
  private volatile ProbeResult last;

  private GpuHeartbeat(Builder b) {
    this.file = Objects.requireNonNull(b.file, "file");
    this.interval = b.interval;
    this.options = new ProbeOptions(b.mode, b.device, b.minFreeMib, b.maxTempC,
        b.timeout != null ? b.timeout : b.mode.defaultTimeout().multipliedBy(5),
        b.sgemmSize, true, null, ProbeOptions.DEFAULT_MAX_AGE);
    this.gpu = b.gpu;
    this.clock = b.clock;
  }

  /**
   * Starts a builder.
   *
   * @return a builder with a 5-second interval and readiness mode
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts checking: once at once, then every interval, on a daemon thread.
   *
   * @return this heartbeat
   * @throws IllegalStateException if it was started already
   * @since 0.1.0
   */
  public GpuHeartbeat start() {
    synchronized (lock) {
      if (scheduler != null) {
        throw new IllegalStateException("already started");
      }
      runner = new ProbeRunner(gpu.get(), null, true);
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gpukit-heartbeat");
        t.setDaemon(true);
        return t;
      });
      scheduler.scheduleWithFixedDelay(this::beatQuietly, 0, interval.toMillis(),
          TimeUnit.MILLISECONDS);
      return this;
    }
  }

  /**
   * Runs the checks once, now, on the calling thread's behalf, and writes the file.
   *
   * @return the result that was written
   * @throws UncheckedIOException if the file cannot be written
   * @since 0.1.0
   */
  public ProbeResult beat() {
    ProbeRunner r;
    synchronized (lock) {
      if (runner == null) {
        runner = new ProbeRunner(gpu.get(), null, true);
      }
      r = runner;
    }
    ProbeResult result = r.run(options).result()
        .withExtra(Map.of("timestamp", clock.instant().toString()));
    last = result;
    try {
      write(file, result.toJson() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write heartbeat " + file, e);
    }
    return result;
  }

  private void beatQuietly() {
    try {
      beat();
    } catch (RuntimeException e) {
      // The next beat tries again; a file that stops being rewritten reads as stale.
    }
  }

  /**
   * Returns the most recent result.
   *
   * @return the last result, or empty before the first beat
   * @since 0.1.0
   */
  public Optional<ProbeResult> lastResult() {
    return Optional.ofNullable(last);
  }

  /**
   * Returns the status file.
   *
   * @return the file this heartbeat writes
   * @since 0.1.0
   */
  public Path file() {
    return file;
  }

  /**
   * Stops checking. The status file is left in place and goes stale, which is the truth once the
   * service stops watching its GPU.
   *
   * @since 0.1.0
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (scheduler != null) {
        scheduler.shutdownNow();
        scheduler = null;
      }
      if (runner != null) {
        runner.close();
        runner = null;
      }
    }
  }

  /** Writes a temporary file in the same directory, then renames it over the target. */
  static void write(Path target, String content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Configures a {@link GpuHeartbeat}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private Path file;
    private Duration interval = Duration.ofSeconds(5);
    private ProbeMode mode = ProbeMode.READINESS;
    private Integer device;
    private long minFreeMib;
    private Integer maxTempC;
    private Duration timeout;
    private int sgemmSize = ProbeOptions.DEFAULT_SGEMM_SIZE;
    private Supplier<GpuApi> gpu = JavaCppGpuApi::new;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Sets the status file (required); its directory must be writable.
     *
     * @param file the file to rewrite after every beat
     * @return this builder
     * @since 0.1.0
     */
    public Builder file(Path file) {
      this.file = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Sets the pause between the end of one beat and the start of the next.
     *
     * @param interval more than zero; 5 seconds by default
     * @return this builder
     * @since 0.1.0
     */
    public Builder interval(Duration interval) {
      if (interval == null || interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException("interval must be more than zero");
      }
      this.interval = interval;
      return this;
    }

    /**
     * Sets what each beat exercises.
     *
     * @param mode readiness by default
     * @return this builder
     * @since 0.1.0
     */
    public Builder mode(ProbeMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Checks one CUDA device only.
     *
     * @param ordinal the CUDA ordinal
     * @return this builder
     * @since 0.1.0
     */
    public Builder device(int ordinal) {
      if (ordinal < 0) {
        throw new IllegalArgumentException("device must be 0 or more");
      }
      this.device = ordinal;
      return this;
    }

    /**
     * Checks every device CUDA sees (the default).
     *
     * @return this builder
     * @since 0.1.0
     */
    public Builder allDevices() {
      this.device = null;
      return this;
    }

    /**
     * Sets the least free memory per device.
     *
     * @param mib 0 (the default) for no limit
     * @return this builder
     * @since 0.1.0
     */
    public Builder minFreeMib(long mib) {
      if (mib < 0) {
        throw new IllegalArgumentException("minFreeMib must be 0 or more");
      }
      this.minFreeMib = mib;
      return this;
    }

    /**
     * Sets the highest temperature per device.
     *
     * @param celsius the limit
     * @return this builder
     * @since 0.1.0
     */
    public Builder maxTempC(int celsius) {
      this.maxTempC = celsius;
      return this;
    }

    /**
     * Sets the deadline of one beat's checks.
     *
     * @param timeout five times the mode's default unless set
     * @return this builder
     * @since 0.1.0
     */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must be more than zero");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets the SGEMM matrix size of deep mode.
     *
     * @param size 256 by default
     * @return this builder
     * @since 0.1.0
     */
    public Builder sgemmSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("sgemmSize must be 1 or more");
      }
      this.sgemmSize = size;
      return this;
    }

    Builder gpu(Supplier<GpuApi> gpu) {
      this.gpu = Objects.requireNonNull(gpu);
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /**
     * Builds the heartbeat; nothing runs until {@link GpuHeartbeat#start()}.
     *
     * @return the heartbeat
     * @throws NullPointerException if no file was set
     * @since 0.1.0
     */
    public GpuHeartbeat build() {
      return new GpuHeartbeat(this);
    }
  }
}

package io.gpukit.junit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.HealthCheck;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An image's {@code HEALTHCHECK} read from its config, and the wait for a container of it to turn
 * {@code healthy} or {@code unhealthy}.
 *
 * <p>The wait is bounded by {@link Healthcheck#bound()}: start period + retries × (interval +
 * timeout) + {@link #MARGIN}, with one check more where there is a start period. The timeout is in
 * it because Docker schedules the next check an interval after the previous one ends, and a failing
 * check may take up to its timeout; the check more because a failure counts only when its check
 * started after the start period, so the check running across its end does not. Unset values take
 * Docker's defaults: interval 30 s, timeout 30 s, retries 3, start period 0 s.
 *
 * <p>The containers that verify a HEALTHCHECK may run it more often than the image says
 * ({@link Verification}): the container's own health config overrides the image's interval, and
 * everything else (the command, timeout, start period and retries) stays the image's.
 */
final class HealthWait {

  /** Docker's interval and timeout when the HEALTHCHECK leaves them unset. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final int DEFAULT_RETRIES = 3;
  /** Added to every bound for the engine's own scheduling and our polling. */
  static final Duration MARGIN = Duration.ofSeconds(5);

  private static final Duration POLL = Duration.ofMillis(100);

  /** The interval the verifying containers run the HEALTHCHECK at unless told otherwise. */
  static final Duration DEFAULT_VERIFICATION_INTERVAL = Duration.ofSeconds(1);
  /** The shortest interval Docker accepts: the engine refuses anything between 0 (unset) and 1 ms. */
  static final Duration MINIMUM_INTERVAL = Duration.ofMillis(1);
  /** The value that keeps the image's HEALTHCHECK timing as it is. */
  static final String IMAGE_TIMING = "image";
  private static final Pattern INTERVAL = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m)");

  private HealthWait() {
  }

  /** A HEALTHCHECK with Docker's defaults filled in. */
  record Healthcheck(List<String> test, Duration interval, Duration timeout, Duration startPeriod, int retries) {

    /**
     * The image config's HEALTHCHECK; empty when there is none, or when it is {@code NONE}
     * (disabled).
     */
    static Optional<Healthcheck> parse(HealthCheck config) {
      if (config == null || config.getTest() == null || config.getTest().isEmpty()
          || config.getTest().get(0).equals("NONE")) {
        return Optional.empty();
      }
      return Optional.of(new Healthcheck(List.copyOf(config.getTest()),
          orDefault(config.getInterval(), DEFAULT_INTERVAL), orDefault(config.getTimeout(), DEFAULT_TIMEOUT),
          orDefault(config.getStartPeriod(), Duration.ZERO),
          config.getRetries() == null || config.getRetries() <= 0 ? DEFAULT_RETRIES : config.getRetries()));
    }

    /** Reads the HEALTHCHECK of a local image. */
    static Optional<Healthcheck> of(DockerClient docker, String image) {
      ContainerConfig config = docker.inspectImageCmd(image).exec().getConfig();
      return parse(config == null ? null : config.getHealthcheck());
    }

    private static Duration orDefault(Long nanos, Duration fallback) {
      return nanos == null || nanos <= 0 ? fallback : Duration.ofNanos(nanos);
    }

    /** The same HEALTHCHECK run at another interval. */
    Healthcheck withInterval(Duration other) {
      return new Healthcheck(test, other, timeout, startPeriod, retries);
    }

    /**
     * How long a container running this HEALTHCHECK may take to turn healthy or unhealthy: start
     * period + retries × (interval + timeout) + {@link #MARGIN}, and one check more where there is
     * a start period (the check running across its end does not count).
     */
    Duration bound() {
      return startPeriod.plus(interval.plus(timeout).multipliedBy(checksToDecide())).plus(MARGIN);
    }

    private int checksToDecide() {
      return startPeriod.isZero() ? retries : retries + 1;
    }

    /** How the bound is made, for messages. */
    String describeBound() {
      String checks = startPeriod.isZero() ? retries + " retries" : "(" + retries + " retries + 1 across its end)";
      return seconds(bound()) + " (start period " + timing(startPeriod) + " + " + checks + " × (interval "
          + timing(interval) + " + timeout " + timing(timeout) + ") + " + seconds(MARGIN) + ")";
    }

    /** The command as a Dockerfile would write it: {@code CMD java -jar ...} or {@code CMD-SHELL ...}. */
    String describeTest() {
      return String.join(" ", test);
    }

    /** {@code interval 2 s, timeout 10 s, start period 0 s, retries 3}. */
    String describeTiming() {
      return "interval " + timing(interval) + ", timeout " + timing(timeout) + ", start period " + timing(startPeriod)
          + ", retries " + retries;
    }

    /**
     * This HEALTHCHECK as a container's own health config, every field set, which the engine
     * uses in place of the image's.
     */
    HealthCheck toContainerConfig() {
      return new HealthCheck().withTest(test).withInterval(interval.toNanos()).withTimeout(timeout.toNanos())
          .withStartPeriod(startPeriod.toNanos()).withRetries(retries);
    }

    @Override
    public String toString() {
      return "HEALTHCHECK " + test + " interval " + seconds(interval) + ", timeout " + seconds(timeout)
          + ", start period " + seconds(startPeriod) + ", retries " + retries;
    }
  }

  /**
   * The HEALTHCHECK that the verifying containers run: the image's, at the interval asked for
   * where that is shorter than the image's own (an image that already checks more often keeps its
   * pace). The command, timeout, start period and retries stay the image's, so what is proven is
   * the image's command and its failure threshold. The start period is kept too: failures inside
   * it do not count, and a service may need it to start; it is the floor of the wait for
   * {@code unhealthy} with CUDA hidden.
   *
   * @param image the image's HEALTHCHECK
   * @param inForce what the containers run
   * @param asked the interval asked for; empty to keep the image's timing
   * @param origin where the ask came from, for the report ({@code the default},
   *     {@code -Dgpukit.healthcheck.interval=500ms}, ...)
   */
  record Verification(Healthcheck image, Healthcheck inForce, Optional<Duration> asked, String origin) {

    static Verification of(Healthcheck image, Optional<Duration> asked, String origin) {
      Healthcheck inForce = asked.filter(interval -> interval.compareTo(image.interval()) < 0)
          .map(image::withInterval).orElse(image);
      return new Verification(image, inForce, asked, origin);
    }

    /** Whether the containers run the HEALTHCHECK at another interval than the image's. */
    boolean overridden() {
      return !inForce.interval().equals(image.interval());
    }

    /** The health config to create the verifying containers with; empty to keep the image's. */
    Optional<HealthCheck> containerConfig() {
      return overridden() ? Optional.of(inForce.toContainerConfig()) : Optional.empty();
    }

    /**
     * {@code CMD java -jar ...; image: interval 10 s, timeout 5 s, start period 20 s, retries 3;
     * verified with interval 1 s (the default); each wait bounded by ...}.
     */
    String describe() {
      String verified;
      if (overridden()) {
        verified = "verified with interval " + timing(inForce.interval()) + " (" + origin + ")";
      } else if (asked.isEmpty()) {
        verified = "verified with the image's timing (" + origin + ")";
      } else {
        verified = "verified with the image's timing: its interval is not longer than the " + timing(asked.get())
            + " asked (" + origin + ")";
      }
      return image.describeTest() + "; image: " + image.describeTiming() + "; " + verified + "; each wait bounded by "
          + inForce.describeBound();
    }
  }

  /**
   * Reads an interval for the verifying containers: {@value #IMAGE_TIMING} (empty: keep the
   * image's timing), or a duration in {@code ms}, {@code s} or {@code m} ({@code 1s},
   * {@code 500ms}, {@code 1.5s}) of at least {@link #MINIMUM_INTERVAL}.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  static Optional<Duration> parseInterval(String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    if (text.equals(IMAGE_TIMING)) {
      return Optional.empty();
    }
    Matcher matcher = INTERVAL.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("is not a duration: write it like 1s, 500ms or 1.5s (ms, s or m), or "
          + IMAGE_TIMING + " to keep the image's HEALTHCHECK timing");
    }
    long unit = switch (matcher.group(2)) {
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      default -> 60_000_000_000L;
    };
    Duration interval = Duration.ofNanos(new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(unit))
        .longValue());
    if (interval.compareTo(MINIMUM_INTERVAL) < 0) {
      throw new IllegalArgumentException("is shorter than 1 ms, the shortest HEALTHCHECK interval Docker accepts (0"
          + " would not shorten it either: Docker reads it as unset); write 1ms or more, or " + IMAGE_TIMING
          + " to keep the image's timing");
    }
    return Optional.of(interval);
  }

  /** One run of the check, as the engine logged it. */
  record Check(Integer exitCode, String output) {

    @Override
    public String toString() {
      String text = output == null ? "" : output.strip();
      return "exit " + exitCode + (text.isEmpty() ? "" : ": " + text);
    }
  }

  /**
   * Where the wait ended: {@code status} is {@code healthy}, {@code unhealthy}, or the last status
   * seen ({@code starting}, or {@code exited} when the container stopped) when the bound ran out.
   */
  record Outcome(String status, Duration waited, boolean boundReached, List<Check> log) {

    boolean healthy() {
      return status.equals("healthy");
    }

    boolean unhealthy() {
      return status.equals("unhealthy");
    }

    /** The health log, one check a line. */
    String describeLog() {
      return log.isEmpty() ? "(no check ran)" : log.stream().map(Check::toString).collect(Collectors.joining("\n"));
    }

    String describe() {
      return status + " after " + seconds(waited) + (boundReached ? " (the bound ran out)" : "");
    }
  }

  /**
   * Polls the container until its health is {@code healthy} or {@code unhealthy}, it stops running,
   * or the bound runs out.
   */
  static Outcome await(DockerClient docker, String containerId, Duration bound) {
    return await(docker, containerId, bound, System.nanoTime(), () -> false);
  }

  /**
   * Polls the container until its health is {@code healthy} or {@code unhealthy}, it stops running,
   * or the bound runs out, counting the bound and the time waited from {@code start} (a
   * {@link System#nanoTime()} taken before the container was started: its health clock runs from
   * its start, whenever the wait begins). It looks at least once, even when the bound has run out.
   *
   * @throws CancellationException once {@code cancelled} says so
   */
  static Outcome await(DockerClient docker, String containerId, Duration bound, long start, BooleanSupplier cancelled) {
    long deadline = start + bound.toNanos();
    while (true) {
      if (cancelled.getAsBoolean()) {
        throw new CancellationException("the wait for the container's health was cancelled");
      }
      InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(containerId).exec().getState();
      HealthState health = state == null ? null : state.getHealth();
      String status = health == null || health.getStatus() == null ? "none" : health.getStatus();
      List<Check> log = health == null || health.getLog() == null ? List.of()
          : health.getLog().stream().filter(Objects::nonNull).map(HealthWait::check).toList();
      long now = System.nanoTime();
      Duration waited = Duration.ofNanos(now - start);
      if (status.equals("healthy") || status.equals("unhealthy")) {
        return new Outcome(status, waited, false, log);
      }
      if (state == null || !Boolean.TRUE.equals(state.getRunning())) {
        return new Outcome("exited", waited, false, log);
      }
      if (now >= deadline) {
        return new Outcome(status, waited, true, log);
      }
      try {
        Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, (deadline - now) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the container's health", e);
      }
    }
  }

  private static Check check(HealthStateLog entry) {
    return new Check(entry.getExitCode(), entry.getOutput());
  }

  /** A HEALTHCHECK timing exactly: {@code 2 s}, {@code 1.5 s}, {@code 500 ms}. */
  static String timing(Duration duration) {
    if (duration.compareTo(Duration.ofSeconds(1)) >= 0 || duration.isZero()) {
      return BigDecimal.valueOf(duration.toNanos(), 9).stripTrailingZeros().toPlainString() + " s";
    }
    return BigDecimal.valueOf(duration.toNanos(), 6).stripTrailingZeros().toPlainString() + " ms";
  }

  static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s"
        : String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }
}

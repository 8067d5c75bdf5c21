package io.gpukit.junit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.HealthCheck;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An image's {@code HEALTHCHECK} read from its config, and the wait for a container of it to turn
 * {@code healthy} or {@code unhealthy}.
 *
 * <p>The wait is bounded by {@link Healthcheck#bound()}: start period + retries × (interval +
 * timeout) + {@link #MARGIN}. The timeout is in it because Docker schedules the next check an
 * interval after the previous one ends, and a failing check may take up to its timeout. Unset
 * values take Docker's defaults: interval 30 s, timeout 30 s, retries 3, start period 0 s.
 */
final class HealthWait {

  /** Docker's interval and timeout when the HEALTHCHECK leaves them unset. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final int DEFAULT_RETRIES = 3;
  /** Added to every bound for the engine's own scheduling and our polling. */
  static final Duration MARGIN = Duration.ofSeconds(5);

  private static final Duration POLL = Duration.ofMillis(250);

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

    /** How long a container of this image may take to turn healthy or unhealthy. */
    Duration bound() {
      return startPeriod.plus(interval.plus(timeout).multipliedBy(retries)).plus(MARGIN);
    }

    /** How the bound is made, for messages. */
    String describeBound() {
      return seconds(bound()) + " (start period " + seconds(startPeriod) + " + " + retries + " retries × (interval "
          + seconds(interval) + " + timeout " + seconds(timeout) + ") + " + seconds(MARGIN) + ")";
    }

    @Override
    public String toString() {
      return "HEALTHCHECK " + test + " interval " + seconds(interval) + ", timeout " + seconds(timeout)
          + ", start period " + seconds(startPeriod) + ", retries " + retries;
    }
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
    long start = System.nanoTime();
    long deadline = start + bound.toNanos();
    while (true) {
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

  static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s"
        : String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }
}

package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;

/**
 * A readiness, liveness or startup probe, its timings filled with Kubernetes' defaults when absent.
 *
 * @param action what the probe runs
 * @param initialDelaySeconds seconds before the first probe (default 0)
 * @param periodSeconds seconds between probes (default 10)
 * @param timeoutSeconds seconds one probe may take (default 1)
 * @param failureThreshold consecutive failures that trip the probe (default 3)
 * @param successThreshold consecutive successes that clear it (default 1)
 * @param location where the probe is written (its key)
 * @since 0.1.0
 */
public record Probe(
    ProbeAction action,
    int initialDelaySeconds,
    int periodSeconds,
    int timeoutSeconds,
    int failureThreshold,
    int successThreshold,
    SourceLocation location) {

  /** Kubernetes' default {@code periodSeconds}. */
  public static final int DEFAULT_PERIOD_SECONDS = 10;
  /** Kubernetes' default {@code timeoutSeconds}. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 1;
  /** Kubernetes' default {@code failureThreshold}. */
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;

  /** Validates the fields. */
  public Probe {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(location, "location");
  }

  /**
   * The seconds after the container starts by which a probe that fails from the start has tripped:
   * {@code initialDelaySeconds + failureThreshold × periodSeconds}.
   */
  public long secondsToTrip() {
    return initialDelaySeconds + (long) failureThreshold * periodSeconds;
  }

  /**
   * The seconds of failures after which a probe that has been running trips: {@code
   * failureThreshold × periodSeconds}; {@code initialDelaySeconds} no longer counts.
   */
  public long secondsToTripOnceRunning() {
    return (long) failureThreshold * periodSeconds;
  }
}

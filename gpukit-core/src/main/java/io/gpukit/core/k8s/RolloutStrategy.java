package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;
import java.util.Optional;

/**
 * A Deployment's {@code spec.strategy}.
 *
 * @param type {@code RollingUpdate} (the default) or {@code Recreate}
 * @param maxSurge {@code rollingUpdate.maxSurge} as written, if written
 * @param maxUnavailable {@code rollingUpdate.maxUnavailable} as written, if written
 * @param location where {@code strategy} is written; empty when it is not
 * @param maxSurgeLocation where {@code maxSurge} is written, if it is
 * @param maxUnavailableLocation where {@code maxUnavailable} is written, if it is
 * @since 0.1.0
 */
public record RolloutStrategy(
    Type type,
    Optional<IntOrString> maxSurge,
    Optional<IntOrString> maxUnavailable,
    Optional<SourceLocation> location,
    Optional<SourceLocation> maxSurgeLocation,
    Optional<SourceLocation> maxUnavailableLocation) {

  /** The strategy types. */
  public enum Type {
    /** Replace pods a few at a time ({@code maxSurge}, {@code maxUnavailable}). */
    ROLLING_UPDATE,
    /** Delete every old pod, then create the new ones. */
    RECREATE
  }

  /** What Kubernetes fills in when {@code strategy} is absent: RollingUpdate, 25%/25%. */
  public static final RolloutStrategy DEFAULT =
      new RolloutStrategy(Type.ROLLING_UPDATE, Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.empty(), Optional.empty());

  /** Validates the fields. */
  public RolloutStrategy {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(maxSurge, "maxSurge");
    Objects.requireNonNull(maxUnavailable, "maxUnavailable");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(maxSurgeLocation, "maxSurgeLocation");
    Objects.requireNonNull(maxUnavailableLocation, "maxUnavailableLocation");
  }

  /** {@code maxSurge}, or the default {@code 25%}. */
  public IntOrString effectiveMaxSurge() {
    return maxSurge.orElse(IntOrString.DEFAULT_ROLLING);
  }

  /** {@code maxUnavailable}, or the default {@code 25%}. */
  public IntOrString effectiveMaxUnavailable() {
    return maxUnavailable.orElse(IntOrString.DEFAULT_ROLLING);
  }

  /**
   * Resolves both knobs against the desired replicas as written, without the controller's
   * fence-post correction: surge rounds up, unavailable rounds down.
   */
  public Fenceposts resolve(int replicas) {
    if (type == Type.RECREATE) {
      return new Fenceposts(0, replicas);
    }
    return new Fenceposts(effectiveMaxSurge().scaled(replicas, true), effectiveMaxUnavailable().scaled(replicas, false));
  }

  /**
   * Whether the API server rejects the rolling-update knobs: both written as zero, a negative
   * value, or {@code maxUnavailable} above 100%.
   */
  public Optional<String> apiRejection() {
    if (type == Type.RECREATE) {
      return Optional.empty();
    }
    IntOrString surge = effectiveMaxSurge();
    IntOrString unavailable = effectiveMaxUnavailable();
    if (surge.value() < 0 || unavailable.value() < 0) {
      return Optional.of("maxSurge '" + surge + "' and maxUnavailable '" + unavailable + "' must not be negative");
    }
    if (unavailable.percent() && unavailable.value() > 100) {
      return Optional.of("maxUnavailable '" + unavailable + "' must not be above 100%");
    }
    if (surge.isZero() && unavailable.isZero()) {
      return Optional.of("maxSurge '" + surge + "' and maxUnavailable '" + unavailable + "' may not both be 0");
    }
    return Optional.empty();
  }

  /**
   * The two knobs resolved to pod counts.
   *
   * @param surge pods above the desired replicas that may exist during a rollout
   * @param unavailable pods below the desired replicas that may be unavailable during a rollout
   */
  public record Fenceposts(int surge, int unavailable) {}
}

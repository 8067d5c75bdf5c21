package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;
import java.util.Optional;

/**
 * A Deployment's {@code spec.strategy}, or an Argo Rollout's ({@code canary} or {@code blueGreen}).
 *
 * <p>A canary's {@code maxSurge} and {@code maxUnavailable} default to 25% each and resolve as a
 * Deployment's do (surge rounds up, unavailable rounds down, both 0 makes unavailable 1); a
 * blueGreen's {@code maxUnavailable} defaults to 0 and it surges a whole preview set.
 *
 * @param type {@code RollingUpdate} (the default), {@code Recreate}, or an Argo Rollout's canary or blueGreen
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
    Optional<SourceLocation> maxUnavailableLocation,
    Optional<ArgoStrategy> argo) {

  /** The strategy types. */
  public enum Type {
    /** Replace pods a few at a time ({@code maxSurge}, {@code maxUnavailable}). */
    ROLLING_UPDATE,
    /** Delete every old pod, then create the new ones. */
    RECREATE,
    /** An Argo Rollout's {@code canary}: steps of weights, pauses and analyses. */
    CANARY,
    /** An Argo Rollout's {@code blueGreen}: a full preview set beside the active one, then a switch. */
    BLUE_GREEN;

    /** How the type is written in a manifest. */
    public String written() {
      return switch (this) {
        case ROLLING_UPDATE -> "RollingUpdate";
        case RECREATE -> "Recreate";
        case CANARY -> "canary";
        case BLUE_GREEN -> "blueGreen";
      };
    }
  }

  /** A Deployment's strategy: no Argo part. */
  public RolloutStrategy(Type type, Optional<IntOrString> maxSurge, Optional<IntOrString> maxUnavailable,
      Optional<SourceLocation> location, Optional<SourceLocation> maxSurgeLocation,
      Optional<SourceLocation> maxUnavailableLocation) {
    this(type, maxSurge, maxUnavailable, location, maxSurgeLocation, maxUnavailableLocation, Optional.empty());
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
    Objects.requireNonNull(argo, "argo");
  }

  /** An Argo Rollout's canary with these knobs (empty for the 25% defaults). */
  public static RolloutStrategy canary(Optional<IntOrString> maxSurge, Optional<IntOrString> maxUnavailable,
      ArgoStrategy argo) {
    return new RolloutStrategy(Type.CANARY, maxSurge, maxUnavailable, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(argo));
  }

  /** An Argo Rollout's blueGreen. */
  public static RolloutStrategy blueGreen(ArgoStrategy argo) {
    return new RolloutStrategy(Type.BLUE_GREEN, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(argo));
  }

  /** Whether surge and unavailable pods bound the rollout as in a rolling update: RollingUpdate, or a canary. */
  public boolean isRolling() {
    return type == Type.ROLLING_UPDATE || type == Type.CANARY;
  }

  /** {@code maxSurge}, or the default {@code 25%}. */
  public IntOrString effectiveMaxSurge() {
    return maxSurge.orElse(IntOrString.DEFAULT_ROLLING);
  }

  /** {@code maxUnavailable}, or the default: {@code 25%}, 0 for a blueGreen. */
  public IntOrString effectiveMaxUnavailable() {
    return maxUnavailable.orElse(type == Type.BLUE_GREEN ? IntOrString.ofInt(0) : IntOrString.DEFAULT_ROLLING);
  }

  /**
   * Resolves both knobs against the desired replicas as written, without the controller's
   * fence-post correction: surge rounds up, unavailable rounds down.
   */
  public Fenceposts resolve(int replicas) {
    if (type == Type.RECREATE) {
      return new Fenceposts(0, replicas);
    }
    if (type == Type.BLUE_GREEN) {
      return new Fenceposts(argo.flatMap(ArgoStrategy::previewReplicaCount).orElse(replicas), 0);
    }
    return new Fenceposts(effectiveMaxSurge().scaled(replicas, true), effectiveMaxUnavailable().scaled(replicas, false));
  }

  /**
   * Whether the API server (for a Rollout, the Argo Rollouts controller: {@link #rejectedBy()})
   * rejects the rolling-update or canary knobs: both written as zero, a negative value, or {@code
   * maxUnavailable} above 100%; or a Rollout that writes both canary and blueGreen.
   */
  public Optional<String> apiRejection() {
    if (argo.flatMap(ArgoStrategy::invalid).isPresent()) {
      return argo.flatMap(ArgoStrategy::invalid);
    }
    if (!isRolling()) {
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
   * Who refuses what {@link #apiRejection()} names: the API server for a Deployment, the Argo
   * Rollouts controller (an {@code InvalidSpec} condition) for a Rollout.
   */
  public String rejectedBy() {
    return argo.isPresent() ? "the Argo Rollouts controller" : "the API server";
  }

  /**
   * The two knobs resolved to pod counts.
   *
   * @param surge pods above the desired replicas that may exist during a rollout
   * @param unavailable pods below the desired replicas that may be unavailable during a rollout
   */
  public record Fenceposts(int surge, int unavailable) {}
}

package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an Argo Rollout's {@code spec.strategy.canary} or {@code spec.strategy.blueGreen} says beyond
 * {@code maxSurge} and {@code maxUnavailable} (which {@link RolloutStrategy} carries).
 *
 * <p>Defaults are Argo Rollouts' own: {@code autoPromotionEnabled} true, {@code
 * scaleDownDelaySeconds} 30, the preview set as large as {@code replicas}. A canary with a
 * {@code trafficRouting} (Istio, NGINX, ALB, SMI, Gateway API, a plugin) keeps its stable
 * ReplicaSet at full size until the rollout completes, unless {@code dynamicStableScale}; a canary
 * without one approximates each {@code setWeight} with pod counts.
 *
 * @param steps the canary's {@code steps}, in order; empty for blueGreen (and for a canary without
 *     steps, which goes straight to 100%, as a rolling update does)
 * @param trafficRouting whether the canary names a {@code trafficRouting}
 * @param dynamicStableScale the canary's {@code dynamicStableScale}
 * @param activeService the blueGreen {@code activeService}, if written
 * @param previewService the blueGreen {@code previewService}, if written
 * @param autoPromotionEnabled the blueGreen {@code autoPromotionEnabled} (true by default)
 * @param scaleDownDelaySeconds how long the old set keeps running after the switch (30 by default)
 * @param previewReplicaCount the blueGreen {@code previewReplicaCount}, if written
 * @param invalid why the controller refuses the strategy (both canary and blueGreen written), if it does
 * @since 0.2.0
 */
public record ArgoStrategy(
    List<CanaryStep> steps,
    boolean trafficRouting,
    boolean dynamicStableScale,
    Optional<String> activeService,
    Optional<String> previewService,
    boolean autoPromotionEnabled,
    int scaleDownDelaySeconds,
    Optional<Integer> previewReplicaCount,
    Optional<String> invalid) {

  /** Argo Rollouts' default {@code scaleDownDelaySeconds}. */
  public static final int DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;

  /** Validates the fields and copies the list. */
  public ArgoStrategy {
    steps = List.copyOf(steps);
    Objects.requireNonNull(activeService, "activeService");
    Objects.requireNonNull(previewService, "previewService");
    Objects.requireNonNull(previewReplicaCount, "previewReplicaCount");
    Objects.requireNonNull(invalid, "invalid");
  }

  /** A canary with these steps and no traffic router. */
  public static ArgoStrategy canary(List<CanaryStep> steps) {
    return new ArgoStrategy(steps, false, false, Optional.empty(), Optional.empty(), true,
        DEFAULT_SCALE_DOWN_DELAY_SECONDS, Optional.empty(), Optional.empty());
  }

  /** A blueGreen strategy, promoted automatically, with an optional smaller preview set. */
  public static ArgoStrategy blueGreen(Optional<Integer> previewReplicaCount) {
    return new ArgoStrategy(List.of(), false, false, Optional.of("active"), Optional.empty(), true,
        DEFAULT_SCALE_DOWN_DELAY_SECONDS, previewReplicaCount, Optional.empty());
  }

  /** The same strategy with a traffic router, and {@code dynamicStableScale} as given. */
  public ArgoStrategy withTrafficRouting(boolean dynamicStableScale) {
    return new ArgoStrategy(steps, true, dynamicStableScale, activeService, previewService, autoPromotionEnabled,
        scaleDownDelaySeconds, previewReplicaCount, invalid);
  }

  /**
   * Whether the canary keeps every stable pod until it completes: a traffic router without {@code
   * dynamicStableScale}. At 100% such a canary runs a second full set, as a blueGreen does.
   */
  public boolean keepsStableAtFullScale() {
    return trafficRouting && !dynamicStableScale;
  }

  /**
   * One canary step. Steps gpukit does not simulate ({@code experiment}, {@code plugin}) are {@link
   * Other}: they change no pod count.
   *
   * @since 0.2.0
   */
  public sealed interface CanaryStep {

    /** Where the step is written. */
    SourceLocation location();

    /** {@code setWeight: N}: the canary's share, in percent. */
    record SetWeight(int weight, SourceLocation location) implements CanaryStep {}

    /** {@code pause: {duration: …}}; without a duration the rollout waits for a person to promote it. */
    record Pause(Optional<String> duration, SourceLocation location) implements CanaryStep {}

    /**
     * {@code setCanaryScale}: {@code replicas}, {@code weight} or {@code matchTrafficWeight}; it only
     * acts with a traffic router.
     */
    record SetCanaryScale(Optional<Integer> replicas, Optional<Integer> weight, boolean matchTrafficWeight,
        SourceLocation location) implements CanaryStep {}

    /** {@code analysis}: the rollout goes on when the analysis passes. */
    record Analysis(SourceLocation location) implements CanaryStep {}

    /** Any other step ({@code experiment}, {@code plugin}). */
    record Other(String name, SourceLocation location) implements CanaryStep {}
  }
}

package io.gpukit.core.k8s.rollout;

import io.gpukit.core.k8s.IntOrString;
import io.gpukit.core.k8s.RolloutStrategy;
import io.gpukit.core.k8s.Workload;
import java.util.Objects;

/**
 * What a rollout needs from a Deployment: desired replicas, strategy and the GPUs one pod holds.
 *
 * @param replicas {@code spec.replicas}
 * @param strategy the strategy as written, defaults included
 * @param gpusPerPod the GPUs one pod holds (the sum of its containers' {@code nvidia.com/gpu})
 * @since 0.1.0
 */
public record RolloutSpec(int replicas, RolloutStrategy strategy, int gpusPerPod) {

  /** Validates the fields. */
  public RolloutSpec {
    Objects.requireNonNull(strategy, "strategy");
    if (gpusPerPod < 0) {
      throw new IllegalArgumentException("gpusPerPod must be 0 or more but was " + gpusPerPod);
    }
  }

  /**
   * The spec of a Deployment; its GPUs per pod count {@code nvidia.com/gpu} and {@code amd.com/gpu}.
   *
   * @throws IllegalArgumentException for any other kind: only a Deployment rolls out this way (a
   *     bare Pod or a ReplicaSet has no rollout; StatefulSets and DaemonSets roll pod by pod)
   */
  public static RolloutSpec of(Workload deployment) {
    if (!deployment.isDeployment()) {
      throw new IllegalArgumentException(deployment.displayName() + " is not a Deployment: only a Deployment's rollout is simulated");
    }
    return new RolloutSpec(
        deployment.effectiveReplicas(), deployment.effectiveStrategy(), deployment.template().gpusPerPod());
  }

  /** A RollingUpdate spec. */
  public static RolloutSpec rolling(int replicas, IntOrString maxSurge, IntOrString maxUnavailable, int gpusPerPod) {
    return new RolloutSpec(replicas, new RolloutStrategy(RolloutStrategy.Type.ROLLING_UPDATE,
        java.util.Optional.of(maxSurge), java.util.Optional.of(maxUnavailable), java.util.Optional.empty(),
        java.util.Optional.empty(), java.util.Optional.empty()), gpusPerPod);
  }

  /** A Recreate spec. */
  public static RolloutSpec recreate(int replicas, int gpusPerPod) {
    return new RolloutSpec(replicas, new RolloutStrategy(RolloutStrategy.Type.RECREATE,
        java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
        java.util.Optional.empty(), java.util.Optional.empty()), gpusPerPod);
  }
}

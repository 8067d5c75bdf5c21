package io.gpukit.core.k8s.rollout;

import io.gpukit.core.k8s.ArgoStrategy;
import io.gpukit.core.k8s.DeviceClaim;
import io.gpukit.core.k8s.IntOrString;
import io.gpukit.core.k8s.Resources;
import io.gpukit.core.k8s.RolloutStrategy;
import io.gpukit.core.k8s.Workload;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rollout needs from a Deployment or an Argo Rollout: desired replicas, strategy and the GPU-pool units one pod
 * holds, of one resource.
 *
 * <p>The pool is per resource name: a MIG slice ({@code nvidia.com/mig-1g.10gb}) is one unit of
 * its own resource, as the device plugin advertises it, and so is a time-sliced share ({@code
 * nvidia.com/gpu.shared}) or a device of a Dynamic Resource Allocation class ({@code
 * gpu.nvidia.com}); the {@link GpuPool} is then counted in that resource's units (free slices of
 * that profile, slices of it on one node). A pod that holds several GPU resources is simulated on
 * the one it holds most of; the others are taken as plentiful.
 *
 * @param replicas {@code spec.replicas}
 * @param strategy the strategy as written, defaults included
 * @param gpusPerPod the units of {@code resource} one pod holds
 * @param resource the resource the pool is made of: {@code nvidia.com/gpu}, {@code amd.com/gpu},
 *     a MIG profile, a share, or a DRA device class
 * @since 0.1.0
 */
public record RolloutSpec(int replicas, RolloutStrategy strategy, int gpusPerPod, String resource) {

  /** Validates the fields. */
  public RolloutSpec {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(resource, "resource");
    if (gpusPerPod < 0) {
      throw new IllegalArgumentException("gpusPerPod must be 0 or more but was " + gpusPerPod);
    }
  }

  /** A spec whose pods hold whole GPUs ({@code nvidia.com/gpu}). */
  public RolloutSpec(int replicas, RolloutStrategy strategy, int gpusPerPod) {
    this(replicas, strategy, gpusPerPod, Resources.NVIDIA_GPU);
  }

  /**
   * The spec of a Deployment, with no DRA claims to resolve: its units per pod count GPUs ({@code
   * nvidia.com/gpu}, {@code amd.com/gpu}), MIG slices and shares; see {@link #of(Workload, List)}.
   *
   * @throws IllegalArgumentException for any other kind: only a Deployment or an Argo Rollout rolls
   *     out this way (a bare Pod or a ReplicaSet has no rollout; StatefulSets and DaemonSets roll pod
   *     by pod)
   */
  public static RolloutSpec of(Workload deployment) {
    return of(deployment, List.of());
  }

  /**
   * The spec of a Deployment or an Argo Rollout; its units per pod are those of {@link
   * io.gpukit.core.k8s.PodTemplate#gpuUnits(List)} for the resource the pod holds most of (on a tie,
   * {@code nvidia.com/gpu}, then {@code amd.com/gpu}, then the first written), DRA claim templates
   * resolved among {@code claims}.
   *
   * @param claims the claims and claim templates deployed with it ({@code Manifests#deviceClaims()})
   * @throws IllegalArgumentException for any other kind than a Deployment or an Argo Rollout
   * @since 0.2.0
   */
  public static RolloutSpec of(Workload deployment, List<DeviceClaim> claims) {
    if (!deployment.rollsOut()) {
      throw new IllegalArgumentException(deployment.displayName()
          + " is neither a Deployment nor an Argo Rollout: only their rollouts are simulated");
    }
    Optional<Map.Entry<String, Integer>> most = Optional.empty();
    for (Map.Entry<String, Integer> e : deployment.template().gpuUnits(claims).entrySet()) {
      if (most.isEmpty() || e.getValue() > most.get().getValue()) {
        most = Optional.of(e);
      }
    }
    return new RolloutSpec(deployment.effectiveReplicas(), deployment.effectiveStrategy(),
        most.map(Map.Entry::getValue).orElse(0), most.map(Map.Entry::getKey).orElse(Resources.NVIDIA_GPU));
  }

  /** A RollingUpdate spec. */
  public static RolloutSpec rolling(int replicas, IntOrString maxSurge, IntOrString maxUnavailable, int gpusPerPod) {
    return new RolloutSpec(replicas, new RolloutStrategy(RolloutStrategy.Type.ROLLING_UPDATE,
        Optional.of(maxSurge), Optional.of(maxUnavailable), Optional.empty(),
        Optional.empty(), Optional.empty()), gpusPerPod);
  }

  /** A Recreate spec. */
  public static RolloutSpec recreate(int replicas, int gpusPerPod) {
    return new RolloutSpec(replicas, new RolloutStrategy(RolloutStrategy.Type.RECREATE,
        Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty()), gpusPerPod);
  }

  /**
   * An Argo Rollout canary spec.
   *
   * @since 0.2.0
   */
  public static RolloutSpec canary(int replicas, IntOrString maxSurge, IntOrString maxUnavailable, ArgoStrategy argo,
      int gpusPerPod) {
    return new RolloutSpec(replicas, RolloutStrategy.canary(Optional.of(maxSurge), Optional.of(maxUnavailable), argo),
        gpusPerPod);
  }

  /**
   * An Argo Rollout blueGreen spec, promoted automatically.
   *
   * @param previewReplicaCount the preview set's size before promotion; empty for {@code replicas}
   * @since 0.2.0
   */
  public static RolloutSpec blueGreen(int replicas, Optional<Integer> previewReplicaCount, int gpusPerPod) {
    return new RolloutSpec(replicas, RolloutStrategy.blueGreen(ArgoStrategy.blueGreen(previewReplicaCount)), gpusPerPod);
  }

  /** Whether the pool is made of whole GPUs ({@code nvidia.com/gpu} or {@code amd.com/gpu}). */
  public boolean wholeGpus() {
    return Resources.GPU_RESOURCES.contains(resource);
  }

  /** {@code "2 GPU(s)"} for whole GPUs, {@code "2 of 'nvidia.com/mig-1g.10gb'"} for any other resource. */
  String units(int n) {
    return wholeGpus() ? n + " GPU(s)" : n + " of '" + resource + "'";
  }
}

package io.gpukit.core.k8s.rollout;

import java.util.Optional;

/**
 * Steps a Deployment's or an Argo Rollout's rollout the way its controller does, against a pool of
 * GPUs.
 *
 * <p>A Deployment's RollingUpdate, one controller sync per step ({@code rolloutRolling}): first scale the new
 * ReplicaSet up to at most {@code replicas + maxSurge} pods in all ({@code NewRSNewReplicas});
 * only when it did not, scale old ReplicaSets down, never below {@code replicas - maxUnavailable}
 * available pods and never while unavailable new pods would make up the difference ({@code
 * reconcileOldReplicaSets}). {@code maxSurge} rounds up, {@code maxUnavailable} rounds down, and
 * when both round to 0 {@code maxUnavailable} becomes 1 ({@code ResolveFenceposts}). Recreate
 * deletes every old pod, then creates the new ones. An Argo Rollout's canary walks its steps
 * (setWeight, pause, setCanaryScale, analysis) as the Argo Rollouts controller scales the canary and
 * stable ReplicaSets, with or without a traffic router; a blueGreen brings up the whole preview set
 * beside the active one and deletes the old pods only after the switch, so on a full pool it
 * deadlocks (see {@code CanaryRun} and {@code BlueGreenRun} for the rules followed).
 *
 * <p>The pool's GPUs are units of the spec's {@link RolloutSpec#resource()}: whole GPUs, or the
 * MIG slices of one profile, or the devices of one DRA device class; a slice is bound and freed
 * like a GPU.
 *
 * <p>After each sync the world moves: deleted pods release their GPUs at once, a Pending pod is
 * bound when one node has all the GPUs it needs (first fit), and a bound new pod becomes Ready
 * unless {@link Readiness#NEVER_READY}. Old pods are Ready throughout. A step is a sync or a world
 * move that changed something; when nothing changes and the new pods are not all Ready, the
 * rollout has stalled, and the simulation says why. A spec the API server rejects never starts.
 * The simulation carries the pods and GPUs before the first step and after each ({@link
 * RolloutSimulation#trace()}): what the report's rollout chart draws, for every strategy.
 *
 * @since 0.1.0
 */
public final class RolloutSimulator {

  /** A bound on steps; a rollout of any real size finishes far below it. */
  static final int MAX_STEPS = 100_000;

  private RolloutSimulator() {}

  /** Simulates the rollout of a spec on a pool. */
  public static RolloutSimulation simulate(RolloutSpec spec, GpuPool pool, Readiness readiness) {
    int replicas = spec.replicas();
    if (replicas < 0) {
      return new RolloutSimulation(false, 0, 0, 0, Optional.of("replicas must not be negative; the API server rejects it"));
    }
    String kind = spec.strategy().argo().isPresent() ? "Rollout" : "Deployment";
    Optional<String> rejected = spec.strategy().apiRejection();
    if (rejected.isPresent()) {
      return new RolloutSimulation(false, replicas, replicas, 0, Optional.of(
          rejected.get() + "; " + spec.strategy().rejectedBy() + " rejects the " + kind + ", so no rollout starts"));
    }
    if (spec.gpusPerPod() > pool.gpusPerNode()) {
      return new RolloutSimulation(false, replicas, replicas, 0, Optional.of(
          "a pod needs " + (spec.wholeGpus() ? spec.gpusPerPod() + " GPUs" : spec.units(spec.gpusPerPod()))
              + " but a node has only " + pool.gpusPerNode()
              + "; no pod of this " + kind + " can be scheduled"));
    }
    Run run = switch (spec.strategy().type()) {
      case ROLLING_UPDATE, RECREATE -> new DeploymentRun(spec, pool, readiness);
      case CANARY -> new CanaryRun(spec, pool, readiness);
      case BLUE_GREEN -> new BlueGreenRun(spec, pool, readiness);
    };
    return run.run();
  }
}

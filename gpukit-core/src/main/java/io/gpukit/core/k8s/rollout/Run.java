package io.gpukit.core.k8s.rollout;

import java.util.Optional;

/**
 * One simulation: a controller's syncs and the world's moves, in turn, until every pod is new and
 * Ready or nothing changes any more; the cluster's state is recorded before the first step and
 * after each, for every strategy alike.
 */
abstract class Run {

  final RolloutSpec spec;
  final int replicas;
  final Cluster cluster;

  Run(RolloutSpec spec, GpuPool pool, Readiness readiness) {
    this.spec = spec;
    this.replicas = spec.replicas();
    this.cluster = new Cluster(replicas, spec.gpusPerPod(), pool, readiness);
  }

  /** One controller sync; whether it changed something. */
  abstract boolean sync();

  /** Why the rollout stops, once nothing changes. */
  abstract String stallReason();

  boolean complete() {
    return cluster.oldPods.isEmpty() && cluster.newPods.size() == replicas && cluster.newUnready() == 0;
  }

  final RolloutSimulation run() {
    int steps = 0;
    cluster.record();
    while (!complete()) {
      if (steps >= RolloutSimulator.MAX_STEPS) {
        return result(false, steps, Optional.of("no end after " + RolloutSimulator.MAX_STEPS + " steps"));
      }
      boolean changed = sync();
      cluster.sample();
      changed |= cluster.moveWorld();
      cluster.sample();
      if (!changed) {
        return result(false, steps, Optional.of(stallReason()));
      }
      steps++;
      cluster.record();
    }
    return result(true, steps, Optional.empty());
  }

  private RolloutSimulation result(boolean completes, int steps, Optional<String> stall) {
    return new RolloutSimulation(completes, cluster.minAvailable(), cluster.maxPods(), steps, stall, cluster.trace());
  }

  /** {@code ceil(replicas × percent / 100)}, as Argo Rollouts rounds a weight. */
  static int ofWeight(int replicas, int percent) {
    return (int) ((replicas * (long) percent + 99) / 100);
  }
}

package io.gpukit.core.k8s.rollout;

import io.gpukit.core.k8s.RolloutStrategy;

/**
 * A Deployment's rollout as the Deployment controller steps it.
 *
 * <p>RollingUpdate, one controller sync per step ({@code rolloutRolling}): first scale the new
 * ReplicaSet up to at most {@code replicas + maxSurge} pods in all ({@code NewRSNewReplicas});
 * only when it did not, scale old ReplicaSets down, never below {@code replicas - maxUnavailable}
 * available pods and never while unavailable new pods would make up the difference ({@code
 * reconcileOldReplicaSets}). Recreate deletes every old pod, then creates the new ones.
 */
final class DeploymentRun extends Run {

  private final boolean rolling;
  private final int surge;
  private final int maxUnavailable;

  DeploymentRun(RolloutSpec spec, GpuPool pool, Readiness readiness) {
    super(spec, pool, readiness);
    this.rolling = spec.strategy().type() == RolloutStrategy.Type.ROLLING_UPDATE;
    RolloutStrategy.Fenceposts f = spec.strategy().resolve(replicas);
    int unavailable = f.unavailable();
    if (rolling && f.surge() == 0 && unavailable == 0) {
      unavailable = 1; // ResolveFenceposts: a rollout must be able to make progress
    }
    this.surge = rolling ? f.surge() : 0;
    this.maxUnavailable = replicas == 0 ? 0 : Math.min(unavailable, replicas);
  }

  @Override
  boolean sync() {
    return rolling ? syncRolling() : syncRecreate();
  }

  /** One rolloutRolling sync: scale up if possible, else scale down. */
  private boolean syncRolling() {
    int newCount = cluster.newPods.size();
    if (newCount < replicas) {
      int maxTotal = replicas + surge;
      int current = cluster.oldPods.size() + newCount;
      if (current < maxTotal) {
        cluster.addNew(Math.min(maxTotal - current, replicas - newCount));
        return true;
      }
    }
    if (cluster.oldPods.isEmpty()) {
      return false;
    }
    int minAvailableAllowed = replicas - maxUnavailable;
    int maxScaledDown = cluster.oldPods.size() + cluster.newPods.size() - minAvailableAllowed - cluster.newUnready();
    if (maxScaledDown <= 0) {
      return false;
    }
    int available = cluster.available();
    if (available <= minAvailableAllowed) {
      return false;
    }
    int down = Math.min(cluster.oldPods.size(), available - minAvailableAllowed);
    cluster.deleteOld(down);
    return down > 0;
  }

  /** Recreate: delete every old pod; once none is left, create every new pod. */
  private boolean syncRecreate() {
    if (!cluster.oldPods.isEmpty()) {
      cluster.deleteOld(cluster.oldPods.size());
      return true;
    }
    if (cluster.newPods.size() < replicas) {
      cluster.addNew(replicas - cluster.newPods.size());
      return true;
    }
    return false;
  }

  @Override
  String stallReason() {
    StringBuilder why = new StringBuilder(cluster.whyNotReady(spec, "new"));
    if (rolling && !cluster.oldPods.isEmpty()) {
      why.append("; the controller deletes no old pod while it would leave fewer than ")
          .append(replicas - maxUnavailable).append(" available (replicas ").append(replicas)
          .append(" - maxUnavailable ").append(maxUnavailable).append(") counting the unavailable new pods");
    } else if (!rolling) {
      why.append("; Recreate deleted every old pod, so ").append(cluster.available()).append(" of ").append(replicas)
          .append(" replicas are available");
    }
    return why.toString();
  }
}

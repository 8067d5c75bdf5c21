package io.gpukit.core.k8s.rollout;

import io.gpukit.core.k8s.ArgoStrategy;

/**
 * An Argo Rollout's blueGreen, as the Argo Rollouts controller steps it; the old pods are the
 * active ReplicaSet, the new ones the preview.
 *
 * <p>The preview ReplicaSet is scaled to {@code previewReplicaCount} (or {@code replicas}) while
 * every active pod keeps serving; once the preview pods are all Ready the rollout is promoted (at
 * once, or by a person when {@code autoPromotionEnabled} is false), the preview set is scaled to
 * {@code replicas}, and when those are all Ready the active Service switches to them. Only then,
 * {@code scaleDownDelaySeconds} later, are the old pods deleted. So the cutover holds two full sets
 * at once: on a GPU pool without room for the second, the preview pods stay Pending, the switch
 * never comes, no old pod is deleted, and the rollout deadlocks.
 */
final class BlueGreenRun extends Run {

  private final int preview;
  private boolean promoted;
  private boolean switched;

  BlueGreenRun(RolloutSpec spec, GpuPool pool, Readiness readiness) {
    super(spec, pool, readiness);
    this.preview = Math.min(replicas,
        spec.strategy().argo().flatMap(ArgoStrategy::previewReplicaCount).orElse(replicas));
  }

  @Override
  boolean sync() {
    int target = promoted ? replicas : preview;
    int newCount = cluster.newPods.size();
    if (newCount < target) {
      cluster.addNew(target - newCount);
      return true;
    }
    if (cluster.newUnready() > 0) {
      return false;
    }
    if (!promoted) {
      promoted = true; // autoPromotionEnabled, or a person promotes the preview
      return true;
    }
    if (!switched) {
      switched = true; // the active Service now selects the new pods
      return true;
    }
    if (!cluster.oldPods.isEmpty()) {
      cluster.deleteOld(cluster.oldPods.size()); // after scaleDownDelaySeconds
      return true;
    }
    return false;
  }

  @Override
  String stallReason() {
    StringBuilder why = new StringBuilder(cluster.whyNotReady(spec, "preview"));
    int total = replicas * spec.gpusPerPod();
    if (cluster.pending() > 0) {
      why.append("; blueGreen keeps all ").append(replicas).append(" active pods serving until ")
          .append(promoted ? replicas : preview).append(" preview pod(s) are Ready, so the cutover needs a second full set of ")
          .append(spec.units(total)).append(" (").append(replicas).append(" × ").append(spec.units(spec.gpusPerPod()))
          .append(") besides those the active pods hold: the rollout deadlocks, since no GPU is freed before the switch")
          .append(" and the switch waits for the Pending pods");
    } else {
      why.append("; the active Service never switches, and all ").append(replicas).append(" active pods keep serving");
    }
    return why.toString();
  }
}

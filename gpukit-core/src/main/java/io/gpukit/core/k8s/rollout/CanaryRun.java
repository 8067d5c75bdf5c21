package io.gpukit.core.k8s.rollout;

import io.gpukit.core.k8s.ArgoStrategy;
import io.gpukit.core.k8s.ArgoStrategy.CanaryStep;
import io.gpukit.core.k8s.RolloutStrategy;
import java.util.List;
import java.util.Optional;

/**
 * An Argo Rollout's canary, as the Argo Rollouts controller steps it; the old pods are the stable
 * ReplicaSet, the new ones the canary.
 *
 * <p>The steps are walked in order. A {@code setWeight} step holds until the canary and the stable
 * set are at the counts the weight asks for and every pod of them is Ready; a pause ends (one
 * without a duration is taken as promoted by a person), an analysis passes, and {@code
 * setCanaryScale} changes the canary's size with a traffic router only. After the last step the
 * weight is 100%. A canary without steps goes to 100% at once, as a rolling update does. A
 * setWeight lower than an earlier one keeps the earlier weight (the stable set is never scaled back
 * up).
 *
 * <p>Without a traffic router ({@code CalculateReplicaCountsForCanary}) the canary's count is
 * {@code ceil(replicas × weight)} and the stable's {@code ceil(replicas × (100 - weight))}; the
 * stable set is scaled up before the canary within {@code replicas + maxSurge} pods (one more
 * when the weight does not divide {@code replicas}, since both counts round up), and scaled down to
 * its count no further than {@code replicas - maxUnavailable} available pods, counting the
 * canary's Ready pods and all the stable's. With a traffic router the canary is scaled to its
 * count outright and the stable set keeps every pod until the canary is at 100% and Ready; with
 * {@code dynamicStableScale} the stable set shrinks to {@code ceil(replicas × (100 - weight))} once
 * the canary pods of that weight are Ready and take the traffic.
 */
final class CanaryRun extends Run {

  private final ArgoStrategy argo;
  private final List<CanaryStep> steps;
  private final int surge;
  private final int maxUnavailable;
  private int index;
  private int trafficWeight;

  CanaryRun(RolloutSpec spec, GpuPool pool, Readiness readiness) {
    super(spec, pool, readiness);
    this.argo = spec.strategy().argo().orElseThrow();
    this.steps = argo.steps();
    RolloutStrategy.Fenceposts f = spec.strategy().resolve(replicas);
    int unavailable = f.unavailable();
    if (f.surge() == 0 && unavailable == 0) {
      unavailable = 1; // resolveFenceposts, as the Deployment controller does
    }
    this.surge = f.surge();
    this.maxUnavailable = replicas == 0 ? 0 : Math.min(unavailable, replicas);
  }

  /**
   * The weight the current step asks for: the last setWeight at or before it, 100 after the last
   * step. A setWeight below an earlier one keeps the earlier weight: gpukit does not scale the stable
   * set back up.
   */
  private int weight() {
    if (index >= steps.size()) {
      return 100;
    }
    int most = 0;
    for (int i = 0; i <= index; i++) {
      if (steps.get(i) instanceof CanaryStep.SetWeight w) {
        most = Math.max(most, w.weight());
      }
    }
    return most;
  }

  /** The canary's size as a setCanaryScale at or before the current step sets it, with a traffic router. */
  private Optional<Integer> canaryScale() {
    if (!argo.trafficRouting() || index >= steps.size()) {
      return Optional.empty();
    }
    for (int i = index; i >= 0; i--) {
      if (steps.get(i) instanceof CanaryStep.SetCanaryScale s) {
        if (s.matchTrafficWeight()) {
          return Optional.empty();
        }
        return s.replicas().or(() -> s.weight().map(w -> ofWeight(replicas, w)));
      }
    }
    return Optional.empty();
  }

  private int desiredCanary() {
    return canaryScale().orElse(ofWeight(replicas, weight()));
  }

  private int desiredStable() {
    int w = weight();
    if (!argo.trafficRouting()) {
      return ofWeight(replicas, 100 - w);
    }
    if (trafficWeight == 100) {
      return 0; // fully promoted: the old stable set is scaled down (after scaleDownDelaySeconds)
    }
    return argo.dynamicStableScale() ? ofWeight(replicas, 100 - trafficWeight) : replicas;
  }

  private boolean atDesired() {
    return cluster.newPods.size() == desiredCanary() && cluster.newUnready() == 0
        && cluster.oldPods.size() == desiredStable();
  }

  @Override
  boolean sync() {
    if (argo.trafficRouting()) {
      return syncRouted();
    }
    boolean changed = scaleBasic();
    if (!changed && atDesired() && index < steps.size()) {
      index++; // the step is done: on to the next
      return true;
    }
    return changed;
  }

  /** One reconcile of a canary without a traffic router: scale up within the surge, then down within unavailability. */
  private boolean scaleBasic() {
    int w = weight();
    int desiredNew = ofWeight(replicas, w);
    int desiredStable = ofWeight(replicas, 100 - w);
    int newCount = cluster.newPods.size();
    int stableCount = cluster.oldPods.size();
    int maxTotal = replicas + surge + ((replicas * w) % 100 != 0 ? 1 : 0);
    int scaleUp = maxTotal - (newCount + stableCount);
    int targetNew = newCount;
    if (newCount < desiredNew && scaleUp > 0) {
      targetNew = Math.min(desiredNew, newCount + scaleUp);
    }
    int targetStable = stableCount;
    int minAvailable = replicas - maxUnavailable;
    boolean increasing = desiredNew >= newCount;
    int counted = (increasing ? cluster.newReady() : newCount) + stableCount; // stable pods are Ready
    if (counted > minAvailable) {
      int down = counted - minAvailable;
      if (newCount > desiredNew) {
        int byNew = Math.min(down, newCount - desiredNew);
        targetNew = newCount - byNew;
        down -= byNew;
      }
      if (stableCount > desiredStable) {
        targetStable = stableCount - Math.min(down, stableCount - desiredStable);
      }
    }
    boolean changed = false;
    if (targetNew > newCount) {
      cluster.addNew(targetNew - newCount);
      changed = true;
    } else if (targetNew < newCount) {
      cluster.deleteNew(newCount - targetNew);
      changed = true;
    }
    if (targetStable < stableCount) {
      cluster.deleteOld(stableCount - targetStable);
      changed = true;
    }
    return changed;
  }

  /** One reconcile of a canary with a traffic router. */
  private boolean syncRouted() {
    int desiredNew = desiredCanary();
    int newCount = cluster.newPods.size();
    if (newCount != desiredNew) {
      if (newCount < desiredNew) {
        cluster.addNew(desiredNew - newCount);
      } else {
        cluster.deleteNew(newCount - desiredNew);
      }
      return true;
    }
    if (cluster.newUnready() > 0) {
      return false;
    }
    int w = canaryScale().isPresent() ? trafficWeight : weight();
    if (trafficWeight != w) {
      trafficWeight = w; // the router moves the traffic once the canary pods are Ready
      return true;
    }
    int desiredStable = desiredStable();
    if (cluster.oldPods.size() > desiredStable) {
      cluster.deleteOld(cluster.oldPods.size() - desiredStable);
      return true;
    }
    if (index < steps.size()) {
      index++;
      return true;
    }
    return false;
  }

  @Override
  String stallReason() {
    StringBuilder why = new StringBuilder(cluster.whyNotReady(spec, "canary"));
    why.append("; the canary waits at ").append(index < steps.size() ? "step " + (index + 1) + " of " + steps.size()
            + " (" + describe(steps.get(index)) + ")" : "100%")
        .append(" with ").append(cluster.oldPods.size()).append(" stable and ").append(cluster.newPods.size())
        .append(" canary pod(s)");
    if (argo.keepsStableAtFullScale()) {
      why.append("; with a traffic router the stable ReplicaSet keeps all ").append(replicas)
          .append(" pods until the canary is fully promoted, so at 100% the canary needs a second full set of GPUs")
          .append(" (dynamicStableScale: true scales the stable set down as traffic moves)");
    } else if (!argo.trafficRouting() && !cluster.oldPods.isEmpty()) {
      why.append("; the controller deletes no stable pod while it would leave fewer than ")
          .append(replicas - maxUnavailable).append(" available (replicas ").append(replicas)
          .append(" - maxUnavailable ").append(maxUnavailable).append(")");
    }
    return why.toString();
  }

  private static String describe(CanaryStep step) {
    if (step instanceof CanaryStep.SetWeight w) {
      return "setWeight " + w.weight();
    }
    if (step instanceof CanaryStep.SetCanaryScale) {
      return "setCanaryScale";
    }
    if (step instanceof CanaryStep.Pause) {
      return "pause";
    }
    if (step instanceof CanaryStep.Analysis) {
      return "analysis";
    }
    return ((CanaryStep.Other) step).name();
  }
}

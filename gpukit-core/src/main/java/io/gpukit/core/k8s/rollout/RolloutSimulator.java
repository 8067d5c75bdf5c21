package io.gpukit.core.k8s.rollout;

import io.gpukit.core.k8s.RolloutStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Steps a Deployment rollout the way the Deployment controller does, against a pool of GPUs.
 *
 * <p>RollingUpdate, one controller sync per step ({@code rolloutRolling}): first scale the new
 * ReplicaSet up to at most {@code replicas + maxSurge} pods in all ({@code NewRSNewReplicas});
 * only when it did not, scale old ReplicaSets down, never below {@code replicas - maxUnavailable}
 * available pods and never while unavailable new pods would make up the difference ({@code
 * reconcileOldReplicaSets}). {@code maxSurge} rounds up, {@code maxUnavailable} rounds down, and
 * when both round to 0 {@code maxUnavailable} becomes 1 ({@code ResolveFenceposts}). Recreate
 * deletes every old pod, then creates the new ones.
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
    Optional<String> rejected = spec.strategy().apiRejection();
    if (rejected.isPresent()) {
      return new RolloutSimulation(false, replicas, replicas, 0,
          Optional.of(rejected.get() + "; the API server rejects the Deployment, so no rollout starts"));
    }
    if (spec.gpusPerPod() > pool.gpusPerNode()) {
      return new RolloutSimulation(false, replicas, replicas, 0, Optional.of(
          "a pod needs " + (spec.wholeGpus() ? spec.gpusPerPod() + " GPUs" : spec.units(spec.gpusPerPod()))
              + " but a node has only " + pool.gpusPerNode()
              + "; no pod of this Deployment can be scheduled"));
    }
    return new Run(spec, pool, readiness).run();
  }

  /** One simulation's state. */
  private static final class Run {
    private final RolloutSpec spec;
    private final Readiness readiness;
    private final int replicas;
    private final int gpus;
    private final boolean rolling;
    private final int surge;
    private final int maxUnavailable;
    private final List<Integer> free = new ArrayList<>();
    private final List<Pod> oldPods = new ArrayList<>();
    private final List<Pod> newPods = new ArrayList<>();
    private int minAvailable;
    private int maxPods;

    /** A pod: its node ({@code -1} while Pending) and whether it is Ready. */
    private static final class Pod {
      int node = -1;
      boolean ready;
    }

    Run(RolloutSpec spec, GpuPool pool, Readiness readiness) {
      this.spec = spec;
      this.readiness = readiness;
      this.replicas = spec.replicas();
      this.gpus = spec.gpusPerPod();
      this.rolling = spec.strategy().type() == RolloutStrategy.Type.ROLLING_UPDATE;
      RolloutStrategy.Fenceposts f = spec.strategy().resolve(replicas);
      int unavailable = f.unavailable();
      if (rolling && f.surge() == 0 && unavailable == 0) {
        unavailable = 1; // ResolveFenceposts: a rollout must be able to make progress
      }
      this.surge = rolling ? f.surge() : 0;
      this.maxUnavailable = replicas == 0 ? 0 : Math.min(unavailable, replicas);
      layOut(pool);
      this.minAvailable = replicas;
      this.maxPods = replicas;
    }

    private void layOut(GpuPool pool) {
      int perNode = pool.gpusPerNode();
      List<Integer> used = new ArrayList<>();
      for (int i = 0; i < replicas; i++) {
        Pod p = new Pod();
        p.ready = true;
        if (gpus > 0) {
          int node = -1;
          for (int n = 0; n < used.size(); n++) {
            if (perNode - used.get(n) >= gpus) {
              node = n;
              break;
            }
          }
          if (node < 0) {
            used.add(0);
            node = used.size() - 1;
          }
          used.set(node, used.get(node) + gpus);
          p.node = node;
        }
        oldPods.add(p);
      }
      int left = pool.gpusFree();
      for (int u : used) {
        int slack = Math.min(perNode - u, left);
        free.add(slack);
        left -= slack;
      }
      while (left > 0) {
        int n = Math.min(perNode, left);
        free.add(n);
        left -= n;
      }
    }

    RolloutSimulation run() {
      int steps = 0;
      while (!complete()) {
        if (steps >= MAX_STEPS) {
          return result(false, steps, Optional.of("no end after " + MAX_STEPS + " steps"));
        }
        boolean changed = rolling ? syncRolling() : syncRecreate();
        sample();
        changed |= moveWorld();
        sample();
        if (!changed) {
          return result(false, steps, Optional.of(stallReason()));
        }
        steps++;
      }
      return result(true, steps, Optional.empty());
    }

    private RolloutSimulation result(boolean completes, int steps, Optional<String> stall) {
      return new RolloutSimulation(completes, minAvailable, maxPods, steps, stall);
    }

    private boolean complete() {
      return oldPods.isEmpty() && newPods.size() == replicas && newPods.stream().allMatch(p -> p.ready);
    }

    private int available() {
      return (int) (oldPods.stream().filter(p -> p.ready).count() + newPods.stream().filter(p -> p.ready).count());
    }

    private void sample() {
      minAvailable = Math.min(minAvailable, available());
      maxPods = Math.max(maxPods, oldPods.size() + newPods.size());
    }

    /** One rolloutRolling sync: scale up if possible, else scale down. */
    private boolean syncRolling() {
      int newCount = newPods.size();
      if (newCount < replicas) {
        int maxTotal = replicas + surge;
        int current = oldPods.size() + newCount;
        if (current < maxTotal) {
          int up = Math.min(maxTotal - current, replicas - newCount);
          for (int i = 0; i < up; i++) {
            newPods.add(new Pod());
          }
          return true;
        }
      }
      if (oldPods.isEmpty()) {
        return false;
      }
      int minAvailableAllowed = replicas - maxUnavailable;
      int newUnavailable = (int) newPods.stream().filter(p -> !p.ready).count();
      int maxScaledDown = oldPods.size() + newPods.size() - minAvailableAllowed - newUnavailable;
      if (maxScaledDown <= 0) {
        return false;
      }
      int available = available();
      if (available <= minAvailableAllowed) {
        return false;
      }
      int down = Math.min(oldPods.size(), available - minAvailableAllowed);
      for (int i = 0; i < down; i++) {
        delete(oldPods.remove(oldPods.size() - 1));
      }
      return down > 0;
    }

    /** Recreate: delete every old pod; once none is left, create every new pod. */
    private boolean syncRecreate() {
      if (!oldPods.isEmpty()) {
        while (!oldPods.isEmpty()) {
          delete(oldPods.remove(oldPods.size() - 1));
        }
        return true;
      }
      if (newPods.size() < replicas) {
        while (newPods.size() < replicas) {
          newPods.add(new Pod());
        }
        return true;
      }
      return false;
    }

    private void delete(Pod p) {
      if (p.node >= 0 && gpus > 0) {
        free.set(p.node, free.get(p.node) + gpus);
      }
    }

    /** Binds Pending pods where a node has room, and makes bound new pods Ready. */
    private boolean moveWorld() {
      boolean changed = false;
      for (Pod p : newPods) {
        if (p.node < 0) {
          int node = gpus == 0 ? 0 : fit();
          if (node >= 0) {
            p.node = node;
            if (gpus > 0) {
              free.set(node, free.get(node) - gpus);
            }
            changed = true;
          }
        }
        if (p.node >= 0 && !p.ready && readiness == Readiness.READY) {
          p.ready = true;
          changed = true;
        }
      }
      return changed;
    }

    private int fit() {
      for (int n = 0; n < free.size(); n++) {
        if (free.get(n) >= gpus) {
          return n;
        }
      }
      return -1;
    }

    private String stallReason() {
      long pending = newPods.stream().filter(p -> p.node < 0).count();
      int mostFree = free.stream().mapToInt(Integer::intValue).max().orElse(0);
      int totalFree = free.stream().mapToInt(Integer::intValue).sum();
      StringBuilder why = new StringBuilder();
      if (pending > 0) {
        why.append(pending).append(" new pod(s) Pending: each needs ").append(spec.units(gpus))
            .append(" on one node, but the most free on any node is ").append(mostFree)
            .append(" (").append(totalFree).append(" free in the pool)");
      } else {
        long unready = newPods.stream().filter(p -> !p.ready).count();
        why.append(unready).append(" new pod(s) never become Ready");
      }
      if (rolling && !oldPods.isEmpty()) {
        why.append("; the controller deletes no old pod while it would leave fewer than ")
            .append(replicas - maxUnavailable).append(" available (replicas ").append(replicas)
            .append(" - maxUnavailable ").append(maxUnavailable).append(") counting the unavailable new pods");
      } else if (!rolling) {
        why.append("; Recreate deleted every old pod, so ").append(available()).append(" of ").append(replicas)
            .append(" replicas are available");
      }
      return why.toString();
    }
  }
}

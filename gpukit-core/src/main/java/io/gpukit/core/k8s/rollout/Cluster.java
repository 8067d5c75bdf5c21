package io.gpukit.core.k8s.rollout;

import java.util.ArrayList;
import java.util.List;

/**
 * The pods of one simulated rollout and the GPUs of the pool they are bound to: the old pods laid
 * out first-fit on nodes, the free GPUs filling those nodes first and then further nodes. Deleted
 * pods release their GPUs at once; a Pending pod is bound where one node has all the GPUs it needs
 * (first fit), and a bound new pod becomes Ready unless {@link Readiness#NEVER_READY}. Old pods are
 * Ready throughout.
 */
final class Cluster {

  /** A pod: its node ({@code -1} while Pending) and whether it is Ready. */
  static final class Pod {
    int node = -1;
    boolean ready;
  }

  final List<Pod> oldPods = new ArrayList<>();
  final List<Pod> newPods = new ArrayList<>();
  private final List<Integer> free = new ArrayList<>();
  private final int gpus;
  private final Readiness readiness;
  private final int poolUnits;
  private final List<RolloutSimulation.Step> trace = new ArrayList<>();
  private int minAvailable;
  private int maxPods;
  /** The fewest available pods since the last recorded state. */
  private int stepLow;

  Cluster(int replicas, int gpusPerPod, GpuPool pool, Readiness readiness) {
    this.gpus = gpusPerPod;
    this.readiness = readiness;
    this.poolUnits = replicas * gpusPerPod + pool.gpusFree();
    layOut(replicas, pool);
    this.minAvailable = replicas;
    this.maxPods = replicas;
    this.stepLow = replicas;
  }

  private void layOut(int replicas, GpuPool pool) {
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

  int available() {
    return (int) (oldPods.stream().filter(p -> p.ready).count() + newReady());
  }

  int newReady() {
    return (int) newPods.stream().filter(p -> p.ready).count();
  }

  int newUnready() {
    return newPods.size() - newReady();
  }

  long pending() {
    return newPods.stream().filter(p -> p.node < 0).count();
  }

  int minAvailable() {
    return minAvailable;
  }

  int maxPods() {
    return maxPods;
  }

  /** Records the fewest available and the most pods so far. */
  void sample() {
    int available = available();
    stepLow = Math.min(stepLow, available);
    minAvailable = Math.min(minAvailable, available);
    maxPods = Math.max(maxPods, oldPods.size() + newPods.size());
  }

  /**
   * Records the state after a step (or before the first), with the fewest available pods since the
   * last state recorded; the next step's fewest starts from here.
   */
  void record() {
    int newReady = newReady();
    int pending = (int) pending();
    long bound = oldPods.stream().filter(p -> p.node >= 0).count() + newPods.stream().filter(p -> p.node >= 0).count();
    trace.add(new RolloutSimulation.Step(oldPods.size(), newReady, newPods.size() - newReady - pending, pending,
        gpus == 0 ? 0 : (int) bound * gpus, poolUnits, stepLow));
    stepLow = available();
  }

  /** The states recorded so far. */
  List<RolloutSimulation.Step> trace() {
    return trace;
  }

  void addNew(int n) {
    for (int i = 0; i < n; i++) {
      newPods.add(new Pod());
    }
  }

  /** Deletes the newest old pods. */
  void deleteOld(int n) {
    for (int i = 0; i < n && !oldPods.isEmpty(); i++) {
      delete(oldPods.remove(oldPods.size() - 1));
    }
  }

  /** Deletes new pods, those not Ready first (as a ReplicaSet scales down). */
  void deleteNew(int n) {
    for (int i = 0; i < n && !newPods.isEmpty(); i++) {
      int victim = newPods.size() - 1;
      for (int j = newPods.size() - 1; j >= 0; j--) {
        if (!newPods.get(j).ready) {
          victim = j;
          break;
        }
      }
      delete(newPods.remove(victim));
    }
  }

  private void delete(Pod p) {
    if (p.node >= 0 && gpus > 0) {
      free.set(p.node, free.get(p.node) + gpus);
    }
  }

  /** Binds Pending pods where a node has room, and makes bound new pods Ready. */
  boolean moveWorld() {
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

  /**
   * Why new pods are not all Ready: {@code 2 new pod(s) Pending: each needs 1 GPU(s) on one node,
   * but the most free on any node is 0 (0 free in the pool)}, or {@code 1 new pod(s) never become
   * Ready}; {@code what} names the pods ({@code new}, {@code canary}, {@code preview}).
   */
  String whyNotReady(RolloutSpec spec, String what) {
    long pending = pending();
    int mostFree = free.stream().mapToInt(Integer::intValue).max().orElse(0);
    int totalFree = free.stream().mapToInt(Integer::intValue).sum();
    if (pending > 0) {
      return pending + " " + what + " pod(s) Pending: each needs " + spec.units(gpus)
          + " on one node, but the most free on any node is " + mostFree + " (" + totalFree + " free in the pool)";
    }
    return newUnready() + " " + what + " pod(s) never become Ready";
  }
}

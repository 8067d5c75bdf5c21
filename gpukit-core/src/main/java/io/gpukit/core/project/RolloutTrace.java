package io.gpukit.core.project;

import io.gpukit.core.k8s.RolloutStrategy;
import io.gpukit.core.k8s.rollout.GpuPool;
import io.gpukit.core.k8s.rollout.Readiness;
import io.gpukit.core.k8s.rollout.RolloutSimulation;
import io.gpukit.core.k8s.rollout.RolloutSimulator;
import io.gpukit.core.k8s.rollout.RolloutSpec;
import io.gpukit.core.report.RolloutChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pods and GPUs after each step of a rollout, for the report's chart.
 *
 * <p>{@link RolloutSimulator} answers with the outcome only; this replays its steps (the same
 * syncs, world moves and first-fit layout, as its javadoc states them) and keeps the state after
 * each. The replay is trusted only when its outcome is the simulator's own, field by field
 * ({@link #of}); otherwise the chart shows the simulator's outcome without steps. Once the
 * simulator reports its steps itself, this class goes.
 */
final class RolloutTrace {

  private RolloutTrace() {}

  /** The steps, when the replay ends exactly as {@code simulation} says; else none. */
  static List<RolloutChart.Step> of(RolloutSpec spec, GpuPool pool, Readiness readiness, RolloutSimulation simulation) {
    if (spec.replicas() < 0 || spec.strategy().apiRejection().isPresent() || spec.gpusPerPod() > pool.gpusPerNode()) {
      return List.of(); // no rollout starts
    }
    Replay replay = new Replay(spec, pool, readiness);
    Optional<RolloutSimulation> ended = replay.run();
    if (ended.isEmpty()) {
      return List.of();
    }
    RolloutSimulation mine = ended.get();
    boolean same = mine.completes() == simulation.completes() && mine.minAvailable() == simulation.minAvailable()
        && mine.maxPods() == simulation.maxPods() && mine.steps() == simulation.steps()
        && mine.stall().isPresent() == simulation.stall().isPresent();
    return same ? replay.states : List.of();
  }

  private static final class Replay {
    private final Readiness readiness;
    private final int replicas;
    private final int gpus;
    private final boolean rolling;
    private final int surge;
    private final int maxUnavailable;
    private final int poolUnits;
    private final List<Integer> free = new ArrayList<>();
    private final List<Pod> oldPods = new ArrayList<>();
    private final List<Pod> newPods = new ArrayList<>();
    private final List<RolloutChart.Step> states = new ArrayList<>();
    private int minAvailable;
    private int maxPods;
    /** The fewest available pods since the last recorded state. */
    private int stepLow;

    private static final class Pod {
      int node = -1;
      boolean ready;
    }

    Replay(RolloutSpec spec, GpuPool pool, Readiness readiness) {
      this.readiness = readiness;
      this.replicas = spec.replicas();
      this.gpus = spec.gpusPerPod();
      this.rolling = spec.strategy().type() == RolloutStrategy.Type.ROLLING_UPDATE;
      RolloutStrategy.Fenceposts f = spec.strategy().resolve(replicas);
      int unavailable = f.unavailable();
      if (rolling && f.surge() == 0 && unavailable == 0) {
        unavailable = 1;
      }
      this.surge = rolling ? f.surge() : 0;
      this.maxUnavailable = replicas == 0 ? 0 : Math.min(unavailable, replicas);
      this.poolUnits = replicas * gpus + pool.gpusFree();
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

    /** The outcome, or empty when the replay runs past the bound the charts draw. */
    Optional<RolloutSimulation> run() {
      int steps = 0;
      stepLow = available();
      record();
      while (!complete()) {
        if (steps >= 10_000) {
          return Optional.empty();
        }
        boolean changed = rolling ? syncRolling() : syncRecreate();
        sample();
        changed |= moveWorld();
        sample();
        if (!changed) {
          return Optional.of(new RolloutSimulation(false, minAvailable, maxPods, steps, Optional.of("stalls")));
        }
        steps++;
        record();
        stepLow = available();
      }
      return Optional.of(new RolloutSimulation(true, minAvailable, maxPods, steps, Optional.empty()));
    }

    private void record() {
      int newReady = (int) newPods.stream().filter(p -> p.ready).count();
      int pending = (int) newPods.stream().filter(p -> p.node < 0).count();
      int newUnready = newPods.size() - newReady - pending;
      long bound = oldPods.stream().filter(p -> p.node >= 0).count() + newPods.stream().filter(p -> p.node >= 0).count();
      states.add(new RolloutChart.Step(oldPods.size(), newReady, newUnready, pending,
          gpus == 0 ? 0 : (int) bound * gpus, poolUnits, stepLow));
    }

    private boolean complete() {
      return oldPods.isEmpty() && newPods.size() == replicas && newPods.stream().allMatch(p -> p.ready);
    }

    private int available() {
      return (int) (oldPods.stream().filter(p -> p.ready).count() + newPods.stream().filter(p -> p.ready).count());
    }

    private void sample() {
      stepLow = Math.min(stepLow, available());
      minAvailable = Math.min(minAvailable, available());
      maxPods = Math.max(maxPods, oldPods.size() + newPods.size());
    }

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
  }
}

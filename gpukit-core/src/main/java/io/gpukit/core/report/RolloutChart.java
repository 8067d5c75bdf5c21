package io.gpukit.core.report;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the HTML report draws of one simulated rollout: the pods and GPUs after each step, against
 * the pool, and how it ends.
 *
 * <p>Built by {@code io.gpukit.core.project.ReportViews} from the steps the rollout simulator took,
 * for a Deployment (RollingUpdate, Recreate) or an Argo Rollout (canary, blueGreen); a chart of a
 * rollout that never starts, or of more steps than are drawn, has no steps and only the outcome.
 *
 * @param title what rolls out, e.g. {@code Deployment/gpu-scoring}
 * @param where the file and line of the workload
 * @param replicas {@code spec.replicas}
 * @param strategy the strategy in words, e.g. {@code RollingUpdate maxSurge 1, maxUnavailable 0}
 * @param unitsPerPod GPUs (or units of {@code resource}) one pod holds
 * @param resource what the pool is made of, e.g. {@code nvidia.com/gpu}
 * @param pool the pool in words, e.g. {@code 0 GPUs free besides the pods' own, 8 per node}
 * @param steps the state before the rollout (step 0), then after each step
 * @param completes whether every pod ends up new and Ready
 * @param stall why the rollout stops, when it does not complete
 * @since 0.2.0
 */
public record RolloutChart(
    String title,
    String where,
    int replicas,
    String strategy,
    int unitsPerPod,
    String resource,
    String pool,
    List<Step> steps,
    boolean completes,
    Optional<String> stall) {

  /** Validates the fields and copies the list. */
  public RolloutChart {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(pool, "pool");
    steps = List.copyOf(steps);
    Objects.requireNonNull(stall, "stall");
  }

  /**
   * The pods and GPUs after one step.
   *
   * @param oldReady old pods, all Ready
   * @param newReady new pods that are Ready
   * @param newUnready new pods bound to a node but not Ready
   * @param newPending new pods waiting for a node with room
   * @param unitsInUse GPUs held by the pods (old and bound new)
   * @param unitsInPool GPUs of the pool: those the old pods held at the start, plus the free ones
   * @param lowestAvailable the fewest Ready pods at any moment of the step: the controller may delete
   *     old pods before new ones are Ready within one step
   */
  public record Step(
      int oldReady, int newReady, int newUnready, int newPending, int unitsInUse, int unitsInPool, int lowestAvailable) {

    /** Validates the counts. */
    public Step {
      if (oldReady < 0 || newReady < 0 || newUnready < 0 || newPending < 0 || unitsInUse < 0 || unitsInPool < 0
          || lowestAvailable < 0) {
        throw new IllegalArgumentException("counts must be 0 or more");
      }
    }

    /** Every pod of this step. */
    public int pods() {
      return oldReady + newReady + newUnready + newPending;
    }
  }
}

package io.gpukit.core.k8s.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a simulated rollout, and the pods and GPUs after each of its steps.
 *
 * @param completes whether every pod ends up new and Ready
 * @param minAvailable the fewest available (Ready) pods at any point
 * @param maxPods the most pods (old and new, Pending included) at any point
 * @param steps the controller syncs that changed something, until completion or the stall
 * @param stall why the rollout stops, when it does not complete
 * @param trace the state before the rollout (step 0), then after each of the {@code steps}: {@code
 *     steps + 1} states; empty for a rollout that never starts (a spec the API server rejects, a pod
 *     bigger than a node)
 * @since 0.1.0
 */
public record RolloutSimulation(
    boolean completes, int minAvailable, int maxPods, int steps, Optional<String> stall, List<Step> trace) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Validates the fields and copies the trace. */
  public RolloutSimulation {
    Objects.requireNonNull(stall, "stall");
    trace = List.copyOf(trace);
  }

  /** An outcome without a trace: a rollout that never starts. */
  public RolloutSimulation(boolean completes, int minAvailable, int maxPods, int steps, Optional<String> stall) {
    this(completes, minAvailable, maxPods, steps, stall, List.of());
  }

  /**
   * The pods and GPUs after one step of a rollout (or before the first).
   *
   * <p>Old pods are Ready throughout; the new ones are Ready, bound to a node but not Ready, or
   * Pending. The GPUs count units of the spec's {@link RolloutSpec#resource()}.
   *
   * @param oldReady old pods, all Ready
   * @param newReady new pods that are Ready
   * @param newUnready new pods bound to a node but not Ready
   * @param newPending new pods waiting for a node with room
   * @param unitsInUse GPUs held by the pods (old and bound new)
   * @param unitsInPool GPUs of the pool: those the old pods held at the start, plus the free ones
   * @param lowestAvailable the fewest Ready pods at any moment of the step: a controller may delete
   *     old pods before new ones are Ready within one step
   * @since 0.2.0
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

    /** Every pod of this step, Pending ones included. */
    public int pods() {
      return oldReady + newReady + newUnready + newPending;
    }
  }

  /** {@code {"completes": …, "minAvailable": …, "maxPods": …, "steps": …, "stall": …|null}}, one line; no trace. */
  public String toJson() {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("completes", completes);
    o.put("minAvailable", minAvailable);
    o.put("maxPods", maxPods);
    o.put("steps", steps);
    if (stall.isPresent()) {
      o.put("stall", stall.get());
    } else {
      o.putNull("stall");
    }
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A few lines for people; no trace. */
  public String toText() {
    return (completes ? "completes" : "does not complete") + System.lineSeparator()
        + "min available: " + minAvailable + System.lineSeparator()
        + "max pods: " + maxPods + System.lineSeparator()
        + "steps: " + steps
        + stall.map(s -> System.lineSeparator() + "stall: " + s).orElse("");
  }
}

package io.gpukit.core.k8s.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a simulated rollout.
 *
 * @param completes whether every pod ends up new and Ready
 * @param minAvailable the fewest available (Ready) pods at any point
 * @param maxPods the most pods (old and new, Pending included) at any point
 * @param steps the controller syncs that changed something, until completion or the stall
 * @param stall why the rollout stops, when it does not complete
 * @since 0.1.0
 */
public record RolloutSimulation(boolean completes, int minAvailable, int maxPods, int steps, Optional<String> stall) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Validates the fields. */
  public RolloutSimulation {
    Objects.requireNonNull(stall, "stall");
  }

  /** {@code {"completes": …, "minAvailable": …, "maxPods": …, "steps": …, "stall": …|null}}, one line. */
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

  /** A few lines for people. */
  public String toText() {
    return (completes ? "completes" : "does not complete") + System.lineSeparator()
        + "min available: " + minAvailable + System.lineSeparator()
        + "max pods: " + maxPods + System.lineSeparator()
        + "steps: " + steps
        + stall.map(s -> System.lineSeparator() + "stall: " + s).orElse("");
  }
}

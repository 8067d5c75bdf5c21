package io.gpukit.core.assertions;

import io.gpukit.core.k8s.rollout.RolloutSimulation;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a simulated rollout.
 *
 * <pre>{@code
 * // passes for maxSurge 1, maxUnavailable 0 and one spare GPU
 * assertThat(RolloutSimulator.simulate(spec, GpuPool.withFree(1), Readiness.READY))
 *     .completes().keepsAtLeastAvailable(2);
 * }</pre>
 *
 * @since 0.1.0
 */
public class RolloutSimulationAssert extends AbstractAssert<RolloutSimulationAssert, RolloutSimulation> {

  /** Creates the assertion; use {@link GpuKitAssertions#assertThat(RolloutSimulation)}. */
  public RolloutSimulationAssert(RolloutSimulation actual) {
    super(actual, RolloutSimulationAssert.class);
  }

  /** Verifies that the rollout completes. */
  public RolloutSimulationAssert completes() {
    isNotNull();
    if (!actual.completes()) {
      failWithMessage("%nExpecting the rollout to complete%nbut it stalls after %s step(s): %s",
          actual.steps(), actual.stall().orElse("(no reason)"));
    }
    return myself;
  }

  /** Verifies that the rollout does not complete. */
  public RolloutSimulationAssert doesNotComplete() {
    isNotNull();
    if (actual.completes()) {
      failWithMessage("%nExpecting the rollout to stall%nbut it completes in %s step(s)", actual.steps());
    }
    return myself;
  }

  /** Verifies that at least {@code replicas} pods are available throughout. */
  public RolloutSimulationAssert keepsAtLeastAvailable(int replicas) {
    isNotNull();
    if (actual.minAvailable() < replicas) {
      failWithMessage("%nExpecting the rollout to keep at least %s available replica(s)%nbut it drops to %s",
          replicas, actual.minAvailable());
    }
    return myself;
  }

  /** Verifies that the rollout stalls with a reason that contains {@code text}. */
  public RolloutSimulationAssert stallsBecause(String text) {
    doesNotComplete();
    String why = actual.stall().orElse("");
    if (!why.contains(text)) {
      failWithMessage("%nExpecting the stall reason to contain:%n  %s%nbut it was:%n  %s", text, why);
    }
    return myself;
  }
}

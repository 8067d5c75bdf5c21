package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldCompleteRollout.shouldComplete;
import static io.gpukit.core.assertions.error.ShouldCompleteRollout.shouldKeepAtLeastAvailable;
import static io.gpukit.core.assertions.error.ShouldCompleteRollout.shouldStall;
import static io.gpukit.core.assertions.error.ShouldCompleteRollout.shouldStallBecause;

import io.gpukit.core.k8s.rollout.RolloutSimulation;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a simulated rollout.
 *
 * <pre>{@code
 * // passes for maxSurge 1, maxUnavailable 0 and one spare GPU
 * assertThat(RolloutSimulator.simulate(spec, GpuPool.withFree(1), Readiness.READY))
 *     .completes().keepsAtLeastAvailable(2);
 * // fails, with the stall reason, for maxSurge 1, maxUnavailable 0 and no spare GPU
 * assertThat(RolloutSimulator.simulate(spec, GpuPool.withFree(0), Readiness.READY)).completes();
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
      throw assertionError(shouldComplete(actual));
    }
    return myself;
  }

  /** Verifies that the rollout does not complete. */
  public RolloutSimulationAssert doesNotComplete() {
    isNotNull();
    if (actual.completes()) {
      throw assertionError(shouldStall(actual));
    }
    return myself;
  }

  /**
   * Verifies that at least {@code replicas} pods are available throughout.
   *
   * @throws IllegalArgumentException if {@code replicas} is negative
   */
  public RolloutSimulationAssert keepsAtLeastAvailable(int replicas) {
    if (replicas < 0) {
      throw new IllegalArgumentException("The given replicas should be 0 or more but was " + replicas);
    }
    isNotNull();
    if (actual.minAvailable() < replicas) {
      throw assertionError(shouldKeepAtLeastAvailable(actual, replicas));
    }
    return myself;
  }

  /**
   * Verifies that the rollout stalls with a reason that contains {@code text}.
   *
   * @throws NullPointerException if {@code text} is null
   */
  public RolloutSimulationAssert stallsBecause(String text) {
    Arguments.requireNonNull(text, "text");
    isNotNull();
    if (actual.completes()) {
      throw assertionError(shouldStall(actual));
    }
    if (!actual.stall().orElse("").contains(text)) {
      throw assertionError(shouldStallBecause(actual, text));
    }
    return myself;
  }
}

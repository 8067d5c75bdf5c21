package io.gpukit.core.assertions.error;

import io.gpukit.core.k8s.rollout.RolloutSimulation;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Creates the messages for a simulated rollout that stalls, completes or drops replicas against
 * expectation.
 *
 * @since 0.1.0
 */
public final class ShouldCompleteRollout extends BasicErrorMessageFactory {

  /** The rollout stalls. */
  public static ErrorMessageFactory shouldComplete(RolloutSimulation actual) {
    return new ShouldCompleteRollout(
        "%nExpecting actual:%n  %s%nto complete%nbut it stalls after %s step(s):%n  %s",
        describe(actual), actual.steps(), actual.stall().orElse("(no reason)"));
  }

  /** The rollout completes where it was expected to stall. */
  public static ErrorMessageFactory shouldStall(RolloutSimulation actual) {
    return new ShouldCompleteRollout(
        "%nExpecting actual:%n  %s%nto stall%nbut it completes in %s step(s)", describe(actual), actual.steps());
  }

  /** Fewer replicas stay available than expected. */
  public static ErrorMessageFactory shouldKeepAtLeastAvailable(RolloutSimulation actual, int replicas) {
    return new ShouldCompleteRollout(
        "%nExpecting actual:%n  %s%nto keep at least %s available replica(s)%nbut it drops to %s",
        describe(actual), replicas, actual.minAvailable());
  }

  /** The rollout stalls for another reason. */
  public static ErrorMessageFactory shouldStallBecause(RolloutSimulation actual, String text) {
    return new ShouldCompleteRollout(
        "%nExpecting actual:%n  %s%nto stall with a reason containing%n  %s%nbut the reason is%n  %s",
        describe(actual), text, actual.stall().orElse(""));
  }

  private static String describe(RolloutSimulation actual) {
    return "a rollout that " + (actual.completes() ? "completes" : "stalls") + " in " + actual.steps()
        + " step(s), at least " + actual.minAvailable() + " available, at most " + actual.maxPods() + " pod(s)";
  }

  private ShouldCompleteRollout(String format, Object... arguments) {
    super(format, arguments);
  }
}

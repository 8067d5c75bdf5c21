package io.gpukit.core.assertions.error;

import io.gpukit.core.workflow.Job;
import java.util.Collection;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Creates the messages for a missing {@code needs}.
 *
 * @since 0.1.0
 */
public final class ShouldNeedJob extends BasicErrorMessageFactory {

  /** The job does not name the other in its own {@code needs}. */
  public static ErrorMessageFactory shouldNeed(Job actual, String other) {
    return new ShouldNeedJob(
        "%nExpecting actual:%n  %s%nto need the job%n  %s%nbut its needs are:%n  %s",
        ShouldHaveJob.describe(actual).replace("%%", "%"),
        other,
        actual.needIds());
  }

  /** The job needs the other neither directly nor through the jobs it needs. */
  public static ErrorMessageFactory shouldNeedTransitively(Job actual, String other, Collection<String> dependencies) {
    return new ShouldNeedJob(
        "%nExpecting actual:%n  %s%nto need the job (directly or through the jobs it needs)%n  %s%n"
            + "but it only needs:%n  %s",
        ShouldHaveJob.describe(actual).replace("%%", "%"),
        other,
        dependencies);
  }

  private ShouldNeedJob(String format, Object... arguments) {
    super(format, arguments);
  }
}

package io.gpukit.core.assertions.error;

import io.gpukit.core.workflow.Job;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Creates the messages for a job on the wrong runner.
 *
 * @since 0.1.0
 */
public final class ShouldRunOnLabels extends BasicErrorMessageFactory {

  /** Some run of the job may get a runner without all the labels. */
  public static ErrorMessageFactory shouldRunOnLabels(Job actual, List<String> labels) {
    String but = actual.runsOn()
        .map(r -> "it runs on " + r.location().render() + ": runs-on: " + r.written() + ", that is " + actual.runnerLabelSets())
        .orElse("it has no runs-on (it calls a reusable workflow)");
    return new ShouldRunOnLabels(
        "%nExpecting actual:%n  %s%nto run on a runner with the labels%n  %s%nbut " + but.replace("%", "%%"),
        ShouldHaveJob.describe(actual).replace("%%", "%"),
        labels);
  }

  /** The job does not run on a GPU runner. */
  public static ErrorMessageFactory shouldRunOnGpuRunner(Job actual, String kinds) {
    String but = actual.runsOn()
        .map(r -> "it runs on " + r.location().render() + ": runs-on: " + r.written() + " (" + kinds + ")")
        .orElse("it has no runs-on (it calls a reusable workflow)");
    return new ShouldRunOnLabels(
        "%nExpecting actual:%n  %s%nto run on a GPU runner%nbut " + but.replace("%", "%%"),
        ShouldHaveJob.describe(actual).replace("%%", "%"));
  }

  private ShouldRunOnLabels(String format, Object... arguments) {
    super(format, arguments);
  }
}

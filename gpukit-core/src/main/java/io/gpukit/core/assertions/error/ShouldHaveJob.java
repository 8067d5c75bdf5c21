package io.gpukit.core.assertions.error;

import io.gpukit.core.workflow.Job;
import io.gpukit.core.workflow.Workflow;
import java.util.stream.Collectors;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Creates the messages for a missing job.
 *
 * @since 0.1.0
 */
public final class ShouldHaveJob extends BasicErrorMessageFactory {

  /** No job with that id. */
  public static ErrorMessageFactory shouldHaveJob(Workflow actual, String id) {
    return new ShouldHaveJob(
        "%nExpecting actual:%n  %s%nto have a job with id%n  %s%nbut its jobs are:%n  " + jobs(actual),
        actual.path().toString(),
        id);
  }

  /** No job pushes an image. */
  public static ErrorMessageFactory shouldHavePushJob(Workflow actual) {
    return new ShouldHaveJob(
        "%nExpecting actual:%n  %s%nto have a job that pushes an image%nbut none of its jobs does:%n  " + jobs(actual),
        actual.path().toString());
  }

  private static String jobs(Workflow actual) {
    if (actual.jobs().isEmpty()) {
      return "(none)";
    }
    return actual.jobs().stream().map(ShouldHaveJob::describe).collect(Collectors.joining("%n  "));
  }

  /** {@code file:line:col: job 'id'}, escaped for a format string. */
  static String describe(Job job) {
    return (job.location().render() + ": " + job.describe()).replace("%", "%%");
  }

  private ShouldHaveJob(String format, Object... arguments) {
    super(format, arguments);
  }
}

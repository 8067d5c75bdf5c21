package io.gpukit.core.assertions.error;

import io.gpukit.core.workflow.Job;
import io.gpukit.core.workflow.Trigger;
import io.gpukit.core.workflow.Workflow;
import java.util.stream.Collectors;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Creates the messages for a push that is not limited to a branch.
 *
 * @since 0.1.0
 */
public final class ShouldBeGatedOnBranch extends BasicErrorMessageFactory {

  /** Neither the job's {@code if} nor the workflow's {@code on} limits the push to the branch. */
  public static ErrorMessageFactory shouldBeGatedOnBranch(Workflow workflow, Job actual, String branch) {
    String condition = actual.condition().map(c -> "its if is '" + c + "'").orElse("it has no if");
    String on = workflow.triggers().stream().map(ShouldBeGatedOnBranch::describe).collect(Collectors.joining(", "));
    return new ShouldBeGatedOnBranch(
        "%nExpecting actual:%n  %s%nto push only for the branch%n  %s%nbut " + (condition + " and the workflow runs on " + on).replace("%", "%%"),
        ShouldHaveJob.describe(actual).replace("%%", "%"),
        branch);
  }

  /** The push can run for a pull request. */
  public static ErrorMessageFactory shouldNotRunForPullRequests(Job actual) {
    String condition = actual.condition().map(c -> "its if is '" + c + "'").orElse("it has no if");
    return new ShouldBeGatedOnBranch(
        "%nExpecting actual:%n  %s%nnot to push for pull requests%nbut the workflow runs on pull_request and "
            + condition.replace("%", "%%"),
        ShouldHaveJob.describe(actual).replace("%%", "%"));
  }

  private static String describe(Trigger t) {
    String filters = t.branches().isEmpty() ? "" : " branches " + t.branches();
    return t.event() + filters + " (" + t.location().render() + ")";
  }

  private ShouldBeGatedOnBranch(String format, Object... arguments) {
    super(format, arguments);
  }
}

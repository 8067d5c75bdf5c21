package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldBeGatedOnBranch.shouldBeGatedOnBranch;
import static io.gpukit.core.assertions.error.ShouldBeGatedOnBranch.shouldNotRunForPullRequests;
import static io.gpukit.core.assertions.error.ShouldNeedJob.shouldNeedTransitively;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.workflow.ImagePush;
import io.gpukit.core.workflow.Job;
import io.gpukit.core.workflow.JobTraits;
import io.gpukit.core.workflow.Step;
import io.gpukit.core.workflow.Workflow;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the job that pushes the image.
 *
 * <pre>{@code
 * assertThat(workflow).pushJob().isGatedOnBranch("main").isNotRunForPullRequests().needsJob("test");
 * }</pre>
 *
 * @since 0.1.0
 */
public class PushJobAssert extends AbstractAssert<PushJobAssert, Job> {

  private final Workflow workflow;
  private final GpuKitConfig config;

  /** Creates the assertion; use {@link WorkflowAssert#pushJob()}. */
  public PushJobAssert(Workflow workflow, Job actual, GpuKitConfig config) {
    super(actual, PushJobAssert.class);
    this.workflow = Objects.requireNonNull(workflow, "workflow");
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Verifies that the push happens only for {@code branch}: the job's {@code if} (or the pushing
   * step's) compares {@code github.ref} with it, or the workflow only runs on pushes to it. See
   * {@link ImagePush}.
   */
  public PushJobAssert isGatedOnBranch(String branch) {
    isNotNull();
    if (ImagePush.gate(workflow, actual, pushStep(), branch).isEmpty()) {
      throw assertionError(shouldBeGatedOnBranch(workflow, actual, branch));
    }
    return myself;
  }

  /** Verifies that the push cannot happen for a {@code pull_request} event. */
  public PushJobAssert isNotRunForPullRequests() {
    isNotNull();
    if (ImagePush.canRunForPullRequest(workflow, actual, pushStep())) {
      throw assertionError(shouldNotRunForPullRequests(actual));
    }
    return myself;
  }

  /** Verifies that the job needs this job, directly or through the jobs it needs. */
  public PushJobAssert needsJob(String jobId) {
    isNotNull();
    if (!workflow.needs(actual, jobId)) {
      throw assertionError(shouldNeedTransitively(actual, jobId, workflow.dependenciesOf(actual)));
    }
    return myself;
  }

  /** Navigates to the same job with the general job assertions. */
  public JobAssert asJob() {
    return new JobAssert(workflow, actual, config);
  }

  private Step pushStep() {
    return JobTraits.pushSteps(actual).get(0);
  }
}

package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldBeGatedOnBranch.shouldBeGatedOnBranch;
import static io.gpukit.core.assertions.error.ShouldBeGatedOnBranch.shouldNotRunForPullRequests;
import static io.gpukit.core.assertions.error.ShouldHaveJob.shouldHavePushJob;
import static io.gpukit.core.assertions.error.ShouldNeedJob.shouldNeedTransitively;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.workflow.ImagePush;
import io.gpukit.core.workflow.Job;
import io.gpukit.core.workflow.JobTraits;
import io.gpukit.core.workflow.Step;
import io.gpukit.core.workflow.Workflow;
import java.util.List;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Assertions on the job that pushes the image.
 *
 * <pre>{@code
 * // passes for a push job with if: github.ref == 'refs/heads/main' and needs: test
 * assertThat(workflow).pushJob().isGatedOnBranch("main").isNotRunForPullRequests().needsJob("test");
 * // fails, naming the job's file:line, its if and the workflow's triggers, for a push without if
 * assertThat(workflow).pushJob().isGatedOnBranch("main");
 * }</pre>
 *
 * @since 0.1.0
 */
public class PushJobAssert extends AbstractAssert<PushJobAssert, Job> {

  private Workflow workflow;
  private GpuKitConfig config;
  private SoftAssertionsProvider softly;

  /** Creates the assertion; use {@link WorkflowAssert#pushJob()}. */
  public PushJobAssert(Workflow workflow, Job actual, GpuKitConfig config) {
    super(actual, PushJobAssert.class);
    this.workflow = Arguments.requireNonNull(workflow, "workflow");
    this.config = Arguments.requireNonNull(config, "config");
  }

  /**
   * Creates the assertion on the job on its own, as if it were the only job of a workflow without
   * triggers, with the default configuration: the constructor soft assertions proxy.
   */
  public PushJobAssert(Job actual) {
    super(actual, PushJobAssert.class);
    this.workflow = JobAssert.alone(actual);
    this.config = GpuKitConfig.defaults();
  }

  /** Judges the job within its workflow, as navigation does. */
  void in(Workflow itsWorkflow, GpuKitConfig gpuKitConfig, SoftAssertionsProvider softAssertions) {
    this.workflow = itsWorkflow;
    this.config = gpuKitConfig;
    this.softly = softAssertions;
  }

  /**
   * Verifies that the push happens only for {@code branch}: the job's {@code if} (or the pushing
   * step's) compares {@code github.ref} with it, or the workflow only runs on pushes to it. See
   * {@link ImagePush}.
   *
   * @throws NullPointerException if {@code branch} is null
   */
  public PushJobAssert isGatedOnBranch(String branch) {
    Arguments.requireNonNull(branch, "branch");
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

  /**
   * Verifies that the job needs this job, directly or through the jobs it needs.
   *
   * @throws NullPointerException if {@code jobId} is null
   */
  public PushJobAssert needsJob(String jobId) {
    Arguments.requireNonNull(jobId, "job id");
    isNotNull();
    if (!workflow.needs(actual, jobId)) {
      throw assertionError(shouldNeedTransitively(actual, jobId, workflow.dependenciesOf(actual)));
    }
    return myself;
  }

  /** Navigates to the same job with the general job assertions. */
  public JobAssert asJob() {
    return Navigation.to(
        softly, JobAssert.class, Job.class, () -> actual, job -> new JobAssert(workflow, job, config),
        child -> child.in(workflow, config, softly));
  }

  /** The job's first pushing step; a job that pushes nothing (given directly) fails as a workflow without push job. */
  private Step pushStep() {
    List<Step> pushing = JobTraits.pushSteps(actual);
    if (pushing.isEmpty()) {
      throw assertionError(shouldHavePushJob(workflow));
    }
    return pushing.get(0);
  }
}

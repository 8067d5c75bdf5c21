package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldHaveJob.shouldHaveJob;
import static io.gpukit.core.assertions.error.ShouldHaveJob.shouldHavePushJob;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.InlineSuppressions;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.workflow.Job;
import io.gpukit.core.workflow.JobTraits;
import io.gpukit.core.workflow.Workflow;
import io.gpukit.core.workflow.WorkflowKind;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Assertions on a parsed GitHub Actions {@link Workflow}, with navigation to its jobs.
 *
 * <pre>{@code
 * Workflow ci = Workflow.parse(Path.of(".github/workflows/ci.yml"));
 * assertThat(ci).job("test").runsOnLabels("self-hosted", "gpu").needs("build");
 * assertThat(ci).pushJob().isGatedOnBranch("main").needsJob("test");
 * }</pre>
 *
 * @since 0.1.0
 */
public class WorkflowAssert extends AbstractAssert<WorkflowAssert, Workflow> {

  private GpuKitConfig config = GpuKitConfig.defaults();
  private SoftAssertionsProvider softly;

  /** Creates the assertion; use {@link GpuKitAssertions#assertThat(Workflow)}. */
  public WorkflowAssert(Workflow actual) {
    super(actual, WorkflowAssert.class);
  }

  /**
   * Judges GPU runner labels and probes with this configuration instead of the defaults.
   *
   * @throws NullPointerException if {@code gpuKitConfig} is null
   */
  public WorkflowAssert usingConfig(GpuKitConfig gpuKitConfig) {
    this.config = Arguments.requireNonNull(gpuKitConfig, "config");
    return myself;
  }

  /** Makes the assertions this one navigates to collect their failures into {@code softly}. */
  void collectingInto(SoftAssertionsProvider softAssertions) {
    this.softly = softAssertions;
  }

  /**
   * Verifies that the workflow has a job with this id.
   *
   * @throws NullPointerException if {@code id} is null
   */
  public WorkflowAssert hasJob(String id) {
    Arguments.requireNonNull(id, "job id");
    findJob(id);
    return myself;
  }

  /**
   * Navigates to a job by id.
   *
   * @throws NullPointerException if {@code id} is null
   */
  public JobAssert job(String id) {
    Arguments.requireNonNull(id, "job id");
    return Navigation.to(
        softly, JobAssert.class, Job.class, () -> findJob(id), job -> new JobAssert(actual, job, config),
        child -> child.in(actual, config, softly));
  }

  private Job findJob(String id) {
    isNotNull();
    Optional<Job> job = actual.job(id);
    if (job.isEmpty()) {
      throw assertionError(shouldHaveJob(actual, id));
    }
    return job.get();
  }

  /** Navigates to the first job that pushes an image (see {@link JobTraits}). */
  public PushJobAssert pushJob() {
    return Navigation.to(
        softly,
        PushJobAssert.class,
        Job.class,
        () -> {
          isNotNull();
          Optional<Job> job = actual.jobs().stream().filter(JobTraits::pushesImage).findFirst();
          if (job.isEmpty()) {
            throw assertionError(shouldHavePushJob(actual));
          }
          return job.get();
        },
        job -> new PushJobAssert(actual, job, config),
        child -> child.in(actual, config, softly));
  }

  /** Checks the workflow with every workflow rule and returns assertions on the report. */
  public PolicyReportAssert checkedAgainstRules() {
    return PolicyReportAssert.navigate(
        softly,
        () -> {
          isNotNull();
          return PolicyEngine.with(config)
              .check(actual.path(), actual, WorkflowKind.INSTANCE, InlineSuppressions.none());
        });
  }
}

package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldHaveJob.shouldHaveJob;
import static io.gpukit.core.assertions.error.ShouldHaveJob.shouldHavePushJob;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.InlineSuppressions;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.workflow.Job;
import io.gpukit.core.workflow.JobTraits;
import io.gpukit.core.workflow.Workflow;
import io.gpukit.core.workflow.WorkflowKind;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

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

  /** Creates the assertion; use {@link GpuKitAssertions#assertThat(Workflow)}. */
  public WorkflowAssert(Workflow actual) {
    super(actual, WorkflowAssert.class);
  }

  /** Judges GPU runner labels and probes with this configuration instead of the defaults. */
  public WorkflowAssert usingConfig(GpuKitConfig gpuKitConfig) {
    if (gpuKitConfig == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    this.config = gpuKitConfig;
    return myself;
  }

  /** Verifies that the workflow has a job with this id. */
  public WorkflowAssert hasJob(String id) {
    job(id);
    return myself;
  }

  /** Navigates to a job by id. */
  public JobAssert job(String id) {
    isNotNull();
    Optional<Job> job = actual.job(id);
    if (job.isEmpty()) {
      throw assertionError(shouldHaveJob(actual, id));
    }
    return new JobAssert(actual, job.get(), config);
  }

  /** Navigates to the first job that pushes an image (see {@link JobTraits}). */
  public PushJobAssert pushJob() {
    isNotNull();
    Optional<Job> job = actual.jobs().stream().filter(JobTraits::pushesImage).findFirst();
    if (job.isEmpty()) {
      throw assertionError(shouldHavePushJob(actual));
    }
    return new PushJobAssert(actual, job.get(), config);
  }

  /** Checks the workflow with every workflow rule and returns assertions on the report. */
  public PolicyReportAssert checkedAgainstRules() {
    isNotNull();
    PolicyReport report =
        PolicyEngine.with(config).check(actual.path(), actual, WorkflowKind.INSTANCE, InlineSuppressions.none());
    return new PolicyReportAssert(report);
  }
}

package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldNeedJob.shouldNeed;
import static io.gpukit.core.assertions.error.ShouldNeedJob.shouldNeedTransitively;
import static io.gpukit.core.assertions.error.ShouldRunOnLabels.shouldRunOnGpuRunner;
import static io.gpukit.core.assertions.error.ShouldRunOnLabels.shouldRunOnLabels;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.workflow.Job;
import io.gpukit.core.workflow.JobTraits;
import io.gpukit.core.workflow.Workflow;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one job of a workflow.
 *
 * <pre>{@code
 * assertThat(workflow).job("test").runsOnLabels("self-hosted", "gpu").runsOnGpuRunner().needs("build");
 * }</pre>
 *
 * @since 0.1.0
 */
public class JobAssert extends AbstractAssert<JobAssert, Job> {

  private final Workflow workflow;
  private final GpuKitConfig config;

  /** Creates the assertion; use {@link WorkflowAssert#job(String)}. */
  public JobAssert(Workflow workflow, Job actual, GpuKitConfig config) {
    super(actual, JobAssert.class);
    this.workflow = Objects.requireNonNull(workflow, "workflow");
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Verifies that every run of the job gets a runner with all these labels (every matrix runner
   * included); the runner may have more labels.
   */
  public JobAssert runsOnLabels(String... labels) {
    isNotNull();
    List<String> wanted = List.of(labels);
    if (wanted.isEmpty()) {
      throw new IllegalArgumentException("name at least one label");
    }
    List<List<String>> sets = actual.runnerLabelSets();
    if (sets.isEmpty() || !sets.stream().allMatch(set -> set.containsAll(wanted))) {
      throw assertionError(shouldRunOnLabels(actual, wanted));
    }
    return myself;
  }

  /** Verifies that every runner the job may get has a label that says GPU. */
  public JobAssert runsOnGpuRunner() {
    isNotNull();
    List<JobTraits.RunnerKind> kinds = JobTraits.runnerKinds(actual, config);
    if (kinds.isEmpty() || !kinds.stream().allMatch(k -> k == JobTraits.RunnerKind.GPU)) {
      throw assertionError(shouldRunOnGpuRunner(actual, kinds.toString().toLowerCase(java.util.Locale.ROOT)));
    }
    return myself;
  }

  /** Verifies that the job names each of these jobs in its own {@code needs}. */
  public JobAssert needs(String... jobIds) {
    isNotNull();
    for (String id : jobIds) {
      if (!actual.needIds().contains(id)) {
        throw assertionError(shouldNeed(actual, id));
      }
    }
    return myself;
  }

  /** Verifies that the job needs this job, directly or through the jobs it needs. */
  public JobAssert needsJob(String jobId) {
    isNotNull();
    if (!workflow.needs(actual, jobId)) {
      throw assertionError(shouldNeedTransitively(actual, jobId, workflow.dependenciesOf(actual)));
    }
    return myself;
  }
}

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
import java.util.Locale;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Assertions on one job of a workflow.
 *
 * <pre>{@code
 * // passes for a job on runs-on: [self-hosted, gpu] with needs: build
 * assertThat(workflow).job("test").runsOnLabels("self-hosted", "gpu").runsOnGpuRunner().needs("build");
 * // fails, naming the job's file:line and its runs-on line, for runs-on: ubuntu-latest
 * assertThat(workflow).job("build").runsOnGpuRunner();
 * }</pre>
 *
 * @since 0.1.0
 */
public class JobAssert extends AbstractAssert<JobAssert, Job> {

  private Workflow workflow;
  private GpuKitConfig config;
  private SoftAssertionsProvider softly;

  /** Creates the assertion; use {@link WorkflowAssert#job(String)}. */
  public JobAssert(Workflow workflow, Job actual, GpuKitConfig config) {
    super(actual, JobAssert.class);
    this.workflow = Arguments.requireNonNull(workflow, "workflow");
    this.config = Arguments.requireNonNull(config, "config");
  }

  /**
   * Creates the assertion on the job on its own, as if it were the only job of a workflow without
   * triggers, with the default configuration: the constructor soft assertions proxy.
   */
  public JobAssert(Job actual) {
    super(actual, JobAssert.class);
    this.workflow = alone(actual);
    this.config = GpuKitConfig.defaults();
  }

  /** Judges the job within its workflow, as navigation does. */
  void in(Workflow itsWorkflow, GpuKitConfig gpuKitConfig, SoftAssertionsProvider softAssertions) {
    this.workflow = itsWorkflow;
    this.config = gpuKitConfig;
    this.softly = softAssertions;
  }

  /** A workflow of this one job, without triggers. */
  static Workflow alone(Job job) {
    if (job == null) {
      return null;
    }
    return new Workflow(job.location().file(), Optional.empty(), List.of(), List.of(), Optional.empty(),
        Optional.empty(), List.of(job), job.location(), job.location());
  }

  /**
   * Verifies that every run of the job gets a runner with all these labels (every matrix runner
   * included); the runner may have more labels.
   *
   * @throws NullPointerException if {@code labels} or one of them is null
   * @throws IllegalArgumentException if no label is given
   */
  public JobAssert runsOnLabels(String... labels) {
    List<String> wanted = List.of(Arguments.requireNonEmpty(labels, "label"));
    isNotNull();
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
      throw assertionError(shouldRunOnGpuRunner(actual, kinds.toString().toLowerCase(Locale.ROOT)));
    }
    return myself;
  }

  /**
   * Verifies that the job names each of these jobs in its own {@code needs}.
   *
   * @throws NullPointerException if {@code jobIds} or one of them is null
   * @throws IllegalArgumentException if no job id is given
   */
  public JobAssert needs(String... jobIds) {
    Arguments.requireNonEmpty(jobIds, "job id");
    isNotNull();
    for (String id : jobIds) {
      if (!actual.needIds().contains(id)) {
        throw assertionError(shouldNeed(actual, id));
      }
    }
    return myself;
  }

  /**
   * Verifies that the job needs this job, directly or through the jobs it needs.
   *
   * @throws NullPointerException if {@code jobId} is null
   */
  public JobAssert needsJob(String jobId) {
    Arguments.requireNonNull(jobId, "job id");
    isNotNull();
    if (!workflow.needs(actual, jobId)) {
      throw assertionError(shouldNeedTransitively(actual, jobId, workflow.dependenciesOf(actual)));
    }
    return myself;
  }
}

package io.gpukit.core.workflow;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One job of a workflow: it runs steps on a runner, or calls a reusable workflow ({@code uses}).
 *
 * @param id the job id (its key under {@code jobs})
 * @param name the {@code name}
 * @param runsOn the {@code runs-on}; empty for a reusable workflow call
 * @param needs the jobs named by {@code needs}
 * @param condition the {@code if}
 * @param matrix the {@code strategy.matrix}
 * @param container the job {@code container}
 * @param services the {@code services}
 * @param outputs the {@code outputs}
 * @param env the job's {@code env}
 * @param environment the deployment {@code environment}'s name
 * @param permissions the job's {@code permissions}
 * @param concurrency the job's {@code concurrency}
 * @param uses the reusable workflow it calls, e.g. {@code ./.github/workflows/gpu-tests.yml}
 * @param with the inputs of that call
 * @param timeoutMinutes {@code timeout-minutes} as written (a number or an expression)
 * @param steps the steps, in order
 * @param location where the job id is
 * @param called for a call of a local reusable workflow that the project view read ({@code uses:
 *     ./.github/workflows/x.yml}), the jobs of that workflow as they run for this call; empty
 *     otherwise (a call of another repository's workflow, or one not read)
 * @since 0.1.0
 */
public record Job(
    String id,
    Optional<String> name,
    Optional<RunsOn> runsOn,
    List<Need> needs,
    Optional<String> condition,
    Optional<Matrix> matrix,
    Optional<Container> container,
    List<Container> services,
    List<Entry> outputs,
    List<Entry> env,
    Optional<String> environment,
    Optional<Permissions> permissions,
    Optional<Concurrency> concurrency,
    Optional<String> uses,
    List<Entry> with,
    Optional<String> timeoutMinutes,
    List<Step> steps,
    SourceLocation location,
    List<Job> called) {

  /**
   * A job named by {@code needs}.
   *
   * @param jobId the id as written
   * @param location where it is named
   */
  public record Need(String jobId, SourceLocation location) {
    /** Validates the fields. */
    public Need {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(location, "location");
    }
  }

  /** Validates the fields and copies the lists. */
  public Job {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(runsOn, "runsOn");
    needs = List.copyOf(needs);
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(matrix, "matrix");
    Objects.requireNonNull(container, "container");
    services = List.copyOf(services);
    outputs = List.copyOf(outputs);
    env = List.copyOf(env);
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(permissions, "permissions");
    Objects.requireNonNull(concurrency, "concurrency");
    Objects.requireNonNull(uses, "uses");
    with = List.copyOf(with);
    Objects.requireNonNull(timeoutMinutes, "timeoutMinutes");
    steps = List.copyOf(steps);
    Objects.requireNonNull(location, "location");
    called = List.copyOf(called);
  }

  /** A job as its workflow file writes it, with no called workflow resolved. */
  public Job(
      String id,
      Optional<String> name,
      Optional<RunsOn> runsOn,
      List<Need> needs,
      Optional<String> condition,
      Optional<Matrix> matrix,
      Optional<Container> container,
      List<Container> services,
      List<Entry> outputs,
      List<Entry> env,
      Optional<String> environment,
      Optional<Permissions> permissions,
      Optional<Concurrency> concurrency,
      Optional<String> uses,
      List<Entry> with,
      Optional<String> timeoutMinutes,
      List<Step> steps,
      SourceLocation location) {
    this(id, name, runsOn, needs, condition, matrix, container, services, outputs, env, environment, permissions,
        concurrency, uses, with, timeoutMinutes, steps, location, List.of());
  }

  /** This job with the jobs of the local reusable workflow it calls. */
  public Job withCalled(List<Job> jobs) {
    return new Job(id, name, runsOn, needs, condition, matrix, container, services, outputs, env, environment,
        permissions, concurrency, uses, with, timeoutMinutes, steps, location, jobs);
  }

  /** Whether this job calls a reusable workflow that the project view did not read (another repository's). */
  public boolean callsUnreadWorkflow() {
    return uses.isPresent() && called.isEmpty();
  }

  /** The ids this job names in {@code needs}. */
  public List<String> needIds() {
    return needs.stream().map(Need::jobId).toList();
  }

  /** Whether this job calls a reusable workflow instead of running steps. */
  public boolean isReusableWorkflowCall() {
    return uses.isPresent();
  }

  /** Every set of runner labels a run of this job may get; empty for a reusable workflow call. */
  public List<List<String>> runnerLabelSets() {
    return runsOn.map(RunsOn::labelSets).orElse(List.of());
  }

  /** A few words for messages: {@code job 'test'}. */
  public String describe() {
    return "job '" + id + "'";
  }
}

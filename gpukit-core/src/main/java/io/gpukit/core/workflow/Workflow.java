package io.gpukit.core.workflow;

import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed GitHub Actions workflow: its triggers, settings and jobs, every element located.
 *
 * @param path the file as it was named
 * @param name the {@code name}
 * @param triggers the events under {@code on}, in file order
 * @param env the workflow's {@code env}
 * @param concurrency the workflow's {@code concurrency}
 * @param permissions the workflow's {@code permissions}
 * @param jobs the jobs, in file order
 * @param location where the workflow's mapping starts
 * @param jobsLocation where the {@code jobs} key is; workflow-wide findings are reported there
 * @since 0.1.0
 */
public record Workflow(
    Path path,
    Optional<String> name,
    List<Trigger> triggers,
    List<Entry> env,
    Optional<Concurrency> concurrency,
    Optional<Permissions> permissions,
    List<Job> jobs,
    SourceLocation location,
    SourceLocation jobsLocation) {

  /** Validates the fields and copies the lists. */
  public Workflow {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(name, "name");
    triggers = List.copyOf(triggers);
    env = List.copyOf(env);
    Objects.requireNonNull(concurrency, "concurrency");
    Objects.requireNonNull(permissions, "permissions");
    jobs = List.copyOf(jobs);
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(jobsLocation, "jobsLocation");
  }

  /**
   * Reads and parses a file.
   *
   * @throws io.gpukit.core.source.SourceParseException when the file cannot be read or parsed
   */
  public static Workflow parse(Path path) {
    return WorkflowParser.parse(SourceFile.read(path));
  }

  /**
   * Parses text in memory.
   *
   * @throws io.gpukit.core.source.SourceParseException when the text cannot be parsed
   */
  public static Workflow parse(Path path, String text) {
    return WorkflowParser.parse(SourceFile.of(path, text));
  }

  /** A job by id. */
  public Optional<Job> job(String id) {
    return jobs.stream().filter(j -> j.id().equals(id)).findFirst();
  }

  /** The trigger of an event, if the workflow runs on it. */
  public Optional<Trigger> trigger(String event) {
    return triggers.stream().filter(t -> t.event().equals(event)).findFirst();
  }

  /** Whether the workflow runs on {@code pull_request} or {@code pull_request_target}. */
  public boolean triggersOnPullRequest() {
    return triggers.stream().anyMatch(Trigger::isPullRequest);
  }

  /**
   * The ids of every job a job needs, directly or through the jobs it needs, in breadth-first
   * order. Ids that name no job are included; cycles end the walk.
   */
  public Set<String> dependenciesOf(Job job) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(job.needIds());
    while (!todo.isEmpty()) {
      String id = todo.poll();
      if (seen.add(id)) {
        job(id).ifPresent(j -> todo.addAll(j.needIds()));
      }
    }
    seen.remove(job.id());
    return seen;
  }

  /** Whether {@code job} needs {@code other}, directly or transitively. */
  public boolean needs(Job job, String other) {
    return dependenciesOf(job).contains(other);
  }
}

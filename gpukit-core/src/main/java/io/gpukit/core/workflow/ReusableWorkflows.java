package io.gpukit.core.workflow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Local reusable workflows ({@code jobs.x.uses: ./.github/workflows/gpu-tests.yml}) resolved
 * against the workflows a project read: a job that calls one gets the called workflow's jobs
 * ({@link Job#called()}), so the rules that ask "does some job test on a GPU"
 * ({@code workflow/gpu-test-job}, the testers of {@code workflow/push-needs-test}) count what the
 * called workflow runs instead of giving the call the benefit of the doubt.
 *
 * <p>Only that question follows the call: the called workflow is checked as a file of its own, so
 * its per-job findings (runners, timeouts, pushes) are reported there, once. Calls of another
 * repository's workflow, of a file the project did not read or that did not parse, keep the
 * benefit of the doubt. Calls inside called workflows are followed up to {@link #MAX_DEPTH}
 * levels, and at most {@link #MAX_CALLED_JOBS} called jobs in all; a workflow that calls itself,
 * directly or through others, is not followed again.
 *
 * @since 0.1.0
 */
public final class ReusableWorkflows {

  /** How deep reusable workflows that call reusable workflows are followed. */
  public static final int MAX_DEPTH = 4;

  /** How many called jobs one workflow's calls may bring in; past it, calls keep the benefit of the doubt. */
  public static final int MAX_CALLED_JOBS = 10_000;

  private final Path root;
  private final Map<Path, Workflow> byFile;
  private int budget = MAX_CALLED_JOBS;

  private ReusableWorkflows(Path root, Map<Path, Workflow> byFile) {
    this.root = root;
    this.byFile = byFile;
  }

  /**
   * The workflow with each call of a local reusable workflow among {@code workflows} resolved.
   *
   * @param workflow a workflow of the project
   * @param workflows every workflow the project read, by file (paths as the project names them)
   * @param repositoryRoot the folder {@code ./} in a {@code uses:} is relative to
   */
  public static Workflow resolve(Workflow workflow, Map<Path, Workflow> workflows, Path repositoryRoot) {
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(workflows, "workflows");
    Objects.requireNonNull(repositoryRoot, "repositoryRoot");
    Map<Path, Workflow> byKey = new java.util.HashMap<>();
    workflows.forEach((file, wf) -> byKey.put(key(file), wf));
    ReusableWorkflows resolver = new ReusableWorkflows(repositoryRoot, byKey);
    Set<Path> calling = new LinkedHashSet<>();
    calling.add(key(workflow.path()));
    List<Job> jobs = resolver.jobs(workflow.jobs(), calling);
    if (jobs.equals(workflow.jobs())) {
      return workflow;
    }
    return new Workflow(workflow.path(), workflow.name(), workflow.triggers(), workflow.env(),
        workflow.concurrency(), workflow.permissions(), jobs, workflow.location(), workflow.jobsLocation());
  }

  private List<Job> jobs(List<Job> jobs, Set<Path> calling) {
    List<Job> out = new ArrayList<>();
    for (Job job : jobs) {
      Optional<Workflow> called = job.uses().flatMap(this::workflow);
      if (called.isEmpty() || calling.contains(key(called.get().path())) || calling.size() > MAX_DEPTH
          || budget < called.get().jobs().size()) {
        out.add(job);
        continue;
      }
      budget -= called.get().jobs().size();
      Set<Path> inner = new LinkedHashSet<>(calling);
      inner.add(key(called.get().path()));
      out.add(job.withCalled(jobs(called.get().jobs(), inner)));
    }
    return out;
  }

  private Optional<Workflow> workflow(String uses) {
    return LocalActions.inRepository(root, uses).map(path -> byFile.get(key(path)));
  }

  private static Path key(Path file) {
    return file.toAbsolutePath().normalize();
  }
}

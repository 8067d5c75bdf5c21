package io.gpukit.core.project;

import io.gpukit.core.internal.EditDistance;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.workflow.ImagePush;
import io.gpukit.core.workflow.Job;
import io.gpukit.core.workflow.JobTraits;
import io.gpukit.core.workflow.Step;
import io.gpukit.core.workflow.Trigger;
import io.gpukit.core.workflow.Workflow;
import io.gpukit.core.workflow.WorkflowRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code project/workflow-run-gpu-test}: a push that runs when another workflow completes ({@code
 * on: workflow_run}) is gated by that workflow's GPU test. The followed workflows are found by
 * their {@code name:}, or, unnamed, by their file ({@code .github/workflows/gpu-tests.yml}), as
 * GitHub names them.
 *
 * <p>For each job that pushes in a workflow that follows others and has no GPU test job of its own:
 *
 * <ul>
 *   <li>a followed name that no workflow of the repository has is reported, since GitHub never
 *       starts the push (a renamed test workflow takes the release with it). GitHub only follows
 *       workflows of the same repository, so "it may be elsewhere" holds only when the project did
 *       not read every workflow: one did not parse, {@code gpukit.yaml} ignores it, or names the
 *       workflows under {@code project:}; then the rule stays silent;
 *   <li>a followed workflow without a job that tests on a GPU runner (itself, or through a local
 *       reusable workflow it calls) is reported; one that calls another repository's workflow, or
 *       follows a workflow itself, gets the benefit of the doubt;
 *   <li>a GPU test job that its {@code if} (or a job it needs) runs only for other events than the
 *       runs the push follows is reported: a skipped job leaves the run's conclusion {@code
 *       success}, so the push goes out untested;
 *   <li>a followed workflow that runs for pull requests, or for pushes to any branch, while the
 *       push does not keep those runs out, is reported: in a {@code workflow_run} run {@code
 *       github.ref} is the default branch whatever code was tested, so only the followed run's
 *       {@code event} and {@code head_branch} (or the trigger's {@code branches}) limit what is
 *       pushed.
 * </ul>
 *
 * <p>That the job requires {@code github.event.workflow_run.conclusion == 'success'} is {@code
 * workflow/push-needs-test}'s to say, in the pushing workflow's own file.
 */
final class WorkflowRunGates {

  private static final Pattern EVENT_NAME_EQUALS = Pattern.compile(
      "github\\.event_name\\s*==\\s*['\"]([\\w-]+)['\"]|['\"]([\\w-]+)['\"]\\s*==\\s*github\\.event_name\\b");

  private static final Pattern EVENT_NAME_NOT = Pattern.compile("github\\.event_name\\s*!=\\s*['\"]([\\w-]+)['\"]");

  /** Events whose runs carry a branch of the repository's own: those a push can follow. */
  private static final Set<String> BRANCH_EVENTS = Set.of("push", "schedule", "workflow_dispatch", "release",
      "merge_group", "workflow_run", "repository_dispatch");

  private WorkflowRunGates() {}

  static void check(ProjectArtifacts project, Rule.Findings findings) {
    for (Workflow wf : project.workflows()) {
      Optional<Trigger> trigger = WorkflowRun.trigger(wf);
      if (trigger.isEmpty() || wf.jobs().stream().anyMatch(j -> testsOnGpu(j, findings.config()))) {
        continue; // a workflow with its own GPU test job is judged by the workflow rules
      }
      for (Job job : wf.jobs()) {
        List<Step> pushes = JobTraits.pushSteps(job);
        if (!pushes.isEmpty()) {
          check(project, wf, trigger.get(), job, pushes.get(0), findings);
        }
      }
    }
  }

  private static void check(ProjectArtifacts project, Workflow wf, Trigger trigger, Job job, Step step, Rule.Findings findings) {
    GpuKitConfig config = findings.config();
    for (String name : WorkflowRun.followed(wf, job, step)) {
      Optional<Workflow> followed = find(project, wf, name);
      if (followed.isEmpty()) {
        if (readEveryWorkflow(project, config)) {
          List<String> names = project.workflows().stream().filter(w -> w != wf).map(w -> nameOf(project, w)).toList();
          Optional<String> near = EditDistance.closest(name, names, Math.max(3, name.length() / 3));
          findings.report(
              trigger.location(),
              job.describe() + " pushes the image after workflow '" + name + "' completes, but no workflow of this"
                  + " repository is named '" + name + "'" + near.map(n -> " (did you mean '" + n + "'?)").orElse("")
                  + ": GitHub never starts the push",
              near.map(n -> "workflows: [\"" + n + "\"]").orElseGet(() -> names.isEmpty()
                  ? "name the workflow that runs the GPU tests under workflow_run.workflows"
                  : "name the workflow that tests the image on a GPU; the workflows there are: "
                      + names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "))));
        }
        continue;
      }
      Workflow other = followed.get();
      if (other.jobs().stream().anyMatch(Job::callsUnreadWorkflow) || WorkflowRun.trigger(other).isPresent()) {
        continue; // another repository's workflow, or a chain of workflow_run: the benefit of the doubt
      }
      String quoted = "'" + name + "' (" + SourceLocation.renderPath(relative(project, other.path())) + ")";
      List<Job> testers = other.jobs().stream().filter(j -> testsOnGpu(j, config)).toList();
      Set<String> events = followedEvents(other, job, step);
      if (config.declaredGpu(wf.path()).equals(Optional.of(false))) {
        // gpu.not-paths (or the project view: it builds only images that are not GPU) says it needs no GPU test
        reportBranches(wf, job, step, quoted, other, events, findings);
        continue;
      }
      if (testers.isEmpty()) {
        findings.report(
            job.location(),
            job.describe() + " pushes the image after " + quoted + " succeeds, but no job of that workflow tests on"
                + " a GPU runner: its success says nothing about the image on a GPU",
            "follow the workflow that tests the image on a GPU, or add a job on [self-hosted, gpu] to '" + name
                + "' that runs the GPU smoke test");
        continue;
      }
      Optional<String> skipped = events.stream()
          .filter(e -> testers.stream().allMatch(t -> skippedFor(other, t, e)))
          .findFirst();
      if (skipped.isPresent()) {
        Job tester = testers.get(0);
        findings.report(
            job.location(),
            job.describe() + " pushes the image after " + quoted + " succeeds, also after its " + skipped.get()
                + " runs, in which its GPU test " + tester.describe() + " is skipped (its 'if', or that of a job it"
                + " needs, asks for another event) and the run succeeds all the same",
            "let " + tester.describe() + " of '" + name + "' run for " + skipped.get() + " events too: the GPU test"
                + " must pass for the commit that is pushed");
        continue;
      }
      reportBranches(wf, job, step, quoted, other, events, findings);
    }
  }

  /** A push that follows a workflow's pull request runs, or its pushes to any branch. */
  private static void reportBranches(
      Workflow wf, Job job, Step step, String quoted, Workflow other, Set<String> events, Rule.Findings findings) {
    boolean limitedToMain = WorkflowRun.limitedToMainBranch(wf, job, step);
    Optional<String> pr = events.stream().filter(e -> e.startsWith("pull_request")).findFirst();
    boolean onlyForks = limitedToMain;
    if (pr.isPresent() && !(onlyForks && WorkflowRun.excludesForks(job, step))) {
      findings.report(
          onlyForks ? Severity.WARNING : Severity.ERROR,
          job.location(),
          job.describe() + " pushes the image after " + quoted + " runs for " + pr.get()
              + (limitedToMain
                  ? ": a pull request from a fork's main passes the 'main' filter (its head_branch is main)"
                  : ": the code of a pull request is pushed, and github.ref, always the default branch in a"
                      + " workflow_run, does not tell"),
          onlyForks
              ? "add \"github.event.workflow_run.event == 'push'\" (or \"github.event.workflow_run.head_repository.full_name"
                  + " == github.repository\") to the 'if' of " + job.describe()
              : "add 'branches: [main]' under workflow_run and \"github.event.workflow_run.event == 'push'\" to the"
                  + " 'if' of " + job.describe());
      return;
    }
    if (!limitedToMain && other.triggers().stream()
        .anyMatch(t -> t.event().equals("push") && events.contains("push") && pushesFromAnyBranch(t))) {
      findings.report(
          job.location(),
          job.describe() + " pushes the image after " + quoted + " runs for a push to any branch: neither the"
              + " workflow_run trigger's 'branches' nor the job's 'if' limits it to main (github.ref is always"
              + " the default branch in a workflow_run)",
          "add 'branches: [main]' under workflow_run, or \"github.event.workflow_run.head_branch == 'main'\" to the"
              + " 'if' of " + job.describe());
    }
  }

  /** Whether a push trigger runs for a branch other than main: no filter, or one that names another branch. */
  private static boolean pushesFromAnyBranch(Trigger push) {
    if (!push.tags().isEmpty() && push.branches().isEmpty() && push.branchesIgnore().isEmpty()) {
      return false; // release tags only
    }
    return push.branches().isEmpty() || push.branches().stream().anyMatch(b -> !b.equals("main") && !b.equals("master"));
  }

  /**
   * The events of the followed workflow whose runs the push follows: the workflow's triggers, less
   * pull requests when the push keeps them out, only those a condition on {@code
   * github.event.workflow_run.event} names.
   */
  private static Set<String> followedEvents(Workflow other, Job job, Step step) {
    Set<String> out = new LinkedHashSet<>();
    Optional<Set<String>> named = WorkflowRun.followedEvents(job, step);
    boolean noPullRequests = WorkflowRun.excludesPullRequests(job, step);
    for (Trigger t : other.triggers()) {
      if (named.isPresent() && !named.get().contains(t.event())) {
        continue;
      }
      if (t.isPullRequest() && noPullRequests) {
        continue;
      }
      if (t.isPullRequest() || BRANCH_EVENTS.contains(t.event())) {
        out.add(t.event());
      }
    }
    return out;
  }

  /**
   * Whether a job does not run for an event: its {@code if}, or that of a job it needs, requires
   * {@code github.event_name} to be another event, or not to be this one.
   */
  private static boolean skippedFor(Workflow wf, Job job, String event) {
    List<String> conditions = new ArrayList<>();
    job.condition().ifPresent(conditions::add);
    for (String id : wf.dependenciesOf(job)) {
      wf.job(id).flatMap(Job::condition).ifPresent(conditions::add);
    }
    for (String c : conditions) {
      Matcher eq = EVENT_NAME_EQUALS.matcher(c);
      if (eq.find() && !(eq.group(1) != null ? eq.group(1) : eq.group(2)).equals(event)
          && requires(c, EVENT_NAME_EQUALS) && !mentionsEvent(c, event)) {
        return true;
      }
      Matcher ne = EVENT_NAME_NOT.matcher(c);
      if (ne.find() && ne.group(1).equals(event) && requires(c, EVENT_NAME_NOT)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a condition compares github.event_name with this event somewhere (an {@code ||} alternative). */
  private static boolean mentionsEvent(String condition, String event) {
    Matcher m = EVENT_NAME_EQUALS.matcher(condition);
    while (m.find()) {
      if ((m.group(1) != null ? m.group(1) : m.group(2)).equals(event)) {
        return true;
      }
    }
    return false;
  }

  private static boolean requires(String condition, Pattern atom) {
    return ImagePush.conditionRequires(condition, a -> atom.matcher(a).find());
  }

  /** Whether a job tests on a GPU runner, itself or through the local reusable workflow it calls. */
  private static boolean testsOnGpu(Job job, GpuKitConfig config) {
    return JobTraits.surelyTestsOnGpuRunner(job, config) || job.called().stream().anyMatch(c -> testsOnGpu(c, config));
  }

  /** The workflow GitHub knows by {@code name}: its {@code name:}, or, unnamed, its file. */
  private static Optional<Workflow> find(ProjectArtifacts project, Workflow self, String name) {
    return project.workflows().stream()
        .filter(w -> w != self)
        .filter(w -> w.name().map(name::equals).orElseGet(() -> fileNames(project, w).contains(name)))
        .findFirst();
  }

  private static String nameOf(ProjectArtifacts project, Workflow wf) {
    return wf.name().orElseGet(() -> relativeName(project, wf));
  }

  /** An unnamed workflow's names: its path from the repository root, as GitHub shows it, and its file name. */
  private static List<String> fileNames(ProjectArtifacts project, Workflow wf) {
    return List.of(relativeName(project, wf), String.valueOf(wf.path().getFileName()));
  }

  private static String relativeName(ProjectArtifacts project, Workflow wf) {
    return relative(project, wf.path()).toString().replace('\\', '/');
  }

  private static Path relative(ProjectArtifacts project, Path file) {
    Path root = project.root().toAbsolutePath().normalize();
    Path abs = file.toAbsolutePath().normalize();
    return abs.startsWith(root) ? root.relativize(abs) : file;
  }

  /**
   * Whether the project read every workflow of the repository: none failed to parse or is ignored
   * for every rule, and {@code gpukit.yaml} does not name the workflows' places under {@code
   * project:}. Only then is a followed name that none has surely missing.
   */
  private static boolean readEveryWorkflow(ProjectArtifacts project, GpuKitConfig config) {
    long found = project.files().values().stream().filter(k -> k == ArtifactKind.WORKFLOW).count();
    return found == project.workflows().size() && config.projectPaths("workflows").isEmpty();
  }
}

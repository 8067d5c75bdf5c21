package io.gpukit.core.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A push that runs when another workflow completes ({@code on: workflow_run}): what its own file
 * says about the gate. Shared by {@link WorkflowRules} and the project view, which reads the
 * workflows it follows.
 *
 * <p>GitHub starts a {@code workflow_run} workflow when a run of a followed workflow is requested
 * or completes, whatever its outcome; the push waits for a passing GPU test only when the job (the
 * pushing step, or a job it needs) requires {@code github.event.workflow_run.conclusion ==
 * 'success'}. In such a run {@code github.ref} is always the default branch, so it tells nothing
 * about the code pushed: the branch is the followed run's {@code github.event.workflow_run.head_branch},
 * which the trigger's {@code branches} filters, and a pull request from a fork's {@code main} has
 * the head branch {@code main} too; only {@code github.event.workflow_run.event == 'push'} (or a
 * followed workflow that never runs for pull requests) keeps pull requests out.
 *
 * @since 0.1.0
 */
public final class WorkflowRun {

  private static final String Q = "['\"]";

  private static final Pattern CONCLUSION_SUCCESS = Pattern.compile(
      "github\\.event\\.workflow_run\\.conclusion\\s*==\\s*" + Q + "success" + Q
          + "|" + Q + "success" + Q + "\\s*==\\s*github\\.event\\.workflow_run\\.conclusion\\b");

  private static final Pattern EVENT_EQUALS = Pattern.compile(
      "github\\.event\\.workflow_run\\.event\\s*==\\s*" + Q + "([\\w-]+)" + Q
          + "|" + Q + "([\\w-]+)" + Q + "\\s*==\\s*github\\.event\\.workflow_run\\.event\\b");

  private static final Pattern EVENT_NOT_PR = Pattern.compile(
      "github\\.event\\.workflow_run\\.event\\s*!=\\s*" + Q + "pull_request(_target)?" + Q);

  private static final Pattern HEAD_BRANCH = Pattern.compile(
      "github\\.event\\.workflow_run\\.head_branch\\s*==\\s*(" + Q + "(main|master)" + Q
          + "|github\\.event\\.repository\\.default_branch)"
          + "|" + Q + "(main|master)" + Q + "\\s*==\\s*github\\.event\\.workflow_run\\.head_branch\\b");

  private static final Pattern SAME_REPOSITORY = Pattern.compile(
      "github\\.event\\.workflow_run\\.head_repository\\.full_name\\s*==\\s*github\\.repository\\b"
          + "|github\\.repository\\s*==\\s*github\\.event\\.workflow_run\\.head_repository\\.full_name\\b");

  private static final Pattern NAME_EQUALS = Pattern.compile(
      "github\\.event\\.workflow_run\\.name\\s*==\\s*'([^']*)'|github\\.event\\.workflow_run\\.name\\s*==\\s*\"([^\"]*)\"");

  /** Status functions that let a job run when a job it needs was skipped or failed. */
  private static final Pattern STATUS_OVERRIDE = Pattern.compile("\\b(always|failure|cancelled)\\s*\\(");

  private WorkflowRun() {}

  /** The {@code workflow_run} trigger of a workflow, if it runs on one. */
  public static Optional<Trigger> trigger(Workflow workflow) {
    return workflow.triggers().stream().filter(Trigger::isWorkflowRun).findFirst();
  }

  /**
   * Whether the push of {@code job} at {@code step} happens only after a successful run of a
   * followed workflow: the job's {@code if}, the step's, or the {@code if} of a job it needs
   * (a skipped job skips the jobs that need it, unless their {@code if} calls {@code always()},
   * {@code failure()} or {@code cancelled()}) requires {@code github.event.workflow_run.conclusion
   * == 'success'}. Other events have no conclusion, so such a push runs for {@code workflow_run}
   * only.
   */
  public static boolean checksConclusion(Workflow workflow, Job job, Step step) {
    if (ImagePush.conditions(job, step).stream().anyMatch(c -> requires(c, CONCLUSION_SUCCESS))) {
      return true;
    }
    if (job.condition().filter(c -> STATUS_OVERRIDE.matcher(c).find()).isPresent()) {
      return false;
    }
    List<Job> chain = new ArrayList<>();
    for (String id : workflow.dependenciesOf(job)) {
      workflow.job(id).ifPresent(chain::add);
    }
    return chain.stream().anyMatch(j -> j.condition().filter(c -> requires(c, CONCLUSION_SUCCESS)).isPresent());
  }

  /** Whether the job's {@code if} mentions the followed run's conclusion at all. */
  public static boolean mentionsConclusion(Job job) {
    return job.condition().filter(c -> c.contains("workflow_run.conclusion")).isPresent();
  }

  /**
   * The workflows the push follows, by name: the trigger's {@code workflows}, narrowed to those a
   * condition requires by {@code github.event.workflow_run.name == '…'}.
   */
  public static List<String> followed(Workflow workflow, Job job, Step step) {
    List<String> all = trigger(workflow).map(Trigger::workflows).orElse(List.of());
    for (String c : ImagePush.conditions(job, step)) {
      Matcher m = NAME_EQUALS.matcher(c);
      if (m.find() && requires(c, NAME_EQUALS)) {
        String name = m.group(1) != null ? m.group(1) : m.group(2);
        List<String> named = all.stream().filter(name::equals).toList();
        if (!named.isEmpty()) {
          return named;
        }
      }
    }
    return all;
  }

  /**
   * Whether the push follows only runs for {@code main} (or {@code master}): the trigger's {@code
   * branches} name nothing else, or a condition requires {@code
   * github.event.workflow_run.head_branch == 'main'}. A pull request from a fork's {@code main}
   * passes both; see {@link #excludesPullRequests} and {@link #excludesForks}.
   */
  public static boolean limitedToMainBranch(Workflow workflow, Job job, Step step) {
    boolean filtered = trigger(workflow)
        .filter(t -> !t.branches().isEmpty() && t.branches().stream().allMatch(b -> b.equals("main") || b.equals("master")))
        .isPresent();
    return filtered || ImagePush.conditions(job, step).stream().anyMatch(c -> requires(c, HEAD_BRANCH));
  }

  /**
   * Whether a condition of the push keeps runs for pull requests out: it requires {@code
   * github.event.workflow_run.event} to be an event other than a pull request's, or not to be
   * {@code pull_request}.
   */
  public static boolean excludesPullRequests(Job job, Step step) {
    return excludesPullRequestEvents(job, step);
  }

  /**
   * Whether the push follows only runs of the repository's own branches: a condition requires
   * {@code github.event.workflow_run.head_repository.full_name == github.repository}, which a
   * fork's pull request fails (a pull request of the repository's own branches still passes).
   */
  public static boolean excludesForks(Job job, Step step) {
    return ImagePush.conditions(job, step).stream().anyMatch(c -> requires(c, SAME_REPOSITORY));
  }

  private static boolean excludesPullRequestEvents(Job job, Step step) {
    return followedEvents(job, step).map(events -> events.stream().noneMatch(e -> e.startsWith("pull_request"))).orElse(false)
        || ImagePush.conditions(job, step).stream().anyMatch(c -> requires(c, EVENT_NOT_PR));
  }

  /**
   * The events of the followed runs the push follows, when a condition requires {@code
   * github.event.workflow_run.event == '…'}; empty when it follows runs of any event.
   */
  public static Optional<Set<String>> followedEvents(Job job, Step step) {
    for (String c : ImagePush.conditions(job, step)) {
      if (requires(c, EVENT_EQUALS)) {
        Matcher m = EVENT_EQUALS.matcher(c);
        if (m.find()) {
          return Optional.of(Set.of(m.group(1) != null ? m.group(1) : m.group(2)));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the push's own file settles that it runs only for the default branch, never for a
   * pull request: it follows only runs of {@code main} and a condition keeps pull requests out.
   * Otherwise the followed workflow's triggers decide, which only the project view reads.
   */
  public static boolean gatedOnMainByItself(Workflow workflow, Job job, Step step) {
    return limitedToMainBranch(workflow, job, step) && (excludesPullRequests(job, step) || excludesForks(job, step));
  }

  /**
   * Whether the push runs only when a followed workflow's run is requested or completes: the job
   * requires the run's conclusion, or {@code workflow_run} is the workflow's only trigger. Which
   * branches it pushes for is then the followed workflow's to say, not {@code github.ref}'s.
   */
  public static boolean decidedByFollowed(Workflow workflow, Job job, Step step) {
    return trigger(workflow).isPresent()
        && (workflow.triggers().stream().allMatch(Trigger::isWorkflowRun) || checksConclusion(workflow, job, step));
  }

  private static boolean requires(String condition, Pattern atom) {
    return ImagePush.requires(condition, a -> atom.matcher(a).find());
  }
}

package io.gpukit.core.workflow;

import io.gpukit.core.policy.GpuKitConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a job that pushes an image may run, and which tags it pushes; shared by {@link
 * WorkflowRules} and the assertions.
 *
 * <p>A push is <em>gated on a branch</em> when the job's {@code if} (or the pushing step's {@code
 * if}, or {@code docker/build-push-action}'s {@code push} expression) compares {@code github.ref}
 * with {@code refs/heads/<branch>} ({@code ==}, or {@code startsWith(github.ref, …)}), or {@code
 * github.ref_name} with the branch; or when the workflow itself only runs for that branch: every
 * trigger it can run for is a {@code push} limited to it, or a {@code schedule} (which runs on the
 * default branch). A condition on {@code github.event_name} narrows the triggers it can run for:
 * {@code == 'push'} keeps only pushes, {@code != 'pull_request'} drops pull requests. A comparison
 * counts only when the condition requires it: an {@code ||} with an alternative that does not
 * compare lets the push run without it (see {@link #requires}).
 *
 * @since 0.1.0
 */
public final class ImagePush {

  private static final Pattern EVENT_EXCLUDES_PR =
      Pattern.compile(
          "github\\.event_name\\s*(==\\s*['\"](push|release|workflow_dispatch|schedule)['\"]"
              + "|!=\\s*['\"]pull_request(_target)?['\"])");
  private static final Pattern ONLY_PUSH = Pattern.compile("github\\.event_name\\s*==\\s*['\"]push['\"]");
  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{.*?}}");
  private static final Pattern COMMAND_SEPARATOR = Pattern.compile("\\n|&&|\\|\\||;|\\|");

  private ImagePush() {}

  /** The conditions that decide whether a push happens: the job's {@code if}, the step's, the action's {@code push}. */
  static List<String> conditions(Job job, Step step) {
    List<String> out = new ArrayList<>();
    job.condition().ifPresent(out::add);
    step.condition().ifPresent(out::add);
    step.input("push").filter(RunsOn::isExpression).ifPresent(out::add);
    return out;
  }

  /**
   * How a push of {@code job} at {@code step} is limited to {@code branch}, in a few words, or
   * empty when it is not.
   */
  public static Optional<String> gate(Workflow workflow, Job job, Step step, String branch) {
    Pattern ref = refPattern(branch);
    for (String c : conditions(job, step)) {
      Matcher m = ref.matcher(c);
      if (m.find() && requires(c, atom -> ref.matcher(atom).find())) {
        return Optional.of("if: " + m.group());
      }
    }
    if (onlyTriggersOn(relevantTriggers(workflow, conditions(job, step)), branch)) {
      return Optional.of("on: push to " + branch);
    }
    return Optional.empty();
  }

  /**
   * Whether the job is gated on {@code main} or {@code master}, the usual default branches, or runs
   * only for release tags ({@code on: push: tags: [v*]} without a branch filter, or {@code release}),
   * which maintainers push from the default branch.
   */
  public static boolean gatedOnDefaultBranch(Workflow workflow, Job job, Step step) {
    return gate(workflow, job, step, "main").isPresent()
        || gate(workflow, job, step, "master").isPresent()
        || conditions(job, step).stream().anyMatch(c -> requires(c, ImagePush::comparesWithDefaultBranch))
        || onlyReleaseTags(relevantTriggers(workflow, conditions(job, step)));
  }

  /** Whether every trigger is a push of tags only, or a release: GitHub runs none of them for a branch. */
  private static boolean onlyReleaseTags(List<Trigger> triggers) {
    return !triggers.isEmpty() && triggers.stream().allMatch(t -> t.event().equals("release")
        || (t.event().equals("push") && !t.tags().isEmpty() && t.branches().isEmpty() && t.branchesIgnore().isEmpty()));
  }

  /**
   * Whether a condition of the push compares with {@code main} or {@code master} without requiring
   * it: an {@code ||} alternative lets the push run without the comparison.
   */
  public static boolean comparesWithDefaultBranchOnlyInPart(Workflow workflow, Job job, Step step) {
    return !gatedOnDefaultBranch(workflow, job, step)
        && conditions(job, step).stream().anyMatch(c -> refPattern("main").matcher(c).find()
            || refPattern("master").matcher(c).find() || comparesWithDefaultBranch(c));
  }

  /** Whether the push can happen for a pull request: the workflow triggers on one and nothing excludes it. */
  public static boolean canRunForPullRequest(Workflow workflow, Job job, Step step) {
    if (!workflow.triggersOnPullRequest() || gatedOnDefaultBranch(workflow, job, step)) {
      return false;
    }
    return conditions(job, step).stream().noneMatch(c -> requires(c, ImagePush::excludesPullRequests));
  }

  /** A comparison that is false for pull requests: on the event name, or on a branch ref (a pull request's is refs/pull/…). */
  private static boolean excludesPullRequests(String atom) {
    return EVENT_EXCLUDES_PR.matcher(atom).find() || refPattern("main").matcher(atom).find()
        || refPattern("master").matcher(atom).find() || comparesWithDefaultBranch(atom);
  }

  private static boolean comparesWithDefaultBranch(String atom) {
    return atom.contains("github.event.repository.default_branch") && atom.contains("==") && !atom.contains("!=");
  }

  /**
   * Whether a condition can only be true when {@code atom} holds for one of its comparisons: every
   * alternative of an {@code ||} must require it, one operand of an {@code &&} is enough, and a
   * negation ({@code !…}) or anything else gpukit does not read never requires it. So {@code
   * github.ref == 'refs/heads/main' && success()} gates a push, and {@code github.ref ==
   * 'refs/heads/main' || github.event_name == 'pull_request'} does not.
   */
  static boolean requires(String condition, Predicate<String> atom) {
    String e = condition.strip();
    if (e.startsWith("${{") && e.endsWith("}}")) {
      e = e.substring(3, e.length() - 2).strip();
    }
    return requires(e, atom, 0);
  }

  /**
   * Whether a condition ({@code if:}, with or without {@code ${{ }}}) can only be true when {@code
   * atom} holds for one of its comparisons; see {@link #gate} for how {@code ||}, {@code &&} and
   * {@code !} are read.
   */
  public static boolean conditionRequires(String condition, Predicate<String> atom) {
    return requires(condition, atom);
  }

  private static boolean requires(String expression, Predicate<String> atom, int depth) {
    String e = expression.strip();
    if (e.isEmpty() || depth > 50) {
      return false;
    }
    List<String> alternatives = splitTopLevel(e, "||");
    if (alternatives.size() > 1) {
      return alternatives.stream().allMatch(a -> requires(a, atom, depth + 1));
    }
    List<String> operands = splitTopLevel(e, "&&");
    if (operands.size() > 1) {
      return operands.stream().anyMatch(o -> requires(o, atom, depth + 1));
    }
    if (e.startsWith("(") && closingParenthesis(e) == e.length() - 1) {
      return requires(e.substring(1, e.length() - 1), atom, depth + 1);
    }
    return !e.startsWith("!") && atom.test(e);
  }

  /** Splits at {@code operator} outside parentheses and quotes. */
  private static List<String> splitTopLevel(String e, String operator) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    char quote = 0;
    for (int i = 0; i < e.length(); i++) {
      char ch = e.charAt(i);
      if (quote != 0) {
        quote = ch == quote ? 0 : quote;
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
      } else if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      } else if (depth == 0 && e.startsWith(operator, i)) {
        parts.add(e.substring(start, i));
        start = i + operator.length();
        i += operator.length() - 1;
      }
    }
    parts.add(e.substring(start));
    return parts;
  }

  /** The index of the parenthesis that closes the one at index 0, outside quotes; -1 if none. */
  private static int closingParenthesis(String e) {
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < e.length(); i++) {
      char ch = e.charAt(i);
      if (quote != 0) {
        quote = ch == quote ? 0 : quote;
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
      } else if (ch == '(') {
        depth++;
      } else if (ch == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static Pattern refPattern(String branch) {
    String b = Pattern.quote(branch);
    String q = "['\"]";
    return Pattern.compile(
        "github\\.ref\\s*==\\s*" + q + "refs/heads/" + b + q
            + "|" + q + "refs/heads/" + b + q + "\\s*==\\s*github\\.ref\\b"
            + "|(?<!!)startsWith\\(\\s*github\\.ref\\s*,\\s*" + q + "refs/heads/" + b + q + "\\s*\\)"
            + "|github\\.ref_name\\s*==\\s*" + q + b + q);
  }

  /**
   * The triggers a push can run for: all of them, only {@code push} under {@code github.event_name
   * == 'push'}, none of the pull request events under {@code github.event_name != 'pull_request'}.
   */
  private static List<Trigger> relevantTriggers(Workflow workflow, List<String> conditions) {
    if (conditions.stream().anyMatch(c -> requires(c, a -> ONLY_PUSH.matcher(a).find()))) {
      return workflow.triggers().stream().filter(t -> t.event().equals("push")).toList();
    }
    if (conditions.stream().anyMatch(c -> requires(c, a -> EVENT_EXCLUDES_PR.matcher(a).find()))) {
      return workflow.triggers().stream().filter(t -> !t.isPullRequest()).toList();
    }
    return workflow.triggers();
  }

  private static boolean onlyTriggersOn(List<Trigger> triggers, String branch) {
    if (triggers.isEmpty()) {
      return false;
    }
    for (Trigger t : triggers) {
      boolean pushToBranch = t.event().equals("push")
          && !t.branches().isEmpty()
          && t.branches().stream().allMatch(branch::equals)
          && t.tags().isEmpty();
      if (!pushToBranch && !t.event().equals("schedule")) {
        return false;
      }
    }
    return true;
  }

  /**
   * The image references a job pushes, as written: {@code docker push} arguments, {@code -t} of a
   * {@code docker buildx build --push}, the destination of {@code crane}/{@code skopeo}, and the
   * {@code tags} of {@code docker/build-push-action}. A push of every tag ({@code --all-tags}) is
   * written as {@code *}.
   */
  public static List<String> pushedReferences(Job job) {
    Set<String> out = new LinkedHashSet<>();
    for (Step step : JobTraits.pushSteps(job)) {
      if (step.action().isPresent()) {
        step.input("tags").ifPresent(tags -> {
          for (String t : tags.split("[\\n,]")) {
            if (!t.isBlank()) {
              out.add(t.strip());
            }
          }
        });
      }
      step.run().ifPresent(run -> {
        for (List<String> words : commands(run)) {
          out.addAll(pushedBy(words));
        }
      });
    }
    return List.copyOf(out);
  }

  /**
   * Whether every tag the job pushes is {@code latest} (a reference without a tag pushes {@code
   * latest} unless the job also tags that repository otherwise). False when a reference holds a
   * variable or expression, a digest, or when nothing pushed could be read.
   */
  public static boolean pushesOnlyLatest(Job job) {
    return pushesOnly(job, "latest"::equals);
  }

  /**
   * Whether every tag the job pushes moves ({@code latest}, {@code latest-gpu}, {@code nightly}…:
   * {@link GpuKitConfig#isFloatingTag}); as {@link #pushesOnlyLatest}, false when a reference holds a
   * variable or expression, a digest, or when nothing pushed could be read.
   */
  public static boolean pushesOnlyFloatingTags(Job job, GpuKitConfig config) {
    return pushesOnly(job, config::isFloatingTag);
  }

  private static boolean pushesOnly(Job job, Predicate<String> isFloating) {
    List<String> pushed = pushedReferences(job);
    if (pushed.isEmpty()) {
      return false;
    }
    Set<String> tagged = new LinkedHashSet<>();
    for (Step step : job.steps()) {
      step.run().ifPresent(run -> commands(run).forEach(words -> tagged.addAll(taggedBy(words))));
    }
    for (String ref : pushed) {
      if (ref.equals("*") || ref.contains("@")) {
        return false;
      }
      Optional<String> tag = tagOf(ref);
      if (ref.contains("$")) {
        if (tag.isPresent() && !tag.get().contains("$") && isFloating.test(tag.get())) {
          continue; // ghcr.io/acme/${{ matrix.image }}:latest-gpu: whatever the repository, the tag moves
        }
        return false;
      }
      if (tag.isPresent() && !isFloating.test(tag.get())) {
        return false;
      }
      if (tag.isEmpty()) {
        for (String other : tagged) {
          if (repositoryOf(other).equals(ref) && (other.contains("$") || !isFloating.test(tagOf(other).orElse("latest")))) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static List<List<String>> commands(String run) {
    List<List<String>> out = new ArrayList<>();
    String compact = EXPRESSION.matcher(JobTraits.joined(run)).replaceAll(m -> Matcher.quoteReplacement(m.group().replaceAll("\\s+", "")));
    for (String command : COMMAND_SEPARATOR.split(compact)) {
      List<String> words = List.of(command.strip().split("\\s+"));
      if (words.size() > 1 && words.get(0).equals("sudo")) {
        words = words.subList(1, words.size());
      }
      if (!words.isEmpty() && !words.get(0).isEmpty()) {
        out.add(words.stream().map(ImagePush::unquote).toList());
      }
    }
    return out;
  }

  private static List<String> pushedBy(List<String> w) {
    List<String> out = new ArrayList<>();
    if (starts(w, "docker", "push") || starts(w, "podman", "push") || starts(w, "docker", "image", "push")) {
      if (w.contains("--all-tags") || w.contains("-a")) {
        out.add("*");
      } else {
        positionals(w.subList(w.indexOf("push") + 1, w.size())).stream().findFirst().ifPresent(out::add);
      }
    } else if (starts(w, "docker", "buildx", "build") && w.contains("--push")) {
      out.addAll(tagOptions(w));
    } else if (starts(w, "crane", "push") || starts(w, "crane", "copy") || starts(w, "crane", "cp")
        || starts(w, "skopeo", "copy") || starts(w, "regctl", "image", "copy")) {
      List<String> args = positionals(w.subList(w.get(0).equals("regctl") ? 3 : 2, w.size()));
      if (args.size() >= 2) {
        out.add(args.get(1).replaceFirst("^docker://", ""));
      }
    }
    return out;
  }

  private static List<String> taggedBy(List<String> w) {
    if (starts(w, "docker", "tag") || starts(w, "docker", "image", "tag")) {
      List<String> args = positionals(w.subList(w.indexOf("tag") + 1, w.size()));
      return args.size() >= 2 ? List.of(args.get(1)) : List.of();
    }
    if (starts(w, "docker", "build") || starts(w, "docker", "buildx", "build") || starts(w, "podman", "build")) {
      return tagOptions(w);
    }
    return List.of();
  }

  private static List<String> tagOptions(List<String> w) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < w.size(); i++) {
      String word = w.get(i);
      if ((word.equals("-t") || word.equals("--tag")) && i + 1 < w.size()) {
        out.add(w.get(i + 1));
      } else if (word.startsWith("--tag=")) {
        out.add(word.substring("--tag=".length()));
      }
    }
    return out;
  }

  private static List<String> positionals(List<String> words) {
    List<String> out = new ArrayList<>();
    for (String w : words) {
      if (!w.startsWith("-")) {
        out.add(w);
      }
    }
    return out;
  }

  private static boolean starts(List<String> words, String... prefix) {
    if (words.size() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (!words.get(i).equals(prefix[i])) {
        return false;
      }
    }
    return true;
  }

  private static String unquote(String word) {
    return word.replaceAll("^[\"']|[\"']$", "");
  }

  /** The tag of a reference ({@code latest} in {@code ghcr.io/acme/app:latest}), if it has one. */
  static Optional<String> tagOf(String ref) {
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    return colon > slash ? Optional.of(ref.substring(colon + 1)) : Optional.empty();
  }

  static String repositoryOf(String ref) {
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    return colon > slash ? ref.substring(0, colon) : ref;
  }
}

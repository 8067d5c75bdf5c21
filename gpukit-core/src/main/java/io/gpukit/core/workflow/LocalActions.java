package io.gpukit.core.workflow;

import io.gpukit.core.policy.BuiltInRules;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceParseException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local composite actions ({@code uses: ./.github/actions/gpu-smoke}) opened up, so a job is judged
 * by what it runs: each step that uses one is replaced by the action's {@code runs.steps}, located
 * in its {@code action.yml} (a finding then points where the command is).
 *
 * <p>The folder a {@code uses:} names is relative to the repository root; its {@code action.yml}
 * (else {@code action.yaml}) is read through gpukit's YAML limits. The action's steps get:
 *
 * <ul>
 *   <li>{@code ${{ inputs.name }}} replaced by the calling step's {@code with} value, else the
 *       input's {@code default} (an input with neither stays as written);
 *   <li>the calling step's {@code env} under their own, and its {@code if} joined to theirs with
 *       {@code &&} (a step runs only when the action does).
 * </ul>
 *
 * <p>Local actions that use local actions are followed up to {@link #MAX_DEPTH} levels; an action
 * that uses itself, directly or through others, is not followed again, and a job is not opened
 * past {@link #MAX_STEPS} steps. A step is left as it is, an
 * opaque action, when its folder is outside the repository, has no action file, the file does not
 * parse or is not YAML, or the action is not composite ({@code runs.using: node20}, {@code docker}):
 * expanding never throws. An action file that cannot be read or parsed is not passed silently:
 * {@link #parseErrors} gives a located {@code gpukit/parse-error} in it, which the project view and
 * the check of one workflow file report.
 *
 * @since 0.1.0
 */
public final class LocalActions {

  /** How deep local actions that use local actions are followed. */
  public static final int MAX_DEPTH = 8;

  /**
   * How many steps a job may have once its local actions are opened; past it, the remaining
   * local-action steps stay opaque (a few actions that each use another many times would otherwise
   * multiply).
   */
  public static final int MAX_STEPS = 1000;

  private static final Pattern INPUT = Pattern.compile("\\$\\{\\{\\s*inputs\\.([A-Za-z_][\\w-]*)\\s*}}");

  private static final Pattern WHOLE_EXPRESSION = Pattern.compile("\\s*\\$\\{\\{(.*)}}\\s*", Pattern.DOTALL);

  private final Path root;
  private final Map<Path, Optional<CompositeAction>> read = new HashMap<>();
  /** Steps the job being opened may still get. */
  private int budget;

  private LocalActions(Path root) {
    this.root = root;
  }

  /**
   * The workflow with the steps that use a local composite action replaced by the action's steps;
   * the same workflow when none does.
   *
   * @param workflow a parsed workflow
   * @param repositoryRoot the folder {@code ./} in a {@code uses:} is relative to
   */
  public static Workflow expand(Workflow workflow, Path repositoryRoot) {
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(repositoryRoot, "repositoryRoot");
    LocalActions actions = new LocalActions(repositoryRoot);
    boolean changed = false;
    List<Job> jobs = new ArrayList<>();
    for (Job job : workflow.jobs()) {
      actions.budget = MAX_STEPS;
      List<Step> steps = actions.expand(job.steps(), new LinkedHashSet<>());
      if (!steps.equals(job.steps())) {
        changed = true;
        job = withSteps(job, steps);
      }
      jobs.add(job);
    }
    if (!changed) {
      return workflow;
    }
    return new Workflow(workflow.path(), workflow.name(), workflow.triggers(), workflow.env(),
        workflow.concurrency(), workflow.permissions(), jobs, workflow.location(), workflow.jobsLocation());
  }

  /**
   * The composite action a {@code uses:} names, when it is local and in the repository.
   *
   * @param uses the {@code uses:} value, e.g. {@code ./.github/actions/gpu-smoke}
   * @param repositoryRoot the folder it is relative to
   * @return the action's steps as they would run (inputs not replaced); empty when the action is
   *     not local, not found, not readable or not composite
   */
  public static Optional<List<Step>> steps(String uses, Path repositoryRoot) {
    return new LocalActions(repositoryRoot).action(uses).map(CompositeAction::steps);
  }

  private List<Step> expand(List<Step> steps, Set<Path> using) {
    List<Step> out = new ArrayList<>();
    for (Step step : steps) {
      Optional<CompositeAction> action = step.uses().flatMap(this::action);
      if (action.isEmpty() || using.contains(action.get().path()) || using.size() >= MAX_DEPTH
          || budget < action.get().steps().size()) {
        out.add(renumbered(step, out.size()));
        budget--;
        continue;
      }
      Set<Path> inner = new LinkedHashSet<>(using);
      inner.add(action.get().path());
      for (Step s : expand(action.get().steps(), inner)) {
        out.add(called(s, step, action.get(), out.size()));
      }
    }
    return out;
  }

  /**
   * The local actions a workflow's steps use whose action file cannot be read or parsed, each as a
   * {@code gpukit/parse-error} located where reading stopped in that file. The steps that use them
   * stay opaque, so without this finding what they run would go unchecked.
   *
   * @param workflow a workflow, expanded or not (an unreadable action stays a step of it)
   * @param repositoryRoot the folder {@code ./} in a {@code uses:} is relative to
   */
  public static List<Violation> parseErrors(Workflow workflow, Path repositoryRoot) {
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(repositoryRoot, "repositoryRoot");
    List<Violation> out = new ArrayList<>();
    Set<Path> seen = new LinkedHashSet<>();
    LocalActions actions = new LocalActions(repositoryRoot);
    for (Job job : workflow.jobs()) {
      for (Step step : job.steps()) {
        step.uses().flatMap(actions::folder).flatMap(LocalActions::actionFile).filter(seen::add).ifPresent(file -> {
          try {
            WorkflowParser.compositeAction(SourceFile.read(file));
          } catch (SourceParseException e) {
            out.add(new Violation(BuiltInRules.PARSE_ERROR.id(), BuiltInRules.PARSE_ERROR.severity(), e.location(),
                e.reason(),
                "fix the action file at this location; until it parses, gpukit cannot see what the steps that use it ('uses: "
                    + step.uses().get().strip() + "') run"));
          } catch (RuntimeException e) {
            // a parser bug: the step stays opaque, as expanding leaves it
          }
        });
      }
    }
    return List.copyOf(out);
  }

  private Optional<Path> folder(String uses) {
    return inRepository(root, uses);
  }

  /**
   * Where a local {@code uses: ./path} points in the repository at {@code root}; empty for another
   * repository's action or workflow, and for a path that leaves the repository or is not a path.
   */
  static Optional<Path> inRepository(Path root, String uses) {
    String u = uses.strip();
    if (!u.startsWith("./")) {
      return Optional.empty();
    }
    try {
      Path relative = Path.of(u).normalize();
      if (relative.isAbsolute() || relative.startsWith("..")) {
        return Optional.empty();
      }
      return Optional.of(root.resolve(relative));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> actionFile(Path folder) {
    for (String name : List.of("action.yml", "action.yaml")) {
      Path file = folder.resolve(name);
      if (Files.isRegularFile(file)) {
        return Optional.of(file);
      }
    }
    return Optional.empty();
  }

  private Optional<CompositeAction> action(String uses) {
    String u = uses.strip();
    if (!u.startsWith("./")) {
      return Optional.empty();
    }
    Path folder;
    try {
      Path relative = Path.of(u).normalize();
      if (relative.isAbsolute() || relative.startsWith("..")) {
        return Optional.empty(); // ./../elsewhere is not the repository's
      }
      folder = root.resolve(relative);
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    return read.computeIfAbsent(folder, LocalActions::read);
  }

  private static Optional<CompositeAction> read(Path folder) {
    for (String name : List.of("action.yml", "action.yaml")) {
      Path file = folder.resolve(name);
      if (Files.isRegularFile(file)) {
        try {
          return WorkflowParser.compositeAction(SourceFile.read(file));
        } catch (RuntimeException e) {
          return Optional.empty(); // unreadable or malformed: the step stays opaque
        }
      }
    }
    return Optional.empty();
  }

  private static Step renumbered(Step s, int index) {
    return s.index() == index
        ? s
        : new Step(index, s.id(), s.name(), s.uses(), s.run(), s.with(), s.env(), s.condition(), s.shell(), s.location());
  }

  /** An action's step as the calling step runs it. */
  private static Step called(Step inner, Step caller, CompositeAction action, int index) {
    List<Entry> env = new ArrayList<>();
    for (Entry e : caller.env()) {
      if (inner.env().stream().noneMatch(i -> i.key().equals(e.key()))) {
        env.add(e);
      }
    }
    inner.env().forEach(e -> env.add(new Entry(e.key(), inputs(e.value(), caller, action), e.location())));
    List<Entry> with = inner.with().stream()
        .map(e -> new Entry(e.key(), inputs(e.value(), caller, action), e.location()))
        .toList();
    return new Step(
        index,
        inner.id(),
        inner.name(),
        inner.uses(),
        inner.run().map(r -> inputs(r, caller, action)),
        with,
        env,
        condition(caller.condition(), inner.condition().map(c -> inputs(c, caller, action))),
        inner.shell(),
        inner.location());
  }

  /** {@code ${{ inputs.x }}} replaced by the calling step's {@code with: x}, else the input's default. */
  private static String inputs(String text, Step caller, CompositeAction action) {
    Matcher m = INPUT.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = caller.input(name).orElse(action.inputDefaults().get(name));
      m.appendReplacement(sb, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** Both conditions must hold: {@code (outer) && (inner)}, without their {@code ${{ }}}. */
  private static Optional<String> condition(Optional<String> outer, Optional<String> inner) {
    if (outer.isEmpty() || outer.get().isBlank()) {
      return inner;
    }
    if (inner.isEmpty() || inner.get().isBlank()) {
      return outer;
    }
    return Optional.of("(" + bare(outer.get()) + ") && (" + bare(inner.get()) + ")");
  }

  private static String bare(String condition) {
    Matcher m = WHOLE_EXPRESSION.matcher(condition);
    return (m.matches() && !m.group(1).contains("}}") ? m.group(1) : condition).strip();
  }

  private static Job withSteps(Job job, List<Step> steps) {
    return new Job(job.id(), job.name(), job.runsOn(), job.needs(), job.condition(), job.matrix(),
        job.container(), job.services(), job.outputs(), job.env(), job.environment(), job.permissions(),
        job.concurrency(), job.uses(), job.with(), job.timeoutMinutes(), steps, job.location(), job.called());
  }
}

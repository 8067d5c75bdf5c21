package io.gpukit.core.project;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.DockerfileKind;
import io.gpukit.core.internal.EditDistance;
import io.gpukit.core.k8s.K8sKind;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.policy.ArtifactScope;
import io.gpukit.core.policy.Baseline;
import io.gpukit.core.policy.BuiltInRules;
import io.gpukit.core.policy.FileKind;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.InlineSuppressions;
import io.gpukit.core.policy.PathGlob;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.promotion.PromotionFlow;
import io.gpukit.core.promotion.PromotionKind;
import io.gpukit.core.promotion.PromotionRules;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.source.SourceParseException;
import io.gpukit.core.workflow.LocalActions;
import io.gpukit.core.workflow.ReusableWorkflows;
import io.gpukit.core.workflow.Workflow;
import io.gpukit.core.workflow.WorkflowKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A repository seen as one GPU service: every artifact checked on its own, then against each other
 * ({@link ProjectRules}). What {@code gpukit check} does on a folder, and the one line a service
 * repository adds to {@code mvn test}:
 *
 * <pre>{@code
 * assertThat(GpuProject.scan(Path.of("."))).hasNoViolations();
 * }</pre>
 *
 * <p>Artifacts are found in the conventional places (Dockerfiles by name anywhere,
 * {@code .github/workflows/*.yml}, YAML files with a top-level {@code apiVersion} and {@code kind}),
 * skipping build output and VCS folders; {@code project:} in {@code gpukit.yaml} names other places
 * per kind. Cross-file findings honour the configuration's severities and ignores, an inline
 * {@code # gpukit:ignore <id> -- <reason>} on (or above) the line they point at, and the baseline,
 * as per-file findings do. A file that does not parse is a {@code gpukit/parse-error} finding and
 * takes no part in the cross-file rules; a repository without workflows or manifests is checked
 * for what it has.
 *
 * @param root the repository folder, as it was named
 * @param config the configuration the check ran under
 * @param artifacts what was read, for the cross-file rules
 * @param report every finding, per-file and cross-file, the baseline applied
 * @since 0.1.0
 */
public record GpuProject(Path root, GpuKitConfig config, ProjectArtifacts artifacts, PolicyReport report) {

  /** The kind of artifact each key under {@code project:} in gpukit.yaml names. */
  private static final Map<String, ArtifactKind> KINDS_BY_KEY = kindsByKey();

  /** The {@code # gpukit:ignore} comments of a file; none when it is not a readable file. */
  static InlineSuppressions inlineSuppressions(Path file) {
    try {
      return Files.isRegularFile(file) ? InlineSuppressions.scan(SourceFile.read(file)) : InlineSuppressions.none();
    } catch (SourceParseException e) {
      return InlineSuppressions.none();
    }
  }

  /** The per-file rule a flow without rollback_commands breaks; a runbook in the project completes it. */
  static final String ROLLBACK_SECTION_RULE = PromotionRules.ROLLBACK_SECTION.id();

  private static Map<String, ArtifactKind> kindsByKey() {
    Map<String, ArtifactKind> byKey = new LinkedHashMap<>();
    byKey.put("dockerfiles", ArtifactKind.DOCKERFILE);
    byKey.put("workflows", ArtifactKind.WORKFLOW);
    byKey.put("manifests", ArtifactKind.KUBERNETES);
    byKey.put("promotion", ArtifactKind.PROMOTION);
    return Map.copyOf(byKey);
  }

  /** Validates the fields. */
  public GpuProject {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(artifacts, "artifacts");
    Objects.requireNonNull(report, "report");
  }

  /**
   * Scans a repository under its own {@code gpukit.yaml} (the defaults when it has none).
   *
   * @throws IllegalArgumentException when {@code repository} is not a folder
   * @throws SourceParseException when its {@code gpukit.yaml} is malformed, with the file:line
   */
  public static GpuProject scan(Path repository) {
    requireFolder(repository);
    return scan(repository, GpuKitConfig.discover(repository));
  }

  /**
   * Scans a repository under a configuration.
   *
   * @throws IllegalArgumentException when {@code repository} is not a folder
   */
  public static GpuProject scan(Path repository, GpuKitConfig config) {
    return scan(repository, config, Baseline.empty());
  }

  /**
   * Scans a repository under a configuration, the known violations of a baseline moved aside.
   *
   * @throws IllegalArgumentException when {@code repository} is not a folder
   */
  public static GpuProject scan(Path repository, GpuKitConfig config, Baseline baseline) {
    return scan(repository, config, baseline, defaultThreads());
  }

  /**
   * Scans a repository as {@link #scan(Path, GpuKitConfig, Baseline)} does, reading, parsing and
   * checking its files on {@code threads} threads (1: on the calling thread). The report is the same
   * whatever the count.
   *
   * @throws IllegalArgumentException when {@code repository} is not a folder or {@code threads} is below 1
   */
  public static GpuProject scan(Path repository, GpuKitConfig config, Baseline baseline, int threads) {
    requireFolder(repository);
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(baseline, "baseline");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    return new Scan(repository, config, threads).run(baseline);
  }

  /** The system property that sets how many threads a scan uses: a number of at least 1. */
  public static final String THREADS_PROPERTY = "gpukit.threads";

  /**
   * How many threads a scan uses unless told: {@value #THREADS_PROPERTY} when set to a number of at
   * least 1, else one per available processor.
   *
   * @throws IllegalArgumentException when the property is set to anything else
   */
  public static int defaultThreads() {
    String value = System.getProperty(THREADS_PROPERTY);
    if (value == null || value.isBlank()) {
      return Runtime.getRuntime().availableProcessors();
    }
    try {
      int threads = Integer.parseInt(value.strip());
      if (threads >= 1) {
        return threads;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "-D" + THREADS_PROPERTY + "=" + value + " is no thread count: give a whole number of at least 1");
  }

  /** The violations that count: {@code report().violations()}. */
  public List<Violation> violations() {
    return report.violations();
  }

  /** Whether any violation counts. */
  public boolean hasViolations() {
    return report.hasViolations();
  }

  /**
   * Every rule gpukit has, per-file and cross-file and the engine's own, sorted by id: what {@code
   * gpukit rules} lists.
   */
  public static List<RuleDescriptor> allRules() {
    return ArtifactKind.allRules();
  }

  /** A rule by id, among {@link #allRules()}. */
  public static Optional<RuleDescriptor> rule(String id) {
    return allRules().stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** The id among {@link #allRules()} closest to {@code id} (for "did you mean …?"). */
  public static Optional<String> closestRuleId(String id) {
    return EditDistance.closest(id, allRules().stream().map(RuleDescriptor::id).toList(), Integer.MAX_VALUE);
  }

  /**
   * A file's findings that point into another file (a step of a local composite action, in its
   * action.yml) judged under that file's inline ignores rather than the checked file's.
   *
   * @param inlineOf the inline ignores of a file
   */
  static PolicyReport judgedWhereTheyPoint(
      PolicyEngine engine, Path file, PolicyReport report, Function<Path, InlineSuppressions> inlineOf) {
    Path checked = file.toAbsolutePath().normalize();
    List<Violation> all = new ArrayList<>(report.violations());
    all.addAll(report.suppressed());
    if (all.stream().allMatch(v -> v.location().file().toAbsolutePath().normalize().equals(checked))) {
      return report;
    }
    List<Violation> kept = new ArrayList<>();
    List<Violation> silenced = new ArrayList<>();
    for (Violation v : all) {
      if (v.location().file().toAbsolutePath().normalize().equals(checked)) {
        (report.suppressed().contains(v) ? silenced : kept).add(v);
      } else {
        engine.judge(v, inlineOf.apply(v.location().file()))
            .ifPresent(j -> (j.suppressed() ? silenced : kept).add(j.violation()));
      }
    }
    return new PolicyReport(report.files(), kept, report.rules(), silenced, report.baselined())
        .withScopes(report.scopes());
  }

  /** Whether gpukit.yaml ignores every rule on this file (test fixtures, a vendored corpus): not part of the service. */
  static boolean ignoredForEveryRule(GpuKitConfig config, Path file) {
    String relative = config.relativize(file);
    return config.ignores().stream().anyMatch(i -> i.ruleId().equals("*") && i.matches("*", relative));
  }

  private static void requireFolder(Path repository) {
    Objects.requireNonNull(repository, "repository");
    if (!Files.isDirectory(repository)) {
      throw new IllegalArgumentException("not a folder: " + repository);
    }
  }

  /**
   * One scan: discovery, the per-file checks, the cross-file rules, then configuration and baseline.
   *
   * <p>A workflow is judged by what it runs: a step that uses a local composite action ({@code uses:
   * ./.github/actions/x}) is replaced by the action's steps as soon as the workflow is parsed
   * ({@link LocalActions}; a missing, malformed or non-composite action stays an opaque step), and
   * once every workflow is read, a job that calls a local reusable workflow of the project gets that
   * workflow's jobs ({@link ReusableWorkflows}). The per-file workflow rules and the cross-file
   * rules see those completed models; a finding that points into an action.yml is judged under that
   * file's inline ignores.
   */
  private static final class Scan {
    private final Path root;
    private final int threads;
    private GpuKitConfig config;
    private PolicyEngine engine;
    /** The inline ignores by file; filled by the parsing threads, read by the checking threads. */
    private final Map<Path, InlineSuppressions> inline = new ConcurrentHashMap<>();
    /** The workflows with their local reusable workflow calls resolved, by file; read-only once the checks run. */
    private final Map<Path, Workflow> resolved = new HashMap<>();
    private final Set<Path> files = new LinkedHashSet<>();
    private final List<Violation> violations = new ArrayList<>();
    private final List<Violation> suppressed = new ArrayList<>();
    /** The rules that ran, the first descriptor of each id, in the order met. */
    private final Map<String, RuleDescriptor> rules = new LinkedHashMap<>();
    private final List<ArtifactScope> scopes = new ArrayList<>();

    Scan(Path root, GpuKitConfig config, int threads) {
      this.root = root;
      this.config = config;
      this.threads = threads;
      this.engine = PolicyEngine.with(config);
    }

    /**
     * One file read and parsed: its model when it parsed (empty when not, or when gpukit.yaml
     * ignores the file for every rule), and its checks, run once the project's GPU scope is known.
     */
    private record Parsed(Optional<Object> model, Function<PolicyEngine, PolicyReport> checks) {}

    GpuProject run(Baseline baseline) {
      Map<String, List<String>> unmatched = new LinkedHashMap<>();
      Map<Path, ArtifactKind> found = discover(unmatched);
      List<Map.Entry<Path, ArtifactKind>> entries = List.copyOf(found.entrySet());
      // Files are read and parsed in parallel; everything after keeps the order they were found in.
      List<Parsed> parsed = inParallel(entries, e -> parse(e.getKey(), e.getValue()));
      List<Dockerfile> dockerfiles = new ArrayList<>();
      List<Workflow> workflows = new ArrayList<>();
      List<Manifests> manifests = new ArrayList<>();
      List<PromotionFlow> flows = new ArrayList<>();
      for (Parsed p : parsed) {
        p.model().ifPresent(model -> {
          if (model instanceof Dockerfile d) {
            dockerfiles.add(d);
          } else if (model instanceof Workflow w) {
            workflows.add(w);
          } else if (model instanceof Manifests m) {
            manifests.add(m);
          } else if (model instanceof PromotionFlow f) {
            flows.add(f);
          }
        });
      }
      // A call of a local reusable workflow counts by what the called workflow runs.
      if (workflows.stream().anyMatch(Scan::callsLocalWorkflow)) {
        Map<Path, Workflow> byFile = new LinkedHashMap<>();
        workflows.forEach(wf -> byFile.put(wf.path(), wf));
        workflows.replaceAll(wf -> callsLocalWorkflow(wf) ? ReusableWorkflows.resolve(wf, byFile, root) : wf);
      }
      workflows.forEach(wf -> resolved.put(key(wf.path()), wf));
      // The Dockerfile whose image a GPU Deployment runs, or a GPU CI job builds, is GPU whatever its base.
      config = ProjectScope.scoped(config, dockerfiles, workflows, manifests);
      engine = PolicyEngine.with(config);
      PolicyEngine checking = engine;
      // Checked in parallel, gathered in the order found: the report is the same whatever the thread count.
      inParallel(parsed, p -> p.checks().apply(checking)).forEach(this::add);
      // a local action whose action.yml does not parse is reported in that file, not passed as an opaque step
      for (Workflow wf : workflows) {
        for (Violation v : LocalActions.parseErrors(wf, root)) {
          checking.judge(v, inlineOf(v.location().file()))
              .ifPresent(j -> (j.suppressed() ? suppressed : violations).add(j.violation()));
        }
      }
      ProjectArtifacts artifacts =
          new ProjectArtifacts(root, found, dockerfiles, workflows, manifests, flows, unmatched);
      if (!artifacts.runbooks().isEmpty()) {
        // A flow without rollback_commands is complete when the project keeps them in a runbook.
        violations.removeIf(v -> v.ruleId().equals(ROLLBACK_SECTION_RULE));
      }
      violations.addAll(unknownRuleIds());
      crossFile(artifacts);
      // a local action used by several workflows reports each of its findings once
      PolicyReport report = new PolicyReport(List.copyOf(files), violations.stream().distinct().toList(),
          List.copyOf(rules.values()), suppressed.stream().distinct().toList(), List.of(), scopes);
      return new GpuProject(root, config, artifacts, baseline.apply(report));
    }

    /** Whether a job of the workflow calls a reusable workflow of this repository ({@code uses: ./…}). */
    private static boolean callsLocalWorkflow(Workflow workflow) {
      return workflow.jobs().stream().anyMatch(j -> j.uses().filter(u -> u.strip().startsWith("./")).isPresent());
    }

    /**
     * Applies {@code work} to every item on this scan's threads; the results in the items' order.
     * One thread works on the calling thread.
     */
    private <T, R> List<R> inParallel(List<T> items, Function<T, R> work) {
      if (threads <= 1 || items.size() < 2) {
        return items.stream().map(work).toList();
      }
      ForkJoinPool pool = new ForkJoinPool(threads);
      try {
        return pool.submit(() -> items.parallelStream().map(work).toList()).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while checking " + root, e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(cause);
      } finally {
        pool.shutdown();
      }
    }

    /** Reads and parses one file: its model and its checks; safe to call on several threads at once. */
    private Parsed parse(Path file, ArtifactKind artifactKind) {
      boolean inProject = !ignoredForEveryRule(file);
      FileKind<?> kind = artifactKind.fileKind();
      if (kind == DockerfileKind.INSTANCE) {
        return parse(file, DockerfileKind.INSTANCE, UnaryOperator.identity(), inProject);
      } else if (kind == WorkflowKind.INSTANCE) {
        return parse(file, WorkflowKind.INSTANCE, wf -> LocalActions.expand(wf, root), inProject);
      } else if (kind == K8sKind.INSTANCE) {
        return parse(file, K8sKind.INSTANCE, UnaryOperator.identity(), inProject);
      } else if (kind == PromotionKind.INSTANCE) {
        return parse(file, PromotionKind.INSTANCE, UnaryOperator.identity(), inProject);
      }
      return new Parsed(Optional.empty(), engine -> engine.evaluate(file, kind));
    }

    /**
     * Parses one file and completes its model with what other files of the project say (a
     * workflow's local composite actions, {@link LocalActions}); its checks run on that model.
     */
    private <T> Parsed parse(Path file, FileKind<T> kind, UnaryOperator<T> complete, boolean inProject) {
      SourceFile source;
      try {
        source = SourceFile.read(file);
      } catch (SourceParseException e) {
        return new Parsed(Optional.empty(), engine -> engine.evaluate(file, kind));
      }
      InlineSuppressions ignores = InlineSuppressions.scan(source);
      inline.put(key(file), ignores);
      T model;
      try {
        model = complete.apply(kind.parse(source));
      } catch (RuntimeException e) {
        // reports the parse error (or the parser bug) where it happened
        return new Parsed(Optional.empty(), engine -> engine.evaluate(source, kind));
      }
      return new Parsed(inProject ? Optional.of(model) : Optional.empty(), engine -> judgedWhereTheyPoint(
          engine, file, engine.check(file, latest(file, model), kind, ignores), this::inlineOf));
    }

    /** A workflow's model with its local reusable workflow calls resolved, once every workflow is read. */
    @SuppressWarnings("unchecked")
    private <T> T latest(Path file, T model) {
      return model instanceof Workflow ? (T) resolved.getOrDefault(key(file), (Workflow) model) : model;
    }

    private void add(PolicyReport r) {
      files.addAll(r.files());
      violations.addAll(r.violations());
      suppressed.addAll(r.suppressed());
      r.rules().forEach(rule -> rules.putIfAbsent(rule.id(), rule));
      scopes.addAll(r.scopes());
    }

    private void crossFile(ProjectArtifacts artifacts) {
      SourceLocation subject = SourceLocation.startOf(root);
      for (Rule<ProjectArtifacts> rule : ProjectRules.ALL) {
        rules.putIfAbsent(rule.descriptor().id(), rule.descriptor());
        for (Violation v : rule.check(artifacts, subject, config)) {
          engine.judge(v, inlineOf(v.location().file()))
              .ifPresent(j -> (j.suppressed() ? suppressed : violations).add(j.violation()));
        }
      }
    }

    private InlineSuppressions inlineOf(Path file) {
      return inline.computeIfAbsent(key(file), f -> inlineSuppressions(file));
    }

    private static Path key(Path file) {
      return file.toAbsolutePath().normalize();
    }

    private boolean ignoredForEveryRule(Path file) {
      return GpuProject.ignoredForEveryRule(config, file);
    }

    private List<Violation> unknownRuleIds() {
      List<String> known = allRules().stream().map(RuleDescriptor::id).toList();
      List<Violation> out = new ArrayList<>();
      config.ruleReferences().forEach((id, location) -> {
        if (!known.contains(id)) {
          String near = EditDistance.closest(id, known, 4).map(k -> " (did you mean '" + k + "'?)").orElse("");
          config.severityOf(BuiltInRules.UNKNOWN_RULE.id(), BuiltInRules.UNKNOWN_RULE.severity()).ifPresent(s ->
              out.add(new Violation(BuiltInRules.UNKNOWN_RULE.id(), s, location,
                  "'" + id + "' names no gpukit rule" + near, "'gpukit rules' lists every rule id")));
        }
      });
      if (!out.isEmpty()) {
        rules.putIfAbsent(BuiltInRules.UNKNOWN_RULE.id(), BuiltInRules.UNKNOWN_RULE);
      }
      return out;
    }

    /**
     * The conventional places, except for the kinds {@code project:} in gpukit.yaml names paths
     * for; those come from their globs, relative to the configuration's folder.
     */
    private Map<Path, ArtifactKind> discover(Map<String, List<String>> unmatched) {
      GpuKitCheck check = GpuKitCheck.with(config);
      Map<Path, ArtifactKind> conventional = check.find(List.of(root)).artifacts();
      List<String> configured = KINDS_BY_KEY.keySet().stream().filter(k -> !config.projectPaths(k).isEmpty()).sorted().toList();
      if (configured.isEmpty()) {
        if (conventional.isEmpty()) {
          add(check.nothingToCheck(root));
        }
        return conventional;
      }
      Map<Path, ArtifactKind> found = new LinkedHashMap<>();
      conventional.forEach((file, kind) -> {
        if (configured.stream().noneMatch(k -> KINDS_BY_KEY.get(k) == kind)) {
          found.put(file, kind);
        }
      });
      List<Path> all = allFiles();
      for (String key : configured) {
        ArtifactKind kind = KINDS_BY_KEY.get(key);
        for (PathGlob glob : config.projectPaths(key)) {
          List<Path> matched = all.stream()
              .filter(f -> glob.matches(config.relativize(f)))
              .filter(f -> kind == ArtifactKind.DOCKERFILE || key.equals("promotion") || isYaml(f))
              .toList();
          if (matched.isEmpty()) {
            unmatched.computeIfAbsent(key, k -> new ArrayList<>()).add(glob.toString());
          }
          matched.forEach(f -> found.putIfAbsent(f, kind));
        }
      }
      Map<Path, ArtifactKind> sorted = new LinkedHashMap<>();
      found.entrySet().stream()
          .sorted(Map.Entry.comparingByKey(Comparator.comparing(p -> p.toString().replace('\\', '/'))))
          .forEach(e -> sorted.put(e.getKey(), e.getValue()));
      if (sorted.isEmpty()) {
        add(check.nothingToCheck(root));
      }
      return sorted;
    }

    private static boolean isYaml(Path file) {
      String name = String.valueOf(file.getFileName());
      return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /** Every regular file under the root, build output and VCS folders skipped, in path order. */
    private List<Path> allFiles() {
      return GpuKitCheck.regularFiles(root);
    }
  }
}

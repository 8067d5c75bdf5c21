package io.gpukit.core.project;

import io.gpukit.core.internal.EditDistance;
import io.gpukit.core.policy.Baseline;
import io.gpukit.core.policy.BuiltInRules;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.InlineSuppressions;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceHead;
import io.gpukit.core.source.SourceLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the artifacts under paths and checks them: what {@code gpukit check} does.
 *
 * <pre>{@code
 * PolicyReport report = GpuKitCheck.with(GpuKitConfig.discover(repo)).run(List.of(repo));
 * report.assertNoViolations();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class GpuKitCheck {

  /** Folders never walked: build output, VCS metadata, dependencies. */
  public static final Set<String> SKIPPED_FOLDERS =
      Set.of(".git", ".hg", ".svn", "target", "build", "node_modules", ".gradle", ".idea", ".mvn", ".venv", "__pycache__");

  /** A path given to the check that is not there or cannot be classified. */
  public static final class UnusablePathException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnusablePathException(String message) {
      super(message);
    }
  }

  private final GpuKitConfig config;
  private final Baseline baseline;

  private GpuKitCheck(GpuKitConfig config, Baseline baseline) {
    this.config = Objects.requireNonNull(config, "config");
    this.baseline = Objects.requireNonNull(baseline, "baseline");
  }

  /** A check with a configuration. */
  public static GpuKitCheck with(GpuKitConfig config) {
    return new GpuKitCheck(config, Baseline.empty());
  }

  /** This check with a baseline. */
  public GpuKitCheck withBaseline(Baseline newBaseline) {
    return new GpuKitCheck(config, newBaseline);
  }

  /**
   * What the check found under its paths: the artifacts, by kind, in the order found; and the
   * findings about the paths themselves ({@code gpukit/unknown-file-kind} for a file named to the
   * check that is of no kind gpukit reads, {@code gpukit/nothing-to-check} for a folder with no
   * artifact), not yet judged by the configuration.
   *
   * @param artifacts the files to check and their kinds
   * @param findings the findings about the paths
   */
  public record Discovery(Map<Path, ArtifactKind> artifacts, List<Violation> findings) {

    /** Copies everything, keeping the order. */
    public Discovery {
      artifacts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(artifacts));
      findings = List.copyOf(findings);
    }
  }

  /**
   * Finds the artifacts: folders are walked for known file names, workflow folders ({@code
   * .github/workflows}), YAML files that look like manifests and files in the places manifests are
   * kept ({@link #isKubernetesPlace(String)}); files are classified by path, then by content.
   *
   * @throws UnusablePathException for a path that does not exist or a file of no known kind
   */
  public Map<Path, ArtifactKind> discover(List<Path> paths) {
    Discovery found = find(paths);
    found.findings().stream()
        .filter(v -> v.ruleId().equals(BuiltInRules.UNKNOWN_FILE_KIND.id()))
        .findFirst()
        .ifPresent(v -> {
          throw new UnusablePathException(
              "cannot tell what kind of file " + v.location().file() + " is: expected " + BuiltInRules.WHAT_GPUKIT_READS);
        });
    return found.artifacts();
  }

  /**
   * Finds the artifacts as {@link #discover(List)} does, but a file of no known kind is a finding
   * for that file and a folder with nothing in it a finding for that folder, so that the rest is
   * still checked.
   *
   * @throws UnusablePathException for a path that does not exist
   */
  public Discovery find(List<Path> paths) {
    Map<Path, ArtifactKind> found = new LinkedHashMap<>();
    List<Violation> findings = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        Map<Path, ArtifactKind> inFolder = ArtifactWalk.walk(path);
        if (inFolder.isEmpty()) {
          findings.add(nothingToCheckIn(path));
        }
        inFolder.forEach(found::putIfAbsent);
      } else if (Files.exists(path) || Files.isSymbolicLink(path)) {
        Path file = path.normalize();
        if (!found.containsKey(file)) {
          ArtifactWalk.classify(file).ifPresentOrElse(kind -> found.put(file, kind), () -> findings.add(unknownKind(file)));
        }
      } else {
        throw new UnusablePathException("no such file or folder: " + path);
      }
    }
    return new Discovery(found, findings);
  }

  /** Checks every artifact under the paths; a named file of no known kind is a finding for it. */
  public PolicyReport run(List<Path> paths) {
    return check(find(paths));
  }

  /** Checks artifacts already found, and the rule ids the configuration names. */
  public PolicyReport check(Map<Path, ArtifactKind> artifacts) {
    return check(new Discovery(artifacts, List.of()));
  }

  /**
   * Checks artifacts already found with the findings about their paths, and the rule ids the
   * configuration names. A workflow under a {@code .github} folder is read as the project view
   * reads it: its local composite actions and local reusable workflows opened, and a push on
   * {@code workflow_run} judged against the workflows it follows (the repository being the folder
   * above {@code .github}).
   */
  public PolicyReport check(Discovery discovery) {
    PolicyEngine engine = PolicyEngine.with(config);
    List<PolicyReport> reports = new ArrayList<>();
    reports.add(PolicyReport.of(List.of(), unknownRuleIds(), List.of()));
    reports.add(judged(discovery.findings()));
    Map<Path, WorkflowInRepository> repositories = new HashMap<>();
    for (Map.Entry<Path, ArtifactKind> e : discovery.artifacts().entrySet()) {
      Path file = e.getKey();
      Optional<Path> repository = e.getValue() == ArtifactKind.WORKFLOW
          ? WorkflowInRepository.repositoryRoot(file) : Optional.empty();
      reports.add(repository.isPresent()
          ? repositories.computeIfAbsent(repository.get(), WorkflowInRepository::at).check(engine, file)
          : engine.evaluate(file, e.getValue().fileKind()));
    }
    return baseline.apply(mergedOnce(reports));
  }

  /** The reports merged as {@link PolicyReport#merge} merges two, in one pass rather than one copy per report. */
  private static PolicyReport mergedOnce(List<PolicyReport> reports) {
    Set<Path> files = new LinkedHashSet<>();
    List<Violation> violations = new ArrayList<>();
    List<RuleDescriptor> rules = new ArrayList<>();
    List<Violation> suppressed = new ArrayList<>();
    List<Violation> baselined = new ArrayList<>();
    List<io.gpukit.core.policy.ArtifactScope> scopes = new ArrayList<>();
    for (PolicyReport r : reports) {
      files.addAll(r.files());
      violations.addAll(r.violations());
      rules.addAll(r.rules());
      suppressed.addAll(r.suppressed());
      baselined.addAll(r.baselined());
      scopes.addAll(r.scopes());
    }
    return new PolicyReport(List.copyOf(files), violations, rules, suppressed, baselined, scopes);
  }

  /**
   * The report of a folder in which nothing gpukit reads was found: one {@code
   * gpukit/nothing-to-check} finding at the folder, at its configured severity (none when the rule
   * is off, suppressed when an ignore covers it).
   */
  public PolicyReport nothingToCheck(Path folder) {
    return judged(List.of(nothingToCheckIn(folder)));
  }

  private PolicyReport judged(List<Violation> findings) {
    PolicyEngine engine = PolicyEngine.with(config);
    List<Violation> kept = new ArrayList<>();
    List<Violation> suppressed = new ArrayList<>();
    List<RuleDescriptor> rules = new ArrayList<>();
    for (Violation v : findings) {
      BuiltInRules.ALL.stream().filter(r -> r.id().equals(v.ruleId())).forEach(rules::add);
      engine.judge(v, InlineSuppressions.none()).ifPresent(j -> (j.suppressed() ? suppressed : kept).add(j.violation()));
    }
    return new PolicyReport(List.of(), kept, rules, suppressed, List.of());
  }

  private static Violation nothingToCheckIn(Path folder) {
    return new Violation(
        BuiltInRules.NOTHING_TO_CHECK.id(),
        BuiltInRules.NOTHING_TO_CHECK.severity(),
        SourceLocation.startOf(folder),
        "nothing to check in " + SourceLocation.renderPath(folder.toAbsolutePath().normalize())
            + ": no Dockerfile, workflow, Kubernetes manifest, promotion flow or runbook was found there",
        "is the path right? Maven runs tests in the module's folder. gpukit looks for "
            + BuiltInRules.WHAT_GPUKIT_READS + "; name other places under 'project:' in gpukit.yaml, or set"
            + " gpukit/nothing-to-check: off under 'severity:'");
  }

  private static Violation unknownKind(Path file) {
    SourceHead head = SourceHead.of(file);
    String why = head.problem().map(p -> switch (p) {
      case TOO_LARGE -> " (it is over the size limit, and its first MiB is none of them)";
      case BINARY -> " (it is binary, not text)";
      case NOT_UTF8 -> " (it is not UTF-8 text)";
      case NOT_A_FILE -> " (it is not a regular file)";
      case MISSING -> " (it is a symbolic link to nothing)";
      case UNREADABLE -> " (it cannot be read)";
      case SYNTAX, EMPTY -> "";
    }).orElse(head.text().isBlank() ? " (it is empty)" : "");
    return new Violation(
        BuiltInRules.UNKNOWN_FILE_KIND.id(),
        BuiltInRules.UNKNOWN_FILE_KIND.severity(),
        SourceLocation.startOf(file),
        "gpukit cannot tell what kind of file this is: its name and its content say no Dockerfile, workflow,"
            + " Kubernetes manifest, promotion flow or runbook" + why,
        "gpukit reads " + BuiltInRules.WHAT_GPUKIT_READS + "; name only those, or a folder");
  }

  private List<Violation> unknownRuleIds() {
    List<Violation> out = new ArrayList<>();
    List<String> known = null; // every rule's id: asked for only when an id's own kind does not know it
    for (Map.Entry<String, SourceLocation> reference : config.ruleReferences().entrySet()) {
      String id = reference.getKey();
      if (isRuleOfItsKind(id)) {
        continue; // 'dockerfile/…' found among the Dockerfile rules: a one-file check loads no other kind's rules
      }
      if (known == null) {
        known = ArtifactKind.allRules().stream().map(RuleDescriptor::id).toList();
      }
      if (!known.contains(id)) {
        String near = EditDistance.closest(id, known, 4).map(k -> " (did you mean '" + k + "'?)").orElse("");
        out.add(new Violation(
            BuiltInRules.UNKNOWN_RULE.id(),
            config.severityOf(BuiltInRules.UNKNOWN_RULE.id(), BuiltInRules.UNKNOWN_RULE.severity())
                .orElse(Severity.WARNING),
            reference.getValue(),
            "'" + id + "' names no gpukit rule" + near,
            "'gpukit rules' lists every rule id"));
      }
    }
    return out;
  }

  /** Whether the kind the id's prefix names ({@code dockerfile/}, {@code k8s/}…) has a rule of that id. */
  private static boolean isRuleOfItsKind(String id) {
    int slash = id.indexOf('/');
    return slash > 0 && ArtifactKind.byKindName(id.substring(0, slash))
        .map(kind -> kind.fileKind().rules().stream().anyMatch(r -> r.descriptor().id().equals(id)))
        .orElse(false);
  }

  /** Folders in which every YAML file is taken for Kubernetes manifests (any case, at any depth). */
  public static final Set<String> KUBERNETES_FOLDERS = ArtifactWalk.KUBERNETES_FOLDERS;

  /**
   * Whether a path (relative to the folder checked) is a place Kubernetes manifests are kept: a
   * {@code .yaml} or {@code .yml} file outside {@code .github/} under a folder of {@link
   * #KUBERNETES_FOLDERS}, or named like a manifest ({@code deployment.yaml}, {@code
   * api-deployment.yml}, {@code statefulset.yaml}, {@code kustomization.yaml}…). Such a file that
   * cannot be read or is not valid YAML is reported; elsewhere only a file that looks like a manifest
   * ({@code apiVersion:} and {@code kind:} at column 0) is.
   */
  public static boolean isKubernetesPlace(String relativePath) {
    return ArtifactWalk.isKubernetesPlace(relativePath);
  }

  /**
   * Every regular file under a folder, in path order, {@link #SKIPPED_FOLDERS} left out. A symbolic
   * link to a file counts; links to folders are not followed (no cycles); unreadable entries are skipped.
   */
  static List<Path> regularFiles(Path root) {
    return ArtifactWalk.regularFiles(root);
  }
}

package io.gpukit.core.project;

import io.gpukit.core.internal.EditDistance;
import io.gpukit.core.policy.Baseline;
import io.gpukit.core.policy.BuiltInRules;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
   * Finds the artifacts: folders are walked for known file names and workflow folders ({@code
   * .github/workflows}); files are classified by path, then by content.
   *
   * @throws UnusablePathException for a path that does not exist or a file of no known kind
   */
  public Map<Path, ArtifactKind> discover(List<Path> paths) {
    Map<Path, ArtifactKind> found = new LinkedHashMap<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        walk(path).forEach(found::putIfAbsent);
      } else if (Files.exists(path)) {
        found.putIfAbsent(path.normalize(), classify(path));
      } else {
        throw new UnusablePathException("no such file or folder: " + path);
      }
    }
    return found;
  }

  /** Checks every artifact under the paths. */
  public PolicyReport run(List<Path> paths) {
    return check(discover(paths));
  }

  /** Checks artifacts already found, and the rule ids the configuration names. */
  public PolicyReport check(Map<Path, ArtifactKind> artifacts) {
    PolicyEngine engine = PolicyEngine.with(config);
    PolicyReport report = PolicyReport.of(List.of(), unknownRuleIds(), List.of());
    for (Map.Entry<Path, ArtifactKind> e : artifacts.entrySet()) {
      report = report.merge(engine.evaluate(e.getKey(), e.getValue().fileKind()));
    }
    return baseline.apply(report);
  }

  private List<Violation> unknownRuleIds() {
    List<String> known = ArtifactKind.allRules().stream().map(RuleDescriptor::id).toList();
    List<Violation> out = new ArrayList<>();
    config.ruleReferences().forEach((id, location) -> {
      if (!known.contains(id)) {
        String near = EditDistance.closest(id, known, 4).map(k -> " (did you mean '" + k + "'?)").orElse("");
        out.add(new Violation(
            BuiltInRules.UNKNOWN_RULE.id(),
            config.severityOf(BuiltInRules.UNKNOWN_RULE.id(), BuiltInRules.UNKNOWN_RULE.severity())
                .orElse(Severity.WARNING),
            location,
            "'" + id + "' names no gpukit rule" + near,
            "'gpukit rules' lists every rule id"));
      }
    });
    return out;
  }

  private static ArtifactKind classify(Path file) {
    Optional<ArtifactKind> byPath = ArtifactKind.byPath(file);
    if (byPath.isPresent()) {
      return byPath.get();
    }
    try {
      return ArtifactKind.byContent(SourceFile.read(file).text())
          .filter(k -> k != ArtifactKind.PROMOTION || ArtifactKind.isPromotionCandidate(file.toString()))
          .orElseThrow(() -> new UnusablePathException(
              "cannot tell what kind of file " + file + " is: expected a Dockerfile (first instruction FROM or ARG)"
                  + ", a GitHub Actions workflow (top-level 'on' and 'jobs')"
                  + ", Kubernetes manifests (top-level apiVersion and kind)"
                  + " or a promotion flow (top-level image_promotion_flow; runbooks are named ROLLBACK.md)"));
    } catch (SourceParseException e) {
      if (ArtifactKind.isManifestCandidate(file.toString())) {
        return ArtifactKind.KUBERNETES; // a named YAML file that cannot be read: the engine reports where
      }
      throw new UnusablePathException("cannot tell what kind of file " + file + " is: " + e.reason());
    }
  }

  private static Map<Path, ArtifactKind> walk(Path root) {
    Map<Path, ArtifactKind> out = new LinkedHashMap<>();
    for (Path file : regularFiles(root)) {
      if (file.getFileName() != null) {
        ArtifactKind.byPath(file).or(() -> byContent(root, file)).ifPresent(kind -> out.put(file, kind));
      }
    }
    return out;
  }

  /**
   * Every regular file under a folder, in path order, {@link #SKIPPED_FOLDERS} left out. A symbolic
   * link to a file counts; links to folders are not followed (no cycles); unreadable entries are skipped.
   */
  static List<Path> regularFiles(Path root) {
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              Path name = dir.getFileName();
              boolean skip = !dir.equals(root) && name != null && SKIPPED_FOLDERS.contains(name.toString());
              return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile() || (attrs.isSymbolicLink() && Files.isRegularFile(file))) {
                files.add(file.normalize());
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(Comparator.comparing(p -> p.toString().replace('\\', '/')));
    return files;
  }

  /**
   * The kind a file's text reveals while walking: Kubernetes manifests (a YAML file outside
   * .github/workflows with a top-level apiVersion and kind) or a promotion flow (a YAML or JSON file
   * with a top-level image_promotion_flow). Unreadable files are skipped.
   */
  private static Optional<ArtifactKind> byContent(Path root, Path file) {
    String relative = root.relativize(file).toString();
    if (!ArtifactKind.isPromotionCandidate(relative)) {
      return Optional.empty();
    }
    try {
      Optional<ArtifactKind> kind = ArtifactKind.byContent(SourceFile.read(file).text());
      return kind.filter(k -> k == ArtifactKind.PROMOTION
          || (k == ArtifactKind.KUBERNETES && ArtifactKind.isManifestCandidate(relative)));
    } catch (SourceParseException e) {
      return Optional.empty();
    }
  }
}

package io.gpukit.core.project;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.DockerfileKind;
import io.gpukit.core.k8s.K8sKind;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.policy.FileKind;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.InlineSuppressions;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Violation;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workflow file checked on its own, read as the project view reads it: its repository is the
 * folder above the nearest {@code .github} folder on its path, a step that uses a local composite
 * action is read as the action's steps ({@link LocalActions}), a job that calls a local reusable
 * workflow counts what that workflow's jobs run ({@link ReusableWorkflows}, the repository's
 * {@code .github/workflows} read for it), and a push on {@code workflow_run} is judged against the
 * workflows it follows ({@link ProjectRules#WORKFLOW_RUN_GPU_TEST}), under the GPU scope the
 * repository's Dockerfiles and manifests give it ({@link ProjectScope}). So {@code gpukit check
 * .github/workflows/ci.yml} reports, for that file, what {@code gpukit check .} reports for it
 * (where {@code project:} in gpukit.yaml names other places, the conventional ones are read here).
 *
 * <p>A workflow not under a {@code .github} folder is checked as it is written: its local actions
 * stay opaque steps.
 */
final class WorkflowInRepository {

  private final Path root;
  /** The repository's workflows by file, as found (unparsable ones included), read once. */
  private Map<Path, ArtifactKind> files;
  /** The workflows of the repository that parse, local actions opened, by file. */
  private Map<Path, Workflow> workflows;
  /** The repository's Dockerfiles and manifests that parse, for the GPU scope; read once. */
  private List<Dockerfile> dockerfiles;
  private List<Manifests> manifests;

  private WorkflowInRepository(Path root) {
    this.root = root;
  }

  /** The repository at {@code root}; its {@code .github/workflows} is read on the first check. */
  static WorkflowInRepository at(Path root) {
    return new WorkflowInRepository(root);
  }

  /** The folder above the nearest {@code .github} folder on the file's path, as named, else as absolute. */
  static Optional<Path> repositoryRoot(Path workflowFile) {
    return rootOn(workflowFile.normalize()).or(() -> rootOn(workflowFile.toAbsolutePath().normalize()));
  }

  private static Optional<Path> rootOn(Path file) {
    for (Path p = file.getParent(); p != null; p = p.getParent()) {
      if (p.getFileName() != null && p.getFileName().toString().equals(".github")) {
        return Optional.of(p.getParent() == null ? Path.of("") : p.getParent());
      }
    }
    return Optional.empty();
  }

  /** Checks one workflow file of this repository, as {@link PolicyEngine#evaluate(Path, io.gpukit.core.policy.FileKind)} would, completed. */
  PolicyReport check(PolicyEngine engine, Path file) {
    SourceFile source;
    try {
      source = SourceFile.read(file);
    } catch (SourceParseException e) {
      return engine.evaluate(file, WorkflowKind.INSTANCE); // reports why it cannot be read
    }
    Workflow own;
    try {
      own = LocalActions.expand(WorkflowKind.INSTANCE.parse(source), root);
    } catch (RuntimeException e) {
      return engine.evaluate(source, WorkflowKind.INSTANCE); // reports the parse error where it happened
    }
    readWorkflows(engine.config());
    Map<Path, ArtifactKind> allFiles = new LinkedHashMap<>();
    Map<Path, Workflow> byFile = new LinkedHashMap<>();
    allFiles.put(file, ArtifactKind.WORKFLOW);
    byFile.put(file, own);
    files.forEach((other, kind) -> {
      if (!key(other).equals(key(file))) {
        allFiles.put(other, kind);
      }
    });
    workflows.forEach((other, wf) -> {
      if (!key(other).equals(key(file))) {
        byFile.put(other, wf);
      }
    });
    List<Workflow> resolved = new ArrayList<>();
    byFile.values().forEach(wf -> resolved.add(ReusableWorkflows.resolve(wf, byFile, root)));
    PolicyEngine scoped = PolicyEngine.with(scoped(engine.config(), resolved));
    Map<Path, InlineSuppressions> inline = new HashMap<>();
    inline.put(key(file), InlineSuppressions.scan(source));
    PolicyReport report = GpuProject.judgedWhereTheyPoint(scoped, file,
        scoped.check(file, resolved.get(0), WorkflowKind.INSTANCE, inline.get(key(file))),
        f -> inline.computeIfAbsent(key(f), k -> inlineOf(f)));
    return report.merge(followedWorkflows(scoped, file, root, allFiles, resolved, inline.get(key(file))))
        .merge(actionParseErrors(scoped, own));
  }

  /**
   * The configuration with the GPU scope the project view finds from other files: the Dockerfiles
   * a GPU workload or a GPU CI job shows to be GPU, the workflows that build a GPU image, and those
   * that build only images that are not GPU (a docs image needs no GPU test). The repository's
   * Dockerfiles and manifests are read for it once; without Dockerfiles nothing changes.
   */
  private GpuKitConfig scoped(GpuKitConfig config, List<Workflow> workflows) {
    if (dockerfiles == null) {
      dockerfiles = new ArrayList<>();
      manifests = new ArrayList<>();
      ArtifactWalk.walk(root).forEach((file, kind) -> {
        if (GpuProject.ignoredForEveryRule(config, file)) {
          return;
        }
        if (kind == ArtifactKind.DOCKERFILE) {
          parsed(file, DockerfileKind.INSTANCE).ifPresent(dockerfiles::add);
        } else if (kind == ArtifactKind.KUBERNETES) {
          parsed(file, K8sKind.INSTANCE).ifPresent(manifests::add);
        }
      });
    }
    if (dockerfiles.isEmpty()) {
      return config;
    }
    return ProjectScope.scoped(config, dockerfiles, workflows, manifests);
  }

  private static <T> Optional<T> parsed(Path file, FileKind<T> kind) {
    try {
      return Optional.of(kind.parse(SourceFile.read(file)));
    } catch (RuntimeException e) {
      return Optional.empty(); // only context here: it is reported when it is checked
    }
  }

  /**
   * The repository's {@code .github/workflows}, once: several workflows named to one check share
   * it. A workflow gpukit.yaml ignores for every rule is found but not read, as in the project view.
   */
  private void readWorkflows(GpuKitConfig config) {
    if (files != null) {
      return;
    }
    files = new LinkedHashMap<>();
    workflows = new LinkedHashMap<>();
    Path folder = root.resolve(".github").resolve("workflows");
    if (Files.isDirectory(folder)) {
      ArtifactWalk.walk(folder).forEach((other, kind) -> {
        if (kind == ArtifactKind.WORKFLOW) {
          files.put(other, kind);
          if (!GpuProject.ignoredForEveryRule(config, other)) {
            read(other).ifPresent(wf -> workflows.put(other, LocalActions.expand(wf, root)));
          }
        }
      });
    }
  }

  /** The findings of {@code project/workflow-run-gpu-test} about this file, the other workflows read as its context. */
  private static PolicyReport followedWorkflows(
      PolicyEngine engine, Path file, Path root, Map<Path, ArtifactKind> files, List<Workflow> workflows,
      InlineSuppressions inline) {
    ProjectArtifacts context =
        new ProjectArtifacts(root, files, List.of(), workflows, List.of(), List.of(), Map.of());
    List<Violation> kept = new ArrayList<>();
    List<Violation> suppressed = new ArrayList<>();
    for (Violation v : ProjectRules.WORKFLOW_RUN_GPU_TEST.check(context, SourceLocation.startOf(root), engine.config())) {
      if (key(v.location().file()).equals(key(file))) {
        engine.judge(v, inline).ifPresent(j -> (j.suppressed() ? suppressed : kept).add(j.violation()));
      }
    }
    return new PolicyReport(List.of(), kept, List.of(ProjectRules.WORKFLOW_RUN_GPU_TEST.descriptor()), suppressed, List.of());
  }

  /** The local actions of the file whose action.yml does not parse, each a located {@code gpukit/parse-error} there. */
  private PolicyReport actionParseErrors(PolicyEngine engine, Workflow workflow) {
    List<Violation> kept = new ArrayList<>();
    List<Violation> suppressed = new ArrayList<>();
    for (Violation v : LocalActions.parseErrors(workflow, root)) {
      engine.judge(v, inlineOf(v.location().file())).ifPresent(j -> (j.suppressed() ? suppressed : kept).add(j.violation()));
    }
    return new PolicyReport(List.of(), kept, List.of(), suppressed, List.of());
  }

  private static Optional<Workflow> read(Path file) {
    return parsed(file, WorkflowKind.INSTANCE);
  }

  private static InlineSuppressions inlineOf(Path file) {
    return GpuProject.inlineSuppressions(file);
  }

  private static Path key(Path file) {
    return file.toAbsolutePath().normalize();
  }
}

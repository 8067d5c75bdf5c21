package io.gpukit.core.project;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.promotion.PromotionFileKind;
import io.gpukit.core.promotion.PromotionFlow;
import io.gpukit.core.promotion.RollbackCommand;
import io.gpukit.core.workflow.Workflow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the project view reads from a repository: the artifacts that parsed, by kind; what {@link
 * ProjectRules} check across files.
 *
 * <p>A file that does not parse is reported where parsing stopped and left out here; so is a file
 * that {@code gpukit.yaml} ignores for every rule ({@code rule: "*"}), such as test fixtures.
 *
 * @param root the repository folder, as it was named
 * @param files every artifact found, with its kind, in the order they were found (ignored and
 *     unparsable files included)
 * @param dockerfiles the Dockerfiles, in path order
 * @param workflows the GitHub Actions workflows, in path order
 * @param manifests the Kubernetes manifest files, in path order
 * @param promotionFlows the promotion flows and rollback runbooks ({@code ROLLBACK.md}), in path order
 * @param unmatchedPaths the path globs under {@code project:} in {@code gpukit.yaml} that found no
 *     file, by key ({@code dockerfiles}, {@code workflows}, {@code manifests}, {@code promotion})
 * @since 0.1.0
 */
public record ProjectArtifacts(
    Path root,
    Map<Path, ArtifactKind> files,
    List<Dockerfile> dockerfiles,
    List<Workflow> workflows,
    List<Manifests> manifests,
    List<PromotionFlow> promotionFlows,
    Map<String, List<String>> unmatchedPaths) {

  /** Copies everything, keeping the order of the maps. */
  public ProjectArtifacts {
    Objects.requireNonNull(root, "root");
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    dockerfiles = List.copyOf(dockerfiles);
    workflows = List.copyOf(workflows);
    manifests = List.copyOf(manifests);
    promotionFlows = List.copyOf(promotionFlows);
    Map<String, List<String>> copied = new LinkedHashMap<>();
    unmatchedPaths.forEach((k, v) -> copied.put(k, List.copyOf(v)));
    unmatchedPaths = Collections.unmodifiableMap(copied);
  }

  /** A project with only these artifacts, for tests and custom rules. */
  public static ProjectArtifacts of(
      Path root, List<Dockerfile> dockerfiles, List<Workflow> workflows, List<Manifests> manifests,
      List<PromotionFlow> promotionFlows) {
    Map<Path, ArtifactKind> files = new LinkedHashMap<>();
    dockerfiles.forEach(d -> files.put(d.path(), ArtifactKind.DOCKERFILE));
    workflows.forEach(w -> files.put(w.path(), ArtifactKind.WORKFLOW));
    manifests.forEach(m -> files.put(m.path(), ArtifactKind.KUBERNETES));
    promotionFlows.forEach(f -> files.put(f.file(), ArtifactKind.PROMOTION));
    return new ProjectArtifacts(root, files, dockerfiles, workflows, manifests, promotionFlows, Map.of());
  }

  /** The promotion flows (stages and their tag patterns), without the runbooks. */
  public List<PromotionFlow> flows() {
    return promotionFlows.stream().filter(f -> f.kind() == PromotionFileKind.FLOW).toList();
  }

  /** The rollback runbooks ({@code ROLLBACK.md}). */
  public List<PromotionFlow> runbooks() {
    return promotionFlows.stream().filter(f -> f.kind() == PromotionFileKind.RUNBOOK).toList();
  }

  /**
   * Every rollback command of the project: a flow's {@code rollback_commands} and a runbook's shell
   * blocks together, flows first. A flow without a rollback section is complete when the project
   * has a runbook.
   */
  public List<RollbackCommand> rollbackCommands() {
    List<RollbackCommand> out = new ArrayList<>();
    flows().forEach(f -> out.addAll(f.rollbackCommands()));
    runbooks().forEach(f -> out.addAll(f.rollbackCommands()));
    return List.copyOf(out);
  }

  /** Whether the project has no artifact at all. */
  public boolean isEmpty() {
    return files.isEmpty();
  }
}

package io.gpukit.core.project;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.workflow.Workflow;
import java.nio.file.Path;
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
    Map<String, List<String>> unmatchedPaths) {

  /** Copies everything, keeping the order of the maps. */
  public ProjectArtifacts {
    Objects.requireNonNull(root, "root");
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    dockerfiles = List.copyOf(dockerfiles);
    workflows = List.copyOf(workflows);
    manifests = List.copyOf(manifests);
    Map<String, List<String>> copied = new LinkedHashMap<>();
    unmatchedPaths.forEach((k, v) -> copied.put(k, List.copyOf(v)));
    unmatchedPaths = Collections.unmodifiableMap(copied);
  }

  /** A project with only these artifacts, for tests and custom rules. */
  public static ProjectArtifacts of(
      Path root, List<Dockerfile> dockerfiles, List<Workflow> workflows, List<Manifests> manifests) {
    Map<Path, ArtifactKind> files = new LinkedHashMap<>();
    dockerfiles.forEach(d -> files.put(d.path(), ArtifactKind.DOCKERFILE));
    workflows.forEach(w -> files.put(w.path(), ArtifactKind.WORKFLOW));
    manifests.forEach(m -> files.put(m.path(), ArtifactKind.KUBERNETES));
    return new ProjectArtifacts(root, files, dockerfiles, workflows, manifests, Map.of());
  }

  /** Whether the project has no artifact at all. */
  public boolean isEmpty() {
    return files.isEmpty();
  }
}

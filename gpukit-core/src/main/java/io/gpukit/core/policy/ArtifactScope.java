package io.gpukit.core.policy;

import io.gpukit.core.source.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What gpukit treats as GPU in one checked file, and why: what {@code --format json} gives per file
 * and {@code gpukit check --show-scope} prints.
 *
 * @param file the file
 * @param kind the kind it was read as ({@code dockerfile}, {@code workflow}, {@code k8s}, {@code
 *     promotion}): the rules of that kind, the engine's and the project view's judge it
 * @param gpu whether GPU rules judge something in it (a GPU image, a GPU job, a GPU container)
 * @param note what else decides how it is judged, e.g. {@code a base image (no CMD or ENTRYPOINT):
 *     not judged as a service}; may be empty
 * @param evidence why parts of it are GPU, in file order
 * @since 0.2.0
 */
public record ArtifactScope(Path file, String kind, boolean gpu, Optional<String> note, List<GpuEvidence> evidence) {

  /** Validates the fields and copies the list. */
  public ArtifactScope {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(note, "note");
    evidence = List.copyOf(evidence);
  }

  /** A file whose strong evidence decides: GPU when it has any. */
  public static ArtifactScope of(Path file, String kind, List<GpuEvidence> evidence) {
    return new ArtifactScope(file, kind, evidence.stream().anyMatch(GpuEvidence::isStrong), Optional.empty(), evidence);
  }

  /**
   * Whether a rule judges this file by its id's kind: a rule of another file kind ({@code
   * dockerfile/…} on a workflow) does not; the engine's ({@code gpukit/…}) and the project view's
   * ({@code project/…}) do.
   */
  public boolean isJudgedBy(String ruleId) {
    int slash = ruleId.indexOf('/');
    String ruleKind = slash < 0 ? ruleId : ruleId.substring(0, slash);
    return ruleKind.equals(kind) || ruleKind.equals("gpukit") || ruleKind.equals("project");
  }

  /**
   * The lines {@code --show-scope} prints: {@code file: GPU} or {@code file: not GPU}, the note, then
   * one indented line per piece of evidence.
   */
  public List<String> render() {
    List<String> lines = new ArrayList<>();
    lines.add(SourceLocation.renderPath(file) + ": " + (gpu ? "GPU" : "not GPU") + note.map(n -> " (" + n + ")").orElse(""));
    evidence.forEach(e -> lines.add("  " + e.render()));
    return List.copyOf(lines);
  }
}

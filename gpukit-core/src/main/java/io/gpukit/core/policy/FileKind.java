package io.gpukit.core.policy;

import io.gpukit.core.source.SourceFile;
import java.nio.file.Path;
import java.util.List;

/**
 * One kind of checked file: how to parse it and which rules apply.
 *
 * @param <T> the parsed model
 * @since 0.1.0
 */
public interface FileKind<T> {

  /** A short name such as {@code dockerfile}, used by {@code gpukit parse}. */
  String name();

  /**
   * Parses a file.
   *
   * @throws io.gpukit.core.source.SourceParseException with the failing location
   */
  T parse(SourceFile file);

  /** The rules for this kind, in a stable order. */
  List<Rule<T>> rules();

  /**
   * Why parts of a parsed file are GPU (stages, jobs, containers), in file order; empty when
   * nothing in it is. What {@code --format json} and {@code gpukit check --show-scope} print.
   */
  default List<GpuEvidence> gpuEvidence(T model, GpuKitConfig config) {
    return List.of();
  }

  /** What gpukit treats as GPU in a parsed file: GPU when it has strong evidence, unless a kind says more. */
  default ArtifactScope scope(Path file, T model, GpuKitConfig config) {
    return ArtifactScope.of(file, name(), gpuEvidence(model, config));
  }
}

package io.gpukit.core.k8s;

import io.gpukit.core.internal.yaml.YamlReader;
import io.gpukit.core.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The images a kustomization next to a manifest file renames or retags ({@code images[].name}), as
 * kubebuilder projects ship {@code image: controller:latest} with {@code images: [{name:
 * controller, newTag: v1.2.0}]} beside it: the tag written in the manifest is a placeholder.
 */
final class KustomizeImages {

  private static final List<String> NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  private KustomizeImages() {}

  /** The image names the kustomization in the manifest's folder overrides; empty when there is none or it cannot be read. */
  static Set<String> besides(Path manifest) {
    Path folder = manifest.toAbsolutePath().getParent();
    if (folder == null) {
      return Set.of();
    }
    for (String name : NAMES) {
      Path file = folder.resolve(name);
      if (Files.isRegularFile(file)) {
        try {
          return names(SourceFile.read(file));
        } catch (RuntimeException e) {
          return Set.of(); // not gpukit's file to judge; without it, the manifest's tags count as written
        }
      }
    }
    return Set.of();
  }

  private static Set<String> names(SourceFile file) {
    Set<String> out = new LinkedHashSet<>();
    Optional<Node> doc = YamlReader.composeOne(file);
    if (doc.isEmpty() || !(doc.get() instanceof MappingNode top)) {
      return out;
    }
    Optional<Node> images = YamlReader.get(top, "images");
    if (images.isPresent() && images.get() instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) {
        if (item instanceof MappingNode m) {
          YamlReader.get(m, "name").map(n -> YamlReader.scalar(file.path(), n, "name")).ifPresent(out::add);
        }
      }
    }
    return out;
  }
}

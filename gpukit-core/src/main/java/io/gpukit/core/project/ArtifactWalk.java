package io.gpukit.core.project;

import io.gpukit.core.internal.yaml.YamlReader;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceHead;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.source.SourceParseException;
import io.gpukit.core.source.SourceProblem;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How {@link GpuKitCheck} tells artifacts: walks a folder for them, classifies a file named to it,
 * and knows the places Kubernetes manifests are kept. A file that seems to be an artifact is taken
 * even when it cannot be read, so that the engine reports why rather than passing it.
 */
final class ArtifactWalk {

  private ArtifactWalk() {}

  /** The kind of a file named to the check: by its path, else by its content (read leniently, so a file too large or not UTF-8 is still told). */
  static Optional<ArtifactKind> classify(Path file) {
    Optional<ArtifactKind> byPath = ArtifactKind.byPath(file);
    if (byPath.isPresent()) {
      return byPath;
    }
    SourceHead head = SourceHead.of(file);
    Optional<ArtifactKind> byContent = ArtifactKind.byContent(head.text())
        .filter(k -> k != ArtifactKind.PROMOTION || ArtifactKind.isPromotionCandidate(file.toString()));
    if (byContent.isPresent()) {
      return byContent;
    }
    if (!head.readable() && head.problem().get() != SourceProblem.NOT_A_FILE
        && ArtifactKind.isManifestCandidate(file.toString())) {
      return Optional.of(ArtifactKind.KUBERNETES); // a named YAML file that cannot be read: the engine reports why
    }
    return Optional.empty();
  }

  /** The artifacts under a folder, in path order: by path, else by content ({@link #byContent(Path, Path)}). */
  static Map<Path, ArtifactKind> walk(Path root) {
    Map<Path, ArtifactKind> out = new LinkedHashMap<>();
    for (Entry entry : entries(root)) {
      Path file = entry.path();
      if (file.getFileName() == null) {
        continue;
      }
      // What is not a regular file (a FIFO, a link to nothing) is only taken by its name: opening it could block.
      Optional<ArtifactKind> kind = entry.regular()
          ? ArtifactKind.byPath(file).or(() -> byContent(root, file))
          : ArtifactKind.byPath(file);
      kind.ifPresent(k -> out.put(file, k));
    }
    return out;
  }

  /** One entry of a walked folder that is not a folder: a regular file (or a link to one), or something else. */
  private record Entry(Path path, boolean regular) {}

  /**
   * Every regular file under a folder, in path order, {@link GpuKitCheck#SKIPPED_FOLDERS} left out. A symbolic
   * link to a file counts; links to folders are not followed (no cycles); unreadable entries are skipped.
   */
  static List<Path> regularFiles(Path root) {
    return entries(root).stream().filter(Entry::regular).map(Entry::path).toList();
  }

  /**
   * Every entry under a folder that is not a folder, in path order, {@link GpuKitCheck#SKIPPED_FOLDERS} left
   * out: regular files and links to them, and what else is there (FIFOs, sockets, links to nothing),
   * so that one named like an artifact is reported rather than passed. Links to folders are not
   * followed (no cycles); folders that cannot be read are skipped.
   */
  private static List<Entry> entries(Path root) {
    List<Entry> entries = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              Path name = dir.getFileName();
              boolean skip = !dir.equals(root) && name != null && GpuKitCheck.SKIPPED_FOLDERS.contains(name.toString());
              return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile() || (attrs.isSymbolicLink() && Files.isRegularFile(file))) {
                entries.add(new Entry(file.normalize(), true));
              } else if (!(attrs.isSymbolicLink() && Files.isDirectory(file))) {
                entries.add(new Entry(file.normalize(), false));
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
    entries.sort(Comparator.comparing(e -> e.path().toString().replace('\\', '/')));
    return entries;
  }

  /**
   * The kind a file's text reveals while walking: Kubernetes manifests (a YAML file outside
   * .github/workflows with a top-level apiVersion and kind, even when the YAML is broken or the file
   * is too large, binary or not UTF-8, as far as its head tells) or a promotion flow (a YAML or JSON
   * file with a top-level image_promotion_flow). A YAML file in a Kubernetes place ({@link
   * #isKubernetesPlace(String)}) that cannot be read, or is not valid YAML, is taken as manifests too,
   * so that the engine reports why; one that is valid YAML of another kind (Helm values, patches), a
   * template ({@code {{ }}}) or a file git-crypt encrypts is not. Other files that cannot be read are not artifacts.
   */
  private static Optional<ArtifactKind> byContent(Path root, Path file) {
    String relative = SourceLocation.renderPath(root.relativize(file));
    boolean kubernetesPlace = isKubernetesPlace(relative);
    if (!ArtifactKind.isPromotionCandidate(relative) && !kubernetesPlace) {
      return Optional.empty();
    }
    SourceHead head = SourceHead.of(file);
    Optional<ArtifactKind> kind = ArtifactKind.byContent(head.text()).filter(k -> k == ArtifactKind.PROMOTION
        || (k == ArtifactKind.KUBERNETES && ArtifactKind.isManifestCandidate(relative)));
    if (kind.isPresent() || !kubernetesPlace) {
      return kind;
    }
    if (!head.readable()) {
      // git-crypt keeps secrets unreadable on purpose: not a file gpukit failed to read
      return encrypted(file) ? Optional.empty() : Optional.of(ArtifactKind.KUBERNETES);
    }
    if (head.text().contains("{{") || isYaml(file, head.text())) {
      return Optional.empty();
    }
    return Optional.of(ArtifactKind.KUBERNETES);
  }

  /** The header git-crypt writes before the ciphertext of a file it encrypts. */
  private static final byte[] GIT_CRYPT_HEADER = "\0GITCRYPT\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static boolean encrypted(Path file) {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      return java.util.Arrays.equals(in.readNBytes(GIT_CRYPT_HEADER.length), GIT_CRYPT_HEADER);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isYaml(Path file, String text) {
    try {
      YamlReader.composeAll(SourceFile.of(file, text));
      return true;
    } catch (SourceParseException e) {
      return false;
    }
  }

  /** Folders in which every YAML file is taken for Kubernetes manifests (any case, at any depth). */
  static final Set<String> KUBERNETES_FOLDERS =
      Set.of("k8s", "kubernetes", "kube", "manifests", "deploy", "deployment", "deployments", "kustomize");

  /**
   * File names that are Kubernetes manifests wherever they lie: {@code deployment.yaml}, {@code
   * statefulset.yaml}, {@code daemonset.yaml}, {@code cronjob.yaml}, {@code pod.yaml}, {@code
   * k8s.yaml} alone or after a prefix and {@code -}, {@code _} or {@code .} ({@code
   * llm-deployment.yaml}), and {@code kustomization.yaml}; {@code .yml} alike, any case.
   */
  private static final Pattern KUBERNETES_NAME = Pattern.compile(
      "(?i)(kustomization|([^/]*[-_.])?(deployment|statefulset|daemonset|cronjob|pod|k8s))\\.ya?ml");

  /**
   * Whether a path (relative to the folder checked) is a place Kubernetes manifests are kept: a
   * {@code .yaml} or {@code .yml} file outside {@code .github/} under a folder of {@link
   * #KUBERNETES_FOLDERS}, or named like a manifest ({@code deployment.yaml}, {@code
   * api-deployment.yml}, {@code statefulset.yaml}, {@code kustomization.yaml}…). Such a file that
   * cannot be read or is not valid YAML is reported; elsewhere only a file that looks like a manifest
   * ({@code apiVersion:} and {@code kind:} at column 0) is.
   */
  static boolean isKubernetesPlace(String relativePath) {
    String p = relativePath.replace('\\', '/');
    if (!ArtifactKind.isManifestCandidate(p) || p.startsWith(".github/") || p.contains("/.github/")) {
      return false;
    }
    String[] parts = p.split("/");
    if (KUBERNETES_NAME.matcher(parts[parts.length - 1]).matches()) {
      return true;
    }
    for (int i = 0; i < parts.length - 1; i++) {
      if (KUBERNETES_FOLDERS.contains(parts[i].toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }
}

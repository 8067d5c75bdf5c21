package io.gpukit.core.dockerfile;

import io.gpukit.core.policy.ArtifactScope;
import io.gpukit.core.policy.FileKind;
import io.gpukit.core.policy.GpuEvidence;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.source.SourceFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Dockerfiles as a {@link FileKind}: parsed with {@link DockerfileParser}, checked with {@link
 * DockerfileRules#ALL}.
 *
 * @since 0.1.0
 */
public final class DockerfileKind implements FileKind<Dockerfile> {

  /** The one instance. */
  public static final DockerfileKind INSTANCE = new DockerfileKind();

  private DockerfileKind() {}

  @Override
  public String name() {
    return "dockerfile";
  }

  @Override
  public Dockerfile parse(SourceFile file) {
    return DockerfileParser.parse(file);
  }

  @Override
  public List<Rule<Dockerfile>> rules() {
    return DockerfileRules.ALL;
  }

  @Override
  public List<GpuEvidence> gpuEvidence(Dockerfile model, GpuKitConfig config) {
    return DockerfileScope.of(model, config).evidence();
  }

  /** GPU when the image is ({@link DockerfileScope}); a base image says it is not judged as a service. */
  @Override
  public ArtifactScope scope(Path file, Dockerfile model, GpuKitConfig config) {
    DockerfileScope scope = DockerfileScope.of(model, config);
    Optional<String> note = scope.isBaseImage()
        ? Optional.of("a base image, no CMD, ENTRYPOINT, EXPOSE or HEALTHCHECK: not judged as a service")
        : Optional.empty();
    return new ArtifactScope(file, name(), scope.gpu(), note, scope.evidence());
  }
}

package io.gpukit.core.dockerfile;

import io.gpukit.core.policy.FileKind;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.source.SourceFile;
import java.util.List;

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
}

package io.gpukit.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactKindTests {

  @ParameterizedTest
  @ValueSource(strings = {
      "Dockerfile", "Dockerfile.gpu", "Dockerfile-rocm", "Dockerfile_amd", "Dockerfile_intel", "api.Dockerfile",
      "Containerfile", "Containerfile_cuda"})
  void names_a_dockerfile(String name) {
    assertThat(ArtifactKind.byName(name)).contains(ArtifactKind.DOCKERFILE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile_amd.md", "Dockerfile.java", "dockerfile_utils.py", "Dockerfile.tmpl", "README.md"})
  void does_not_name_a_dockerfile(String name) {
    assertThat(ArtifactKind.byName(name)).isEmpty();
  }
}

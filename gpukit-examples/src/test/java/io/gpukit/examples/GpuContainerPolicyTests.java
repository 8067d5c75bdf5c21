package io.gpukit.examples;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.project.GpuProject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

// The README's tour, verbatim: ReadmeTests keeps the two in step.
import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;

class GpuContainerPolicyTests {

  @Test
  void the_runtime_image_is_gpu_ready() {
    Dockerfile dockerfile = Dockerfile.parse(Path.of("Dockerfile"));

    assertThat(dockerfile)
        .hasAtLeastStages(2)
        .finalStage()
        .runsAsNonRoot()
        .hasGpuAwareHealthcheck();
  }

  @Test
  void the_repository_is_a_sound_gpu_project() {
    // every Dockerfile, workflow, manifest, promotion flow and runbook, then the rules across them
    assertThat(GpuProject.scan(Path.of("."))).hasNoViolations();
  }
}

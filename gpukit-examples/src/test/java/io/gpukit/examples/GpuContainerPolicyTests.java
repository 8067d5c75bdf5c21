package io.gpukit.examples;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.project.GpuKitCheck;
import java.nio.file.Path;
import java.util.List;
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
  void the_repository_breaks_no_rule() {
    Path repo = Path.of(".");
    PolicyReport report = GpuKitCheck.with(GpuKitConfig.discover(repo)).run(List.of(repo));

    assertThat(report).hasNoViolations();
  }
}

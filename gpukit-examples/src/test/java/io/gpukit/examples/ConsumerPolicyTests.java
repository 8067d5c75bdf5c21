package io.gpukit.examples;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.junit.policy.GpuPolicyTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConsumerPolicyTests {

  @GpuPolicyTest // the repository the tests run in: every file on its own, then across files
  void the_repository_breaks_no_gpukit_rule() {
  }

  @Test
  void the_runtime_image_is_not_the_toolchain_and_proves_the_gpu() {
    assertThat(Dockerfile.parse(Path.of("Dockerfile")))
        .finalStage()
        .runsAsNonRoot()
        .hasGpuAwareHealthcheck();
  }
}

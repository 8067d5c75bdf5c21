package io.gpukit.junit;

import static io.gpukit.junit.assertions.ProbeResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@link GpuContainerTest} end to end on a GPU host: the image built from
 * {@code src/test/resources/gpu-service} on top of {@code -Dgpukit.test.cuda.image} (a local image
 * with a JRE on PATH, the CUDA runtime and sh/sleep/env; the probe jar comes from
 * {@code -Dgpukit.probe.jar}), started with the GPU attached, the probe healthy and the negative
 * control failing before the tests run. Skipped with the reason off GPU hosts, unless
 * {@code -Dgpukit.gpu.required=true} (set it on GPU runners) makes that a failure.
 */
@GpuContainerTest(context = "src/test/resources/gpu-service", buildArgs = "BASE=${gpukit.test.cuda.image}",
    whenNoGpu = WhenNoGpu.SKIP)
@EnabledIf(
    value = "io.gpukit.junit.GpuContainerGpuTests#a_gpu_host_or_required",
    disabledReason = "this host has no NVIDIA GPU (/dev/nvidiactl) or no CUDA test image (-Dgpukit.test.cuda.image);"
        + " these tests run on a GPU runner, where -Dgpukit.gpu.required=true makes a missing GPU a failure")
class GpuContainerTestGpuTests {

  @Test
  void the_started_container_and_what_was_detected_are_injected(GpuContainer container, GpuEnvironment environment) {
    // then
    assertThat(container.isRunning()).isTrue();
    assertThat(environment.gpuAttachable()).isTrue();
    assertThat(container.gpuAttach()).isEqualTo(environment.attach());
  }

  @Test
  void the_probe_stays_healthy_across_tests(GpuContainer container) {
    // when / then
    assertThat(container.probe()).isHealthy();
  }
}

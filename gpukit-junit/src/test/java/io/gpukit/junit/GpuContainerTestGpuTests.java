package io.gpukit.junit;

import static io.gpukit.junit.assertions.ContainerProbeResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;

/**
 * {@link GpuContainerTest} end to end on a GPU host: the image built from
 * {@code src/test/resources/gpu-service} on top of {@code -Dgpukit.test.cuda.image} (a local image
 * with a JRE on PATH, the CUDA runtime and sh/sleep/env; the probe jar comes from
 * {@code -Dgpukit.probe.jar}, copied in before the start), started with the GPU attached, the probe
 * healthy and the negative control failing before the tests run; meanwhile the image's HEALTHCHECK
 * (the probe, every 2 s in the image, run every 1 s here, 3 retries) turns the container healthy, and
 * a second container with CUDA hidden, started alongside, unhealthy, each within 38 s of its start
 * (3 × (1 s + 10 s) + 5 s). Skipped with the reason off GPU hosts, unless
 * {@code -Dgpukit.gpu.required=true} (set it on GPU runners) makes that a failure.
 */
@GpuContainerTest(context = "src/test/resources/gpu-service", buildArgs = "BASE=${gpukit.test.cuda.image}",
    whenNoGpu = WhenNoGpu.SKIP, verifyHealthcheck = true)
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

  @Test
  void the_container_is_healthy_and_the_cuda_hidden_one_is_gone(GpuContainer container) {
    // when
    String health = container.getCurrentContainerInfo().getState().getHealth().getStatus();
    List<String> roles = DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(GpuContainerExtension.TEST_CLASS_LABEL, getClass().getName())).exec().stream()
        .map(listed -> listed.getLabels().get(GpuContainerExtension.ROLE_LABEL)).toList();

    // then
    assertThat(health).isEqualTo("healthy");
    assertThat(roles).containsExactly("service");
  }
}

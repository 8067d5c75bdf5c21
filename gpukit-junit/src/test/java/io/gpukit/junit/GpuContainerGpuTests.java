package io.gpukit.junit;

import static io.gpukit.junit.assertions.ContainerProbeResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.junit.image.RequiresDockerEngine;
import io.gpukit.probe.ProbeExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The real GPU path: a container with the host's GPU attached proves the GPU from inside with the
 * probe, and the same container with CUDA hidden fails with the contract's code 11 (the negative
 * control). Runs where the host has an NVIDIA GPU; elsewhere it is skipped, saying so, unless
 * {@code -Dgpukit.gpu.required=true} (set it on GPU runners) turns the skip into a failure.
 */
@Tag("gpu")
@RequiresDockerEngine
@EnabledIf(
    value = "a_gpu_host_or_required",
    disabledReason = "this host has no NVIDIA GPU (/dev/nvidiactl) or no CUDA test image (-Dgpukit.test.cuda.image);"
        + " these tests run on a GPU runner, where -Dgpukit.gpu.required=true makes a missing GPU a failure")
class GpuContainerGpuTests {

  static final String REQUIRED_PROPERTY = "gpukit.gpu.required";
  static final String IMAGE_PROPERTY = "gpukit.test.cuda.image";

  private static String image;
  private static Path probeJar;

  static boolean a_gpu_host_or_required() {
    return Boolean.getBoolean(REQUIRED_PROPERTY)
        || (Files.exists(Path.of("/dev/nvidiactl")) && System.getProperty(IMAGE_PROPERTY) != null);
  }

  @BeforeAll
  static void require_a_gpu_host_and_a_cuda_image() {
    boolean required = Boolean.getBoolean(REQUIRED_PROPERTY);
    String missing = null;
    if (!Files.exists(Path.of("/dev/nvidiactl"))) {
      missing = "this host has no NVIDIA GPU (/dev/nvidiactl is missing); these tests run on a GPU runner";
    } else if (System.getProperty(IMAGE_PROPERTY) == null) {
      missing = "no CUDA test image: set -D" + IMAGE_PROPERTY + " to a local image with a JRE on PATH, the CUDA"
          + " runtime (libcudart.so.13) and sh/sleep/env";
    }
    if (missing != null && required) {
      throw new IllegalStateException(missing + " (-D" + REQUIRED_PROPERTY + "=true requires it)");
    }
    image = System.getProperty(IMAGE_PROPERTY);
    probeJar = Path.of(System.getProperty("gpukit.probe.jar", "gpukit-probe.jar"));
  }

  private static GpuContainer container(GpuAttach attach) {
    return new GpuContainer(image)
        .withGpus(attach)
        .withNetworkMode("none")
        .withCreateContainerCmdModifier(cmd -> cmd.withUser("10001"))
        .withCommand("sleep", "infinity")
        .withProbeJar(probeJar)
        .withProbeArguments("--timeout-ms", "30000");
  }

  @Test
  void device_nodes_prove_the_gpu_and_hiding_it_fails_with_11() {
    try (GpuContainer gpu = container(GpuAttach.DEVICE_NODES)) {
      // given
      gpu.start();

      // when
      ContainerProbeResult healthy = gpu.probe();
      ContainerProbeResult hidden = gpu.probe(Map.of("CUDA_VISIBLE_DEVICES", ""));

      // then
      assertThat(healthy).isHealthy();
      assertThat(healthy).check("tensor.roundtrip").passed();
      assertThat(healthy).check("kernel.saxpy").passed();
      assertThat(hidden).failedWith(ProbeExitCode.NO_CUDA_DEVICE);
    }
  }

  @Test
  void auto_attaches_by_evidence_and_says_why() {
    try (GpuContainer gpu = container(GpuAttach.AUTO)) {
      // when
      gpu.start();

      // then
      assertThat(gpu.gpuAttach()).isPresent();
      assertThat(gpu.probe()).isHealthy();
    }
  }
}

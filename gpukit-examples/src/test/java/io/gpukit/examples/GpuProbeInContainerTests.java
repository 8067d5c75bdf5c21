package io.gpukit.examples;

import static io.gpukit.junit.assertions.ContainerProbeResultAssert.assertThat;

import io.gpukit.junit.GpuAttach;
import io.gpukit.junit.GpuContainer;
import io.gpukit.probe.ProbeExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The README's probe snippet, verbatim: on a GPU host, the probe inside the container proves the
 * GPU, and hiding it fails with the contract's code 11. Skipped, with the reason, elsewhere.
 */
@Tag("gpu")
@EnabledIf(
    value = "gpu_host_with_a_cuda_image",
    disabledReason = "needs an NVIDIA GPU host (/dev/nvidiactl), a Docker engine and -Dgpukit.test.cuda.image"
        + " naming a local image with a JRE and the CUDA runtime")
class GpuProbeInContainerTests {

  static boolean gpu_host_with_a_cuda_image() {
    return Files.exists(Path.of("/dev/nvidiactl")) && System.getProperty("gpukit.test.cuda.image") != null;
  }

  @Test
  void the_probe_proves_the_gpu_and_notices_when_it_is_hidden() {
    String image = System.getProperty("gpukit.test.cuda.image");
    Path probeJar = Path.of(System.getProperty("gpukit.probe.jar"));

    // a base image has no CMD of its own: keep it running while the probe is exec'd in
    try (GpuContainer gpu = new GpuContainer(image).withCommand("sleep", "infinity")
        .withGpus(GpuAttach.AUTO).withProbeJar(probeJar)) {
      gpu.start();
      assertThat(gpu.probe()).isHealthy();
      assertThat(gpu.probe(Map.of("CUDA_VISIBLE_DEVICES", ""))).failedWith(ProbeExitCode.NO_CUDA_DEVICE);
    }
  }
}

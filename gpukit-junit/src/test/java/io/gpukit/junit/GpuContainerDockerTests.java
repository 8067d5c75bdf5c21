package io.gpukit.junit;

import io.gpukit.junit.image.LocalBaseImage;
import io.gpukit.junit.image.RequiresDockerEngine;
import io.gpukit.probe.ProbeExitCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.gpukit.junit.assertions.ContainerProbeResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Real containers on a Docker engine without GPUs: what CI can prove about the in-container path. */
@RequiresDockerEngine
class GpuContainerDockerTests {

  private static final String PROBE_JAR_PROPERTY = "gpukit.probe.jar";

  /** The same tag and recipe as LocalBaseImageTests, so one import serves both. */
  private static String baseImage;
  private static Path probeJar;

  @BeforeAll
  static void import_the_base_image_and_find_the_probe_jar() {
    String jar = System.getProperty(PROBE_JAR_PROPERTY);
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("no probe jar at -D" + PROBE_JAR_PROPERTY + "=" + jar + ": build it first"
          + " (./mvnw -pl gpukit-junit -am verify builds gpukit-probe's shaded jar before these tests)");
    }
    probeJar = Path.of(jar);
    baseImage = LocalBaseImage.jre().tag("gpukit-jre-base:test-" + Runtime.version().feature()).build();
  }

  private static GpuContainer idleContainer() {
    return new GpuContainer(baseImage)
        .withNetworkMode("none")
        .withCreateContainerCmdModifier(cmd -> cmd.withUser("10001"))
        .withCommand("sleep", "infinity");
  }

  @Nested
  class The_probe_inside_a_container_without_a_gpu {

    @Test
    void exits_10_driver_unavailable_with_its_json_line() {
      // given
      try (GpuContainer container = idleContainer().withProbeJar(probeJar).withProbeArguments("--timeout-ms", "30000")) {
        container.start();

        // when
        ContainerProbeResult result = container.probe();
        ContainerProbeResult hidden = container.probe(Map.of("CUDA_VISIBLE_DEVICES", ""));

        // then
        assertThat(result).failedWith(ProbeExitCode.DRIVER_UNAVAILABLE).hasJsonLine();
        assertThat(result.status()).contains("DRIVER_UNAVAILABLE");
        assertThat(result.failedCheck()).isPresent();
        assertThat(result.check("natives.cache")).hasValueSatisfying(check -> assertThat(check.ok()).isTrue());
        assertThat(hidden).failedWith(ProbeExitCode.DRIVER_UNAVAILABLE);
        assertThat(container.gpuAttach()).isEmpty();
      }
    }
  }

  @Nested
  class Attaching_on_a_host_without_gpus {

    @Test
    void with_the_toolkit_fails_with_the_fix_instead_of_the_daemon_error() {
      // given
      assumeThat(DockerClientFactory.instance().client().infoCmd().exec().getRuntimes())
          .as("this engine has the NVIDIA runtime; the no-toolkit error cannot happen here")
          .doesNotContainKey("nvidia");
      try (GpuContainer container = idleContainer().withGpus(GpuAttach.TOOLKIT)) {

        // then
        assertThatIllegalStateException().isThrownBy(container::start)
            .withMessageStartingWith("this Docker host has no NVIDIA Container Toolkit: install it, or use"
                + " GpuAttach.DEVICE_NODES");
      }
    }

    @Test
    void with_device_nodes_fails_before_creating_a_container() {
      // given
      assumeThat(Path.of("/dev/nvidia0")).as("this host has a GPU").doesNotExist();
      try (GpuContainer container = idleContainer().withGpus(GpuAttach.DEVICE_NODES)) {

        // then
        assertThatIllegalStateException().isThrownBy(container::start)
            .withMessageContaining("GpuAttach.DEVICE_NODES: no GPU device nodes (/dev/nvidia0, ...) on this host");
        assertThat(container.getContainerId()).isNull();
      }
    }
  }
}

package io.gpukit.junit;

import static io.gpukit.junit.assertions.ContainerProbeResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.gpukit.junit.image.LocalBaseImage;
import io.gpukit.junit.image.RequiresDockerEngine;
import io.gpukit.probe.ProbeExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.MountableFile;

/**
 * Which way {@link GpuContainer#probe()} takes, on real containers of a Docker engine without GPUs:
 * the image's java with the probe copied in or its own, and the image's HEALTHCHECK where it has no
 * java, built from {@link LocalBaseImage#shell()} (nothing pulled).
 */
@RequiresDockerEngine
class ProbeRouteDockerTests {

  static final Path SHELL_SERVICE = Path.of("src/test/resources/shell-service");
  private static final Path HEALTH_SERVICE = Path.of("src/test/resources/health-service");

  private static final List<String> BUILT = new ArrayList<>();
  private static String jreBase;
  private static String shellBase;
  private static Path probeJar;

  @BeforeAll
  static void import_the_base_images() {
    String jar = System.getProperty("gpukit.probe.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("no probe jar at -Dgpukit.probe.jar=" + jar + ": build it first"
          + " (./mvnw -pl gpukit-junit -am verify builds gpukit-probe's shaded jar before these tests)");
    }
    probeJar = Path.of(jar);
    jreBase = LocalBaseImage.jre().tag("gpukit-jre-base:test-" + Runtime.version().feature()).build();
    shellBase = shellBase();
  }

  /** The java-less base of the shell-service images, kept between runs like the JRE one. */
  static String shellBase() {
    return LocalBaseImage.shell().tag("gpukit-shell-base:test").build();
  }

  @AfterAll
  static void remove_the_built_images() {
    BUILT.forEach(BuiltImages::removeImage);
  }

  private static String build(Path context, String dockerfile, String base) {
    String image = BuiltImages.buildImage(context, dockerfile, Map.of("BASE", base),
        BuiltImages.imageName(ProbeRouteDockerTests.class));
    BUILT.add(image);
    return image;
  }

  @Nested
  class An_image_with_java {

    @Test
    void runs_the_copied_probe_and_says_so() {
      // given
      try (GpuContainer container = new GpuContainer(jreBase).withNetworkMode("none").withCommand("sleep", "infinity")
          .withProbeJar(probeJar)) {
        container.start();

        // when
        ProbeRoute route = container.probeRoute();
        ContainerProbeResult result = container.probe();

        // then
        assertThat(route.kind()).isEqualTo(ProbeRoute.Kind.COPIED_PROBE);
        assertThat(route.describe()).isEqualTo("probe: image's java + copied gpukit-probe.jar");
        assertThat(result).failedWith(ProbeExitCode.DRIVER_UNAVAILABLE).hasJsonLine();
        assertThat(result.route()).contains(route);
      }
    }

    @Test
    void runs_its_own_probe_when_none_is_copied_in() {
      // given the jar already in the container, as an image that ships it would have it
      try (GpuContainer container = new GpuContainer(jreBase).withNetworkMode("none").withCommand("sleep", "infinity")
          .withCopyFileToContainer(MountableFile.forHostPath(probeJar, 0644), GpuContainer.PROBE_JAR_IN_CONTAINER)) {
        container.start();

        // when
        ContainerProbeResult result = container.probe();

        // then
        assertThat(container.probeRoute().kind()).isEqualTo(ProbeRoute.Kind.IMAGE_PROBE);
        assertThat(container.probeRoute().describe()).isEqualTo("probe: image's java + its own gpukit-probe.jar");
        assertThat(result).failedWith(ProbeExitCode.DRIVER_UNAVAILABLE);
      }
    }

    @Test
    void but_no_probe_runs_its_healthcheck_instead() {
      // given an image whose HEALTHCHECK runs the probe, which nobody copied in
      String image = build(HEALTH_SERVICE, "Dockerfile", jreBase);
      try (GpuContainer container = new GpuContainer(image).withNetworkMode("none")) {
        container.start();

        // when
        ContainerProbeResult result = container.probe();

        // then
        assertThat(container.probeRoute().kind()).isEqualTo(ProbeRoute.Kind.IMAGE_HEALTHCHECK);
        assertThat(container.probeRoute().reason()).isEqualTo("no gpukit-probe.jar in the image at "
            + GpuContainer.PROBE_JAR_IN_CONTAINER + " and none copied in");
        assertThat(result.isHealthy()).isFalse();
        assertThat(result.exitCode()).isEmpty();
        assertThat(result.stderr()).contains("Unable to access jarfile");
      }
    }

    @Test
    void and_neither_a_probe_nor_a_healthcheck_fails_with_the_fix() {
      // given
      try (GpuContainer container = new GpuContainer(jreBase).withNetworkMode("none").withCommand("sleep", "infinity")) {
        container.start();

        // then
        assertThatIllegalStateException().isThrownBy(container::probe)
            .withMessageContaining("has java but no gpukit-probe.jar at " + GpuContainer.PROBE_JAR_IN_CONTAINER)
            .withMessageContaining("-Dgpukit.probe.jar=");
      }
    }
  }

  @Nested
  class An_image_without_java {

    @Test
    void runs_its_shell_healthcheck_healthy_and_failing_with_cuda_hidden() {
      // given
      String image = build(SHELL_SERVICE, "Dockerfile", shellBase);
      try (GpuContainer container = new GpuContainer(image).withNetworkMode("none").withProbeJar(probeJar)) {
        container.start();

        // when
        ProbeRoute route = container.probeRoute();
        ContainerProbeResult healthy = container.probe();
        ContainerProbeResult hidden = container.probe(Map.of("CUDA_VISIBLE_DEVICES", ""));

        // then
        assertThat(route.kind()).isEqualTo(ProbeRoute.Kind.IMAGE_HEALTHCHECK);
        assertThat(route.describe()).isEqualTo("probe: image HEALTHCHECK (no java in the image)");
        assertThat(route.command()).containsExactly("/bin/sh", "-c",
            "[ -f /tmp/ready ] && [ \"${CUDA_VISIBLE_DEVICES-unset}\" != \"\" ]");
        assertThat(healthy).isHealthy().tookRoute(ProbeRoute.Kind.IMAGE_HEALTHCHECK);
        assertThat(healthy.route()).contains(route);
        assertThat(hidden.exitStatus()).isEqualTo(1);
        assertThat(hidden.exitCode()).isEmpty();
        assertThat(ProbeVerdicts.judgeNegativeControl(hidden, Map.of("CUDA_VISIBLE_DEVICES", ""))).isEmpty();
        assertThat(ProbeVerdicts.judgeNegativeControl(healthy, Map.of("CUDA_VISIBLE_DEVICES", "")))
            .hasValueSatisfying(message -> assertThat(message).startsWith(HealthcheckProof.HEALTHCHECK_FAILURE)
                .contains("in place of the probe (no java in the image)"));
      }
    }

    @Test
    void cuts_a_healthcheck_off_at_its_timeout() {
      // given
      String image = build(SHELL_SERVICE, "Dockerfile.slow", shellBase);
      try (GpuContainer container = new GpuContainer(image).withNetworkMode("none")) {
        container.start();

        // when
        long start = System.nanoTime();
        ContainerProbeResult result = container.probe();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // then
        assertThat(result.exitStatus()).isEqualTo(-1);
        assertThat(result.stderr()).contains("did not finish within the HEALTHCHECK's timeout of 1 s");
        assertThat(took).isLessThan(Duration.ofSeconds(10));
      }
    }

    @Test
    void and_without_a_healthcheck_fails_saying_what_to_add() {
      // given
      String image = build(SHELL_SERVICE, "Dockerfile.unchecked", shellBase);
      try (GpuContainer container = new GpuContainer(image).withNetworkMode("none").withProbeJar(probeJar)) {
        container.start();

        // then
        assertThatIllegalStateException().isThrownBy(container::probeRoute)
            .withMessageStartingWith("the image '" + image + "' has no java to run gpukit-probe.jar (java -version: exit 12")
            .withMessageContaining("no HEALTHCHECK to run in its place: add a JRE to the image")
            .withMessageContaining("CUDA_VISIBLE_DEVICES=");
      }
    }
  }

  @Test
  void a_container_that_is_not_running_has_no_route() {
    // given
    try (GpuContainer container = new GpuContainer(shellBase)) {

      // then
      assertThatIllegalStateException().isThrownBy(container::probeRoute).withMessageContaining("not running");
    }
  }
}

package io.gpukit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import io.gpukit.junit.image.LocalBaseImage;
import io.gpukit.junit.image.RequiresDockerEngine;
import io.gpukit.probe.ProbeExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * {@link HealthWait} against real containers on an engine without GPUs: an image built from the
 * locally imported JRE base with a HEALTHCHECK that runs the probe must turn unhealthy in its bound.
 */
@RequiresDockerEngine
class HealthWaitDockerTests {

  private static final String PROBE_JAR_PROPERTY = "gpukit.probe.jar";
  private static final Path HEALTH_SERVICE = Path.of("src/test/resources/health-service");

  /** The same tag and recipe as LocalBaseImageTests, so one import serves both. */
  private static String baseImage;
  private static String healthImage;
  private static Path probeJar;

  @BeforeAll
  static void build_the_image_with_a_probe_healthcheck() {
    String jar = System.getProperty(PROBE_JAR_PROPERTY);
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("no probe jar at -D" + PROBE_JAR_PROPERTY + "=" + jar + ": build it first"
          + " (./mvnw -pl gpukit-junit -am verify builds gpukit-probe's shaded jar before these tests)");
    }
    probeJar = Path.of(jar);
    baseImage = LocalBaseImage.jre().tag("gpukit-jre-base:test-" + Runtime.version().feature()).build();
    healthImage = BuiltImages.buildImage(HEALTH_SERVICE, "Dockerfile", Map.of("BASE", baseImage),
        BuiltImages.imageName(HealthWaitDockerTests.class));
  }

  @AfterAll
  static void remove_the_image() {
    if (healthImage != null) {
      BuiltImages.removeImage(healthImage);
    }
  }

  private static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  @Nested
  class Reading_the_healthcheck_from_a_local_image {

    @Test
    void reads_the_command_and_the_short_timings() {
      // when
      HealthWait.Healthcheck healthcheck = HealthWait.Healthcheck.of(docker(), healthImage).orElseThrow();

      // then
      assertThat(healthcheck.test()).isEqualTo(List.of("CMD", "java", "-jar", GpuContainer.PROBE_JAR_IN_CONTAINER,
          "--timeout-ms", "4000"));
      assertThat(healthcheck.interval()).isEqualTo(Duration.ofSeconds(1));
      assertThat(healthcheck.timeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(healthcheck.startPeriod()).isZero();
      assertThat(healthcheck.retries()).isEqualTo(2);
      assertThat(healthcheck.bound()).isEqualTo(Duration.ofSeconds(2 * (1 + 5) + 5));
    }

    @Test
    void finds_none_in_the_base_image() {
      // when / then
      assertThat(HealthWait.Healthcheck.of(docker(), baseImage)).isEmpty();
    }
  }

  @Nested
  class Waiting_on_a_container_without_a_gpu {

    @Test
    void turns_unhealthy_within_the_bound_with_the_probes_exit_codes_in_the_log() {
      // given
      HealthWait.Healthcheck healthcheck = HealthWait.Healthcheck.of(docker(), healthImage).orElseThrow();
      try (GpuContainer container = new GpuContainer(healthImage).withNetworkMode("none").withProbeJar(probeJar)) {
        container.start();

        // when
        HealthWait.Outcome outcome = HealthWait.await(docker(), container.getContainerId(), healthcheck.bound());

        // then
        assertThat(outcome.unhealthy()).as(outcome.describe() + "\n" + outcome.describeLog()).isTrue();
        assertThat(outcome.healthy()).isFalse();
        assertThat(outcome.boundReached()).isFalse();
        assertThat(outcome.waited()).isLessThan(healthcheck.bound());
        assertThat(outcome.log()).hasSizeGreaterThanOrEqualTo(healthcheck.retries())
            .allSatisfy(check -> assertThat(check.exitCode()).isEqualTo(ProbeExitCode.DRIVER_UNAVAILABLE.code()));
        assertThat(outcome.describeLog()).contains("exit " + ProbeExitCode.DRIVER_UNAVAILABLE.code() + ": ",
            "DRIVER_UNAVAILABLE");
        assertThat(HealthcheckProof.judgeHealthWithGpu(outcome, healthcheck)).hasValueSatisfying(message ->
            assertThat(message).contains("did not turn healthy", "DRIVER_UNAVAILABLE"));
        assertThat(HealthcheckProof.judgeHealthWithoutGpu(outcome, Map.of("CUDA_VISIBLE_DEVICES", ""),
            healthcheck)).isEmpty();
      }
    }

    @Test
    void gives_the_last_status_when_the_bound_runs_out() {
      // given a bound shorter than one interval
      try (GpuContainer container = new GpuContainer(healthImage).withNetworkMode("none").withProbeJar(probeJar)) {
        container.start();

        // when
        HealthWait.Outcome outcome = HealthWait.await(docker(), container.getContainerId(), Duration.ofMillis(100));

        // then
        assertThat(outcome.status()).isEqualTo("starting");
        assertThat(outcome.boundReached()).isTrue();
        assertThat(outcome.describe()).endsWith("(the bound ran out)");
      }
    }
  }
}

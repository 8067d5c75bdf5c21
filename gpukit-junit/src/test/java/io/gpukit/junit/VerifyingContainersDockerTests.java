package io.gpukit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HealthCheck;
import io.gpukit.junit.image.RequiresDockerEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * The containers that verify an image's HEALTHCHECK, as the engine creates them: the image's
 * command, timeout, start period and retries at the interval in force, or the image's health config
 * untouched. The image checks every 30 s ({@code shell-service/Dockerfile.every30s}, no java).
 */
@RequiresDockerEngine
class VerifyingContainersDockerTests {

  private static final Map<String, String> CUDA_HIDDEN = Map.of("CUDA_VISIBLE_DEVICES", "");

  private static String image;
  private static HealthWait.Healthcheck imageHealthcheck;

  @BeforeAll
  static void build_the_image_that_checks_every_30_s() {
    image = BuiltImages.buildImage(ProbeRouteDockerTests.SHELL_SERVICE, "Dockerfile.every30s",
        Map.of("BASE", ProbeRouteDockerTests.shellBase()),
        BuiltImages.imageName(VerifyingContainersDockerTests.class));
    imageHealthcheck = HealthWait.Healthcheck.of(docker(), image).orElseThrow();
  }

  @AfterAll
  static void remove_the_image() {
    if (image != null) {
      BuiltImages.removeImage(image);
    }
  }

  private static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  /** Starts the CUDA-hidden container as the extension creates it, and inspects it. */
  private static InspectContainerResponse cudaHidden(HealthWait.Verification verification) {
    GpuDetection noGpu = new GpuDetection(new GpuEnvironment(true, Optional.empty(), "no GPU attached on purpose",
        List.of(), Optional.empty(), Set.of()), GpuHost.Engine.UNKNOWN, true);
    ContainerPlan plan = new ContainerPlan(image, "io.example.ServiceGpuTests", "all", noGpu, GpuHost.LOCAL,
        Optional.empty(), verification.containerConfig());
    try (GpuContainer container = plan.container("cuda-hidden", CUDA_HIDDEN)) {
      container.start();
      return docker().inspectContainerCmd(container.getContainerId()).exec();
    }
  }

  @Nested
  class With_the_default_interval {

    @Test
    void run_the_images_command_timeout_and_retries_every_second() {
      // given
      HealthWait.Verification verification = HealthWait.Verification.of(imageHealthcheck,
          Optional.of(HealthWait.DEFAULT_VERIFICATION_INTERVAL), "the default");

      // when
      InspectContainerResponse inspected = cudaHidden(verification);

      // then
      HealthCheck config = inspected.getConfig().getHealthcheck();
      assertThat(config.getTest()).isEqualTo(imageHealthcheck.test()).first().isEqualTo("CMD-SHELL");
      assertThat(config.getInterval()).isEqualTo(Duration.ofSeconds(1).toNanos());
      assertThat(config.getTimeout()).isEqualTo(Duration.ofSeconds(5).toNanos());
      assertThat(config.getRetries()).isEqualTo(2);
      // The engine leaves a start period of 0 out.
      assertThat(Optional.ofNullable(config.getStartPeriod()).orElse(0L)).isZero();
      assertThat(inspected.getConfig().getLabels()).containsEntry(GpuContainerExtension.ROLE_LABEL, "cuda-hidden")
          .containsEntry(GpuContainerExtension.TEST_CLASS_LABEL, "io.example.ServiceGpuTests")
          .containsEntry(GpuContainer.SESSION_LABEL, SessionCleanup.ID);
      assertThat(inspected.getConfig().getEnv()).contains("CUDA_VISIBLE_DEVICES=");
    }
  }

  @Nested
  class With_image_asked_for {

    @Test
    void keep_the_images_health_config_as_it_is() {
      // given
      HealthWait.Verification verification = HealthWait.Verification.of(imageHealthcheck, Optional.empty(),
          "-Dgpukit.healthcheck.interval=image");

      // when
      InspectContainerResponse inspected = cudaHidden(verification);

      // then
      HealthCheck config = inspected.getConfig().getHealthcheck();
      HealthCheck imageConfig = docker().inspectImageCmd(image).exec().getConfig().getHealthcheck();
      assertThat(config).isEqualTo(imageConfig);
      assertThat(config.getInterval()).isEqualTo(Duration.ofSeconds(30).toNanos());
    }
  }
}

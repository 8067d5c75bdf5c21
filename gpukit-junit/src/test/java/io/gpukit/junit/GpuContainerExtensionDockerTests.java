package io.gpukit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Image;
import io.gpukit.junit.image.LocalBaseImage;
import io.gpukit.junit.image.RequiresDockerEngine;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.testcontainers.DockerClientFactory;

/** {@link GpuContainerTest}'s Docker side on an engine without GPUs: the build, and what is left after. */
@RequiresDockerEngine
class GpuContainerExtensionDockerTests {

  private static final String BASE_IMAGE_PARAMETER = "gpukit.test.base.image";
  private static final Path CPU_SERVICE = Path.of("src/test/resources/cpu-service");

  /** The same tag and recipe as LocalBaseImageTests, so one import serves both. */
  private static String baseImage;

  @BeforeAll
  static void import_the_base_image() {
    baseImage = LocalBaseImage.jre().tag("gpukit-jre-base:test-" + Runtime.version().feature()).build();
  }

  private static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  private static List<String> builtImages(Class<?> testClass) {
    String repository = GpuContainerExtension.BUILT_IMAGE_REPOSITORY_PREFIX
        + testClass.getSimpleName().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return docker().listImagesCmd().exec().stream().map(Image::getRepoTags).filter(tags -> tags != null)
        .flatMap(Arrays::stream).filter(tag -> tag.startsWith(repository + ":")).toList();
  }

  @Nested
  class Building_the_image {

    @Test
    void applies_the_build_arguments_without_network_or_pulls_and_is_removed_after() {
      // given
      String name = GpuContainerExtension.imageName(GpuContainerExtensionDockerTests.class);

      // when
      String built = GpuContainerExtension.buildImage(CPU_SERVICE, "Dockerfile",
          Map.of("BASE", baseImage, "GREETING", "hello"), name);
      String greeting;
      try {
        greeting = docker().inspectImageCmd(built).exec().getConfig().getLabels().get("io.gpukit.test.greeting");
      } finally {
        GpuContainerExtension.removeImage(built);
      }

      // then
      assertThat(built).isEqualTo(name);
      assertThat(greeting).isEqualTo("hello");
      assertThat(builtImages(GpuContainerExtensionDockerTests.class)).isEmpty();
    }
  }

  @Nested
  class A_class_whose_container_cannot_start {

    @Test
    void fails_with_the_fix_and_leaves_no_image_or_container_behind() {
      // given an engine without the NVIDIA Container Toolkit, and TOOLKIT asked for
      assumeThat(docker().infoCmd().exec().getRuntimes())
          .as("this engine has the NVIDIA runtime; the no-toolkit error cannot happen here")
          .doesNotContainKey("nvidia");
      int containersBefore = docker().listContainersCmd().withShowAll(true).exec().size();
      GpuContainerExtension.TEST_SEAMS.set(new GpuContainerExtension.Seams(() -> true, FakeHost.empty(),
          () -> GpuHost.Engine.UNKNOWN));
      Events containers;
      try {
        // when
        containers = EngineTestKit.engine("junit-jupiter")
            .configurationParameter(BASE_IMAGE_PARAMETER, baseImage)
            .selectors(selectClass(ToolkitTestCases.class)).execute().containerEvents();
      } finally {
        GpuContainerExtension.TEST_SEAMS.remove();
      }

      // then
      assertThat(containers.failed().stream()
          .map(event -> event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable))
          .map(failure -> failure.map(Throwable::getMessage).orElse("")))
          .singleElement().asString().startsWith(GpuContainer.NO_TOOLKIT_EXPLANATION);
      assertThat(builtImages(ToolkitTestCases.class)).isEmpty();
      assertThat(docker().listContainersCmd().withShowAll(true).exec()).hasSize(containersBefore);
    }
  }

  @GpuContainerTest(context = "src/test/resources/cpu-service", buildArgs = "BASE=${gpukit.test.base.image}",
      attach = GpuAttach.TOOLKIT)
  static class ToolkitTestCases {

    @Test
    void never_runs(GpuContainer container) {
      throw new AssertionError("the container cannot have started");
    }
  }
}

package io.gpukit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.github.dockerjava.api.model.Container;
import io.gpukit.junit.image.RequiresDockerEngine;
import io.gpukit.probe.ProbeExitCode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.testcontainers.DockerClientFactory;

/**
 * On a GPU host, the class of {@link GpuContainerTestGpuTests} fails as it should when the GPU is
 * not attached: run with {@code -Dgpukit.gpu.attach=none} and {@code -Dgpukit.gpu.required=true},
 * its container starts without the GPU and the probe fails the class, saying what is missing,
 * before any test runs. Its twin without a GPU runs in CI
 * ({@code GpuContainerExtensionDockerTests.With_no_gpu_attached_on_purpose}).
 */
@Tag("gpu")
@RequiresDockerEngine
@EnabledIf(
    value = "io.gpukit.junit.GpuContainerGpuTests#a_gpu_host_or_required",
    disabledReason = "this host has no NVIDIA GPU (/dev/nvidiactl) or no CUDA test image (-Dgpukit.test.cuda.image);"
        + " these tests run on a GPU runner, where -Dgpukit.gpu.required=true makes a missing GPU a failure")
class GpuNotAttachedGpuTests {

  @Test
  void the_class_fails_saying_the_gpu_is_missing(TestReporter reporter) {
    // given
    String image = Objects.requireNonNull(System.getProperty(GpuContainerGpuTests.IMAGE_PROPERTY),
        "-D" + GpuContainerGpuTests.IMAGE_PROPERTY + " names the CUDA test image");
    String probeJar = Objects.requireNonNull(System.getProperty(GpuContainerExtension.PROBE_JAR_PARAMETER),
        "-D" + GpuContainerExtension.PROBE_JAR_PARAMETER + " names gpukit-probe.jar");

    // when
    Events events = EngineTestKit.engine("junit-jupiter")
        .configurationParameters(Map.of(
            GpuContainerExtension.ATTACH_PARAMETER, "none",
            GpuContainerExtension.REQUIRED_PARAMETER, "true",
            GpuContainerGpuTests.IMAGE_PROPERTY, image,
            GpuContainerExtension.PROBE_JAR_PARAMETER, probeJar))
        .selectors(selectClass(NotAttachedTestCases.class)).execute().allEvents();
    List<String> failures = events.failed().stream()
        .map(event -> event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable))
        .map(failure -> failure.map(Throwable::toString).orElse("")).toList();
    failures.forEach(failure -> reporter.publishEntry("gpukit.not-attached.failure", failure));
    List<Container> left = DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(GpuContainer.SESSION_LABEL, SessionCleanup.ID)).exec();

    // then
    assertThat(failures).singleElement().asString()
        .startsWith("java.lang.AssertionError: the probe in the container is not healthy (exit ")
        .containsAnyOf(ProbeExitCode.DRIVER_UNAVAILABLE.name(), ProbeExitCode.NO_CUDA_DEVICE.name())
        .contains("[probe: image's java + copied gpukit-probe.jar]", GpuContainerExtension.WITHOUT_GPU_NOTE);
    assertThat(events.started().stream().filter(event -> event.getTestDescriptor().isTest())).isEmpty();
    assertThat(left).isEmpty();
  }

  /**
   * The GPU class as a GPU runner has it; run alone with {@code -Dgpukit.gpu.attach=none} it must
   * fail (the bench script does so, to show the message as a user sees it).
   */
  @GpuContainerTest(context = "src/test/resources/gpu-service", buildArgs = "BASE=${gpukit.test.cuda.image}")
  static class NotAttachedTestCases {

    @Test
    void never_runs_without_the_gpu(GpuContainer container) {
      throw new AssertionError("the class must have failed before its tests: " + container.probeRoute());
    }
  }
}

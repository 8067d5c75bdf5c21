package io.gpukit.junit.assertions;

import static io.gpukit.junit.assertions.GpuKitJUnitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static io.gpukit.junit.assertions.error.ShouldHavePassedCheck.shouldHaveRunCheck;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.gpukit.core.assertions.GpuKitSoftAssertions;
import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.junit.ContainerProbeResult;
import io.gpukit.junit.GpuContainer;
import io.gpukit.junit.GpuContainerTest;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The soft form of every gpukit assertion, alone and through AssertJ's JUnit 5 extension. */
class GpuKitJUnitSoftAssertionsTests {

  static final String NO_DEVICE_LINE = "{\"status\":\"NO_CUDA_DEVICE\",\"code\":11,\"checks\":["
      + "{\"name\":\"cuda.devices\",\"ok\":false,\"micros\":300,\"detail\":\"CUDA sees 0 devices\"}]}";

  static final String ROOT = "FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04\nENTRYPOINT [\"/app/server\"]\n";

  @Nested
  class Alone {

    @Test
    void collects_the_probe_its_checks_and_the_core_assertions() {
      // given
      GpuKitJUnitSoftAssertions softly = new GpuKitJUnitSoftAssertions();
      ContainerProbeResult noDevice = ContainerProbeResult.parse(11, NO_DEVICE_LINE, "");

      // when
      softly.assertThat(noDevice).isHealthy().check("cuda.devices").passed();
      softly.assertThat(noDevice).check("tensor.roundtrip").tookLessThan(Duration.ofMillis(5));
      softly.assertThat(Dockerfile.parse(Path.of("Dockerfile"), ROOT)).finalStage().runsAsNonRoot();

      // then: not healthy, the check failed, the check that did not run, what ran on it, root
      List<Throwable> errors = softly.errorsCollected();
      assertThat(errors).hasSize(5);
      assertThat(errors.get(2).getMessage()).startsWith(shouldHaveRunCheck(noDevice, "tensor.roundtrip").create());
    }
  }

  @Nested
  class With_the_junit_extension {

    @Test
    void reports_every_failure_of_the_test_at_its_end() {
      // when
      var events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(SoftTestCases.class)).execute()
          .testEvents();

      // then
      events.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
      events.assertThatEvents().haveExactly(1, event(test("two_failures"),
          finishedWithFailure(message(m -> m.contains("Multiple Failures (2 failures)")
              && m.contains("to be healthy (exit 0)") && m.contains("to run as a non-root user")))));
    }
  }

  /** Run by the test kit above, not on their own. */
  @ExtendWith(SoftAssertionsExtension.class)
  static class SoftTestCases {

    @InjectSoftAssertions GpuKitJUnitSoftAssertions softly;
    @InjectSoftAssertions GpuKitSoftAssertions coreOnly;

    @Test
    void two_failures() {
      softly.assertThat(ContainerProbeResult.parse(11, NO_DEVICE_LINE, "")).isHealthy();
      coreOnly.assertThat(Dockerfile.parse(Path.of("Dockerfile"), ROOT)).finalStage().runsAsNonRoot();
    }

    @Test
    void none() {
      softly.assertThat(ContainerProbeResult.parse(11, NO_DEVICE_LINE, "")).hasJsonLine();
      softly.assertThat(List.of("standard", "assertions")).contains("standard");
    }
  }

  /** The README's example (there named ServiceGpuTests), compiled here and never run: it needs a GPU host. */
  @GpuContainerTest(dockerfile = "Dockerfile", context = ".")
  static class ReadmeServiceGpu {

    @Test
    void the_image_and_the_gpu(GpuContainer container) {
      assertThat(Dockerfile.parse(Path.of("Dockerfile"))).finalStage().runsAsNonRoot();
      assertThat(container.probe()).isHealthy();
    }
  }

  /** The README's soft example (there named ServiceGpuSoftTests), compiled here and never run. */
  @GpuContainerTest(dockerfile = "Dockerfile", context = ".")
  @ExtendWith(SoftAssertionsExtension.class)
  static class ReadmeServiceGpuSoft {

    @InjectSoftAssertions GpuKitJUnitSoftAssertions softly;

    @Test
    void everything_that_is_wrong_at_once(GpuContainer container) {
      softly.assertThat(Dockerfile.parse(Path.of("Dockerfile"))).finalStage().runsAsNonRoot().hasGpuAwareHealthcheck();
      softly.assertThat(container.probe()).isHealthy().check("tensor.roundtrip").tookLessThan(Duration.ofMillis(50));
    }
  }
}

package io.gpukit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedClass;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Every branch of {@link GpuContainerTest}'s condition, on fake hosts, through JUnit's EngineTestKit. */
class GpuContainerExtensionTests {

  /** Counts test bodies and parameter resolutions that must never happen. */
  static final AtomicInteger RAN = new AtomicInteger();

  private static final GpuDetection.Seams NO_GPU = new GpuDetection.Seams(() -> DockerStatus.ANSWERS,
      FakeHost.empty(), () -> GpuHost.Engine.UNKNOWN);
  private static final GpuDetection.Seams NO_DOCKER = new GpuDetection.Seams(() -> DockerStatus.unusable(DockerStatus.NO_ENGINE),
      FakeHost.withTwoGpus(), () -> GpuHost.Engine.UNKNOWN);

  @AfterEach
  void forget_the_runs() {
    RAN.set(0);
  }

  @Nested
  class On_a_host_without_a_gpu {

    @Test
    void skip_skips_the_class_with_what_is_missing_and_the_fix() {
      // when
      Events containers = run(WithoutGpu.SkipTestCases.class, Map.of(GpuContainerExtension.REQUIRED_PARAMETER, "false"))
          .containerEvents();

      // then
      assertThat(containers.failed().count()).isZero();
      assertThat(skipReasons(containers)).singleElement().asString()
          .contains("no GPU can be attached", "no GPU device nodes", "nvidia-smi", "whenNoGpu = SKIP");
      assertThat(RAN).hasValue(0);
    }

    @Test
    void fail_is_the_default_and_fails_the_class_with_the_fix() {
      // when
      Events containers = run(WithoutGpu.FailTestCases.class, Map.of()).containerEvents();

      // then
      assertThat(failures(containers)).singleElement().satisfies(failure -> {
        assertThat(failure).isInstanceOf(IllegalStateException.class);
        assertThat(failure.getMessage()).contains("no GPU can be attached", "nvidia-smi",
            "whenNoGpu = WhenNoGpu.SKIP", "'gpu' tag");
      });
      assertThat(RAN).hasValue(0);
    }

    @Test
    void the_required_property_turns_skip_into_a_failure() {
      // when
      Events containers = run(WithoutGpu.SkipTestCases.class, Map.of(GpuContainerExtension.REQUIRED_PARAMETER, "true"))
          .containerEvents();

      // then
      assertThat(containers.skipped().count()).isZero();
      assertThat(failures(containers)).singleElement().extracting(Throwable::getMessage).asString()
          .contains("no GPU can be attached", "-Dgpukit.gpu.required=true makes this a failure");
      assertThat(RAN).hasValue(0);
    }

    @Test
    void a_meta_annotation_works_like_the_annotation() {
      // when
      Events containers = run(WithoutGpu.MetaAnnotatedTestCases.class,
          Map.of(GpuContainerExtension.REQUIRED_PARAMETER, "false")).containerEvents();

      // then
      assertThat(skipReasons(containers)).singleElement().asString().contains("no GPU can be attached");
      assertThat(RAN).hasValue(0);
    }

    @Test
    void a_subclass_inherits_the_annotation() {
      // when
      Events containers = run(WithoutGpu.InheritingTestCases.class,
          Map.of(GpuContainerExtension.REQUIRED_PARAMETER, "false")).containerEvents();

      // then
      assertThat(skipReasons(containers)).singleElement().asString().contains("no GPU can be attached");
    }

    @Test
    void device_nodes_asked_for_explicitly_are_missing_too() {
      // when
      Events containers = run(WithoutGpu.DeviceNodesTestCases.class, Map.of()).containerEvents();

      // then
      assertThat(failures(containers)).singleElement().extracting(Throwable::getMessage).asString()
          .contains("GpuAttach.DEVICE_NODES: no GPU device nodes");
    }
  }

  @Nested
  class Without_a_docker_engine {

    @Test
    void fails_saying_docker_is_missing_even_with_gpus() {
      // when
      Events containers = run(WithoutDocker.FailTestCases.class, Map.of()).containerEvents();

      // then
      assertThat(failures(containers)).singleElement().extracting(Throwable::getMessage).asString()
          .contains("no Docker engine answers", "start Docker");
    }

    @Test
    void skip_skips_with_that_reason() {
      // when
      Events containers = run(WithoutDocker.SkipTestCases.class, Map.of(GpuContainerExtension.REQUIRED_PARAMETER, "false"))
          .containerEvents();

      // then
      assertThat(skipReasons(containers)).singleElement().asString().contains("no Docker engine answers");
    }
  }

  @Nested
  class The_attach_override {

    @Test
    void replaces_the_annotations_strategy() {
      // when
      Events containers = run(WithoutGpu.FailTestCases.class, Map.of(GpuContainerExtension.ATTACH_PARAMETER, "device-nodes"))
          .containerEvents();

      // then
      assertThat(failures(containers)).singleElement().extracting(Throwable::getMessage).asString()
          .startsWith("no GPU can be attached: GpuAttach.DEVICE_NODES: no GPU device nodes");
    }

    @Test
    void none_still_needs_docker() {
      // when
      Events failing = run(WithoutDocker.FailTestCases.class, Map.of(GpuContainerExtension.ATTACH_PARAMETER, "none"))
          .containerEvents();
      Events skipped = run(WithoutDocker.SkipTestCases.class, Map.of(GpuContainerExtension.ATTACH_PARAMETER, "NONE",
          GpuContainerExtension.REQUIRED_PARAMETER, "false")).containerEvents();

      // then
      assertThat(failures(failing)).singleElement().extracting(Throwable::getMessage).asString()
          .startsWith("no Docker engine answers");
      assertThat(skipReasons(skipped)).singleElement().asString().startsWith("no Docker engine answers");
      assertThat(RAN).hasValue(0);
    }

    @Test
    void that_names_no_strategy_fails_even_a_class_that_would_be_skipped() {
      // when
      Events containers = run(WithoutGpu.SkipTestCases.class, Map.of(GpuContainerExtension.ATTACH_PARAMETER, "gpus",
          GpuContainerExtension.REQUIRED_PARAMETER, "false")).containerEvents();

      // then
      assertThat(failures(containers)).singleElement().satisfies(failure -> {
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
        assertThat(failure.getMessage()).isEqualTo("-Dgpukit.gpu.attach=gpus is none of auto, toolkit, cdi, device_nodes"
            + " and none");
      });
    }

    @Test
    void parses_every_strategy_and_none_and_leaves_blank_unset() {
      // when / then
      assertThat(GpuDetection.AttachOverride.parse(java.util.Optional.of(" Toolkit ")))
          .contains(new GpuDetection.AttachOverride(java.util.Optional.of(GpuAttach.TOOLKIT)));
      assertThat(GpuDetection.AttachOverride.parse(java.util.Optional.of("none")))
          .contains(new GpuDetection.AttachOverride(java.util.Optional.empty()));
      assertThat(GpuDetection.AttachOverride.parse(java.util.Optional.of(" "))).isEmpty();
      assertThat(GpuDetection.AttachOverride.parse(java.util.Optional.empty())).isEmpty();
    }
  }

  @Nested
  class Misuse {

    @Test
    void a_missing_dockerfile_without_an_image_names_the_fix() {
      // when
      Events containers = run(WithoutGpu.MissingDockerfileTestCases.class,
          Map.of(GpuContainerExtension.REQUIRED_PARAMETER, "false")).containerEvents();

      // then even where the class would be skipped
      assertThat(failures(containers)).singleElement().satisfies(failure -> {
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
        assertThat(failure.getMessage()).contains("no Dockerfile at", "no/such/Dockerfile", "set image");
      });
    }

    @Test
    void a_build_argument_must_be_key_equals_value() {
      // when
      Events containers = run(WithoutGpu.BadBuildArgTestCases.class, Map.of()).containerEvents();

      // then
      assertThat(failures(containers)).singleElement().satisfies(failure -> {
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
        assertThat(failure.getMessage()).contains("'VERSION' is not KEY=VALUE");
      });
    }

    @Test
    void a_healthcheck_interval_parameter_that_is_no_duration_fails_even_a_class_that_would_be_skipped() {
      // when
      Events containers = run(WithoutGpu.SkipTestCases.class, Map.of(
          GpuContainerExtension.HEALTHCHECK_INTERVAL_PARAMETER, "fast",
          GpuContainerExtension.REQUIRED_PARAMETER, "false")).containerEvents();

      // then
      assertThat(failures(containers)).singleElement().satisfies(failure -> {
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
        assertThat(failure.getMessage()).isEqualTo("-Dgpukit.healthcheck.interval=fast is not a duration: write it like"
            + " 1s, 500ms or 1.5s (ms, s or m), or image to keep the image's HEALTHCHECK timing");
      });
      assertThat(RAN).hasValue(0);
    }

    @Test
    void a_healthcheck_interval_under_a_millisecond_names_the_class_and_the_fix() {
      // when
      Events containers = run(WithoutGpu.TooFastHealthcheckTestCases.class, Map.of()).containerEvents();

      // then
      assertThat(failures(containers)).singleElement().satisfies(failure -> {
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
        assertThat(failure.getMessage()).startsWith("@GpuContainerTest on " + WithoutGpu.TooFastHealthcheckTestCases.class.getName()
            + ": healthcheckInterval = \"0s\" is shorter than 1 ms, the shortest HEALTHCHECK interval Docker accepts");
      });
    }

    @Test
    void gpus_must_be_all_a_count_or_ids() {
      // when
      Events containers = run(WithoutGpu.BadGpusTestCases.class, Map.of()).containerEvents();

      // then
      assertThat(failures(containers)).singleElement().isInstanceOf(ExtensionConfigurationException.class);
    }
  }

  @Nested
  class The_healthcheck_interval {

    @Test
    void is_1_s_by_default_with_the_way_back_to_the_images_timing() {
      // when
      IntervalChoice choice = IntervalChoice.of("", Optional.empty(), "on: ");

      // then
      assertThat(choice.interval()).contains(Duration.ofSeconds(1));
      assertThat(choice.origin()).isEqualTo("the default; -Dgpukit.healthcheck.interval=image keeps the image's");
    }

    @Test
    void the_parameter_sets_it_for_the_run() {
      // when
      IntervalChoice shorter = IntervalChoice.of("",
          Optional.of("500ms"), "on: ");
      IntervalChoice image = IntervalChoice.of("", Optional.of("image"),
          "on: ");
      IntervalChoice blank = IntervalChoice.of("", Optional.of(" "),
          "on: ");

      // then
      assertThat(shorter).isEqualTo(new IntervalChoice(Optional.of(Duration.ofMillis(500)),
          "-Dgpukit.healthcheck.interval=500ms"));
      assertThat(image).isEqualTo(new IntervalChoice(Optional.empty(),
          "-Dgpukit.healthcheck.interval=image"));
      assertThat(blank).isEqualTo(IntervalChoice.DEFAULT);
    }

    @Test
    void the_annotation_sets_it_for_its_class_over_the_parameter() {
      // when
      IntervalChoice choice = IntervalChoice.of("image",
          Optional.of("500ms"), "on: ");

      // then
      assertThat(choice).isEqualTo(new IntervalChoice(Optional.empty(),
          "healthcheckInterval = \"image\""));
    }
  }

  @Nested
  class The_checks_after_the_start {

    @Test
    void a_healthy_probe_passes_and_an_unhealthy_one_fails_with_its_json() {
      // given
      ContainerProbeResult healthy = ContainerProbeResult.parse(0, "{\"status\":\"HEALTHY\",\"exit_code\":0}\n", "");
      ContainerProbeResult noDriver = ContainerProbeResult.parse(10, "{\"status\":\"DRIVER_UNAVAILABLE\",\"exit_code\":10}\n", "");

      // when / then
      assertThat(ProbeVerdicts.judgeProbe(healthy)).isEmpty();
      assertThat(ProbeVerdicts.judgeProbe(noDriver)).hasValueSatisfying(message ->
          assertThat(message).contains("not healthy", "exit 10", "DRIVER_UNAVAILABLE"));
    }

    @Test
    void the_negative_control_must_fail() {
      // given
      Map<String, String> hidden = ProbeVerdicts.hiddenGpuEnvironment(GpuAttach.DEVICE_NODES);
      ContainerProbeResult stillPasses = ContainerProbeResult.parse(0, "{\"status\":\"HEALTHY\",\"exit_code\":0}\n", "");
      ContainerProbeResult noticed = ContainerProbeResult.parse(11, "{\"status\":\"NO_CUDA_DEVICE\",\"exit_code\":11}\n", "");

      // when / then
      assertThat(ProbeVerdicts.judgeNegativeControl(noticed, hidden)).isEmpty();
      assertThat(ProbeVerdicts.judgeNegativeControl(stillPasses, hidden)).hasValueSatisfying(message ->
          assertThat(message).startsWith(ProbeVerdicts.NEGATIVE_CONTROL_FAILURE).contains("11"));
    }

    @Test
    void a_healthcheck_run_in_place_of_the_probe_is_judged_by_its_exit_code() {
      // given
      ProbeRoute route = new ProbeRoute(ProbeRoute.Kind.IMAGE_HEALTHCHECK, List.of("/bin/sh", "-c", "check"),
          "no java in the image");
      Map<String, String> hidden = Map.of("CUDA_VISIBLE_DEVICES", "");

      // when / then
      assertThat(ProbeVerdicts.judgeProbe(ContainerProbeResult.ofHealthcheck(0, "", "", route))).isEmpty();
      assertThat(ProbeVerdicts.judgeProbe(ContainerProbeResult.ofHealthcheck(3, "", "no model loaded", route)))
          .contains("the image's HEALTHCHECK, run in the container in place of the probe (no java in the image), is not"
              + " healthy (exit 3): stdout: (empty); stderr: no model loaded [[/bin/sh, -c, check]]");
      assertThat(ProbeVerdicts.judgeNegativeControl(ContainerProbeResult.ofHealthcheck(1, "", "", route), hidden))
          .isEmpty();
      assertThat(ProbeVerdicts.judgeNegativeControl(ContainerProbeResult.ofHealthcheck(0, "", "", route), hidden))
          .contains(HealthcheckProof.HEALTHCHECK_FAILURE + ": run in the container in place of the probe (no java"
              + " in the image) with {CUDA_VISIBLE_DEVICES=}, [/bin/sh, -c, check] still exited 0 (it must exit non-zero"
              + " when CUDA sees no GPU): stdout: (empty); stderr: (empty)");
    }

    @Test
    void the_timings_name_each_step_and_the_total() {
      // given
      SetUpTimings timings = new SetUpTimings();

      // when
      String image = timings.time("image", () -> "svc:1");
      timings.note("image", "shared");
      timings.time("probe", () -> null);

      // then
      assertThat(image).isEqualTo("svc:1");
      assertThat(timings.toString()).matches("image=0\\.\\d\\ds\\(shared\\) probe=0\\.\\d\\ds total=\\d+\\.\\d\\ds");
    }

    @Test
    void a_built_image_is_named_after_its_folder_this_session_and_its_build() {
      // when
      String name = BuiltImages.imageName(java.nio.file.Path.of("/src/GPU_Service"), "key");
      String other = BuiltImages.imageName(java.nio.file.Path.of("/src/GPU_Service"), "other key");

      // then
      assertThat(name).matches("gpukit-junit/gpu-service:" + SessionCleanup.ID.substring(0, 8) + "-[0-9a-f]{8}-[0-9]+");
      assertThat(other).startsWith("gpukit-junit/gpu-service:").isNotEqualTo(name);
      assertThat(BuiltImages.imageName(java.nio.file.Path.of("/src/GPU_Service"), "key")).isNotEqualTo(name)
          .startsWith(name.substring(0, name.lastIndexOf('-')));
    }

    @Test
    void the_toolkit_also_gets_the_void_visible_devices() {
      // when / then
      assertThat(ProbeVerdicts.hiddenGpuEnvironment(GpuAttach.TOOLKIT))
          .containsEntry("CUDA_VISIBLE_DEVICES", "").containsEntry("NVIDIA_VISIBLE_DEVICES", "void");
      assertThat(ProbeVerdicts.hiddenGpuEnvironment(GpuAttach.CDI))
          .containsOnlyKeys("CUDA_VISIBLE_DEVICES");
    }

    @Test
    void placeholders_resolve_from_parameters_or_name_the_missing_one() {
      // when / then
      assertThat(ClassConfiguration.resolve("${img}-x", Map.of("img", "cuda:13")::get, "image"))
          .isEqualTo("cuda:13-x");
      assertThatThrownBy(() -> ClassConfiguration.resolve("${img}", name -> null, "image"))
          .isInstanceOf(ExtensionConfigurationException.class).hasMessageContaining("-Dimg=");
    }
  }

  /** Runs test cases nested in a class whose extension, built on fake seams, JUnit uses instead of its own. */
  private static EngineExecutionResults run(Class<?> nestedTestCases, Map<String, String> parameters) {
    return EngineTestKit.engine("junit-jupiter").configurationParameters(parameters)
        .selectors(selectNestedClass(List.of(nestedTestCases.getEnclosingClass()), nestedTestCases)).execute();
  }

  private static List<String> skipReasons(Events containers) {
    return containers.skipped().stream().map(event -> event.getPayload(String.class).orElse("")).toList();
  }

  private static List<Throwable> failures(Events containers) {
    return containers.failed().stream()
        .map(event -> event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElseThrow())
        .toList();
  }

  /**
   * Test cases on a host where Docker answers and no GPU is. JUnit registers an extension type once
   * per class tree, so the nested classes use this instance instead of creating their own.
   */
  static class WithoutGpu {

    @RegisterExtension
    static final GpuContainerExtension EXTENSION = new GpuContainerExtension(NO_GPU);

    @Nested
    @GpuContainerTest(image = "gpukit-never-started:0", whenNoGpu = WhenNoGpu.SKIP)
    class SkipTestCases {

      @Test
      void never_runs(GpuEnvironment environment, GpuContainer container) {
        RAN.incrementAndGet();
      }
    }

    @Nested
    @GpuContainerTest(image = "gpukit-never-started:0")
    class FailTestCases {

      @Test
      void never_runs(GpuContainer container) {
        RAN.incrementAndGet();
      }
    }

    @Nested
    @GpuContainerTest(image = "gpukit-never-started:0", attach = GpuAttach.DEVICE_NODES)
    class DeviceNodesTestCases {

      @Test
      void never_runs() {
        RAN.incrementAndGet();
      }
    }

    @Nested
    @SkippingGpuTest
    class MetaAnnotatedTestCases {

      @Test
      void never_runs(GpuEnvironment environment) {
        RAN.incrementAndGet();
      }
    }

    @Nested
    class InheritingTestCases extends SkipTestCases {
    }

    @Nested
    @GpuContainerTest(dockerfile = "no/such/Dockerfile", whenNoGpu = WhenNoGpu.SKIP)
    class MissingDockerfileTestCases {

      @Test
      void never_runs() {
        RAN.incrementAndGet();
      }
    }

    @Nested
    @GpuContainerTest(context = "src/test/resources/gpu-service", buildArgs = "VERSION")
    class BadBuildArgTestCases {

      @Test
      void never_runs() {
        RAN.incrementAndGet();
      }
    }

    @Nested
    @GpuContainerTest(image = "gpukit-never-started:0", healthcheckInterval = "0s")
    class TooFastHealthcheckTestCases {

      @Test
      void never_runs() {
        RAN.incrementAndGet();
      }
    }

    @Nested
    @GpuContainerTest(image = "gpukit-never-started:0", gpus = "none")
    class BadGpusTestCases {

      @Test
      void never_runs() {
        RAN.incrementAndGet();
      }
    }
  }

  /** Test cases on a host with two GPUs and no Docker engine answering. */
  static class WithoutDocker {

    @RegisterExtension
    static final GpuContainerExtension EXTENSION = new GpuContainerExtension(NO_DOCKER);

    @Nested
    @GpuContainerTest(image = "gpukit-never-started:0", whenNoGpu = WhenNoGpu.SKIP)
    class SkipTestCases {

      @Test
      void never_runs(GpuEnvironment environment, GpuContainer container) {
        RAN.incrementAndGet();
      }
    }

    @Nested
    @GpuContainerTest(image = "gpukit-never-started:0")
    class FailTestCases {

      @Test
      void never_runs(GpuContainer container) {
        RAN.incrementAndGet();
      }
    }
  }

  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @GpuContainerTest(image = "gpukit-never-started:0", whenNoGpu = WhenNoGpu.SKIP)
  @interface SkippingGpuTest {
  }
}

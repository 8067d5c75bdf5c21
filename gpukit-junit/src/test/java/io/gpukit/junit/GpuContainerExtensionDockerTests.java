package io.gpukit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedClass;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Image;
import io.gpukit.junit.image.LocalBaseImage;
import io.gpukit.junit.image.RequiresDockerEngine;
import io.gpukit.probe.ProbeExitCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;
import org.testcontainers.DockerClientFactory;

/**
 * {@link GpuContainerTest}'s Docker side on an engine without GPUs: the build, what is left after,
 * and whole classes run with no GPU attached ({@code -Dgpukit.gpu.attach=none}) through each probe
 * route, the image's HEALTHCHECK where it has no java included.
 */
@RequiresDockerEngine
class GpuContainerExtensionDockerTests {

  private static final String BASE_IMAGE_PARAMETER = "gpukit.test.base.image";
  private static final String SHELL_IMAGE_PARAMETER = "gpukit.test.shell.image";
  private static final Path CPU_SERVICE = Path.of("src/test/resources/cpu-service");

  /** The same tag and recipe as LocalBaseImageTests, so one import serves both. */
  private static String baseImage;
  private static String shellImage;

  /** The route of the container a test-case class was given, for the assertions after its run. */
  static final AtomicReference<ProbeRoute> INJECTED = new AtomicReference<>();
  /** The roles of the containers labelled with that class while its test ran. */
  static final AtomicReference<List<String>> ROLES = new AtomicReference<>();
  /** The health config the engine created that class's service container with. */
  static final AtomicReference<HealthCheck> HEALTH_CONFIG = new AtomicReference<>();
  private static final String SHELL_CHECK = "[ -f /tmp/ready ] && [ \"${CUDA_VISIBLE_DEVICES-unset}\" != \"\" ]";
  private static final Pattern AFTER = Pattern.compile("^\\w+ after ([0-9.]+) s");

  @BeforeAll
  static void import_the_base_images() {
    baseImage = LocalBaseImage.jre().tag("gpukit-jre-base:test-" + Runtime.version().feature()).build();
    shellImage = ProbeRouteDockerTests.shellBase();
  }

  private static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  private static List<String> builtImages(Class<?> testClass) {
    String repository = BuiltImages.BUILT_IMAGE_REPOSITORY_PREFIX
        + testClass.getSimpleName().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return docker().listImagesCmd().exec().stream().map(Image::getRepoTags).filter(tags -> tags != null)
        .flatMap(Arrays::stream).filter(tag -> tag.startsWith(repository + ":")).toList();
  }

  /** The images and containers of this JVM's session, found by their label. */
  static List<String> leftBySession() {
    Map<String, String> label = Map.of(GpuContainer.SESSION_LABEL, SessionCleanup.ID);
    List<String> left = new java.util.ArrayList<>();
    docker().listContainersCmd().withShowAll(true).withLabelFilter(label).exec().stream().map(Container::getId)
        .forEach(id -> left.add("container " + id));
    docker().listImagesCmd().withLabelFilter(label).exec().stream()
        .map(image -> "image " + (image.getRepoTags() == null ? image.getId() : Arrays.toString(image.getRepoTags())))
        .forEach(left::add);
    return left;
  }

  /** Runs a test-case class with no GPU attached, the base images and the probe jar as parameters. */
  private static EngineExecutionResults runWithoutGpu(Class<?> testCases, Map<String, String> more) {
    Map<String, String> parameters = new HashMap<>(Map.of(
        GpuContainerExtension.ATTACH_PARAMETER, "none",
        BASE_IMAGE_PARAMETER, baseImage,
        SHELL_IMAGE_PARAMETER, shellImage,
        GpuContainerExtension.PROBE_JAR_PARAMETER, Objects.requireNonNull(System.getProperty("gpukit.probe.jar"),
            "-Dgpukit.probe.jar")));
    parameters.putAll(more);
    INJECTED.set(null);
    HEALTH_CONFIG.set(null);
    return EngineTestKit.engine("junit-jupiter").configurationParameters(parameters)
        .selectors(selectClass(testCases)).execute();
  }

  private static List<String> failureMessages(Events containers) {
    return containers.failed().stream()
        .map(event -> event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable))
        .map(failure -> failure.map(Throwable::getMessage).orElse("")).toList();
  }

  /** The values of one report entry key, in the order published. */
  private static List<String> reported(EngineExecutionResults results, String key) {
    return results.allEvents().reportingEntryPublished().stream().map(Event::getPayload)
        .flatMap(java.util.Optional::stream).filter(ReportEntry.class::isInstance).map(ReportEntry.class::cast)
        .map(entry -> entry.getKeyValuePairs().get(key)).filter(Objects::nonNull).toList();
  }

  @Nested
  class Building_the_image {

    @Test
    void applies_the_build_arguments_without_network_or_pulls_and_is_removed_after() {
      // given
      String name = BuiltImages.imageName(GpuContainerExtensionDockerTests.class);

      // when
      String built = BuiltImages.buildImage(CPU_SERVICE, "Dockerfile",
          Map.of("BASE", baseImage, "GREETING", "hello"), name);
      String greeting;
      try {
        greeting = docker().inspectImageCmd(built).exec().getConfig().getLabels().get("io.gpukit.test.greeting");
      } finally {
        BuiltImages.removeImage(built);
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

      // when
      Events containers = EngineTestKit.engine("junit-jupiter")
          .configurationParameter(BASE_IMAGE_PARAMETER, baseImage)
          .selectors(selectNestedClass(List.of(OnAHostWithoutGpus.class), OnAHostWithoutGpus.ToolkitTestCases.class))
          .execute().containerEvents();

      // then
      assertThat(failureMessages(containers)).singleElement().asString()
          .startsWith(GpuAttacher.NO_TOOLKIT_EXPLANATION);
      assertThat(leftBySession()).isEmpty();
    }
  }

  @Nested
  class An_image_without_java_proven_by_its_healthcheck {

    @Test
    void passes_with_the_route_reported_and_leaves_nothing_behind() {
      // when
      EngineExecutionResults results = runWithoutGpu(ShellHealthcheckTestCases.class, Map.of());

      // then
      assertThat(failureMessages(results.containerEvents())).isEmpty();
      assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
      assertThat(INJECTED.get().kind()).isEqualTo(ProbeRoute.Kind.IMAGE_HEALTHCHECK);
      assertThat(ROLES.get()).as("the service container is labelled with its class; the CUDA-hidden one is gone")
          .containsExactly("service");
      assertThat(reported(results, "gpukit.probe.route")).singleElement().asString()
          .startsWith("probe: image HEALTHCHECK (no java in the image); runs [/bin/sh, -c, [ -f /tmp/ready ]");
      assertThat(reported(results, "gpukit.probe")).singleElement().asString().startsWith("exit 0 (HEALTHY)");
      assertThat(reported(results, "gpukit.probe.negative-control")).singleElement().asString()
          .startsWith("exit 1 (the HEALTHCHECK's own code)");
      assertThat(reported(results, "gpukit.health.log")).singleElement().asString().startsWith("healthy after");
      assertThat(reported(results, "gpukit.health.log.cuda-hidden")).singleElement().asString()
          .startsWith("unhealthy after");
      assertThat(reported(results, "gpukit.timings")).singleElement().asString()
          .matches("image=\\d+\\.\\d\\ds\\(built\\) start=\\S+ route=\\S+ probe=\\S+ negative-control=\\S+"
              + " health=\\d+\\.\\d\\ds\\(healthy after [0-9.]+ s, CUDA-hidden unhealthy after [0-9.]+ s\\)"
              + " total=\\d+\\.\\d\\ds");
      assertThat(reported(results, "gpukit.healthcheck")).singleElement().asString().isEqualTo("CMD-SHELL "
          + SHELL_CHECK + "; image: interval 1 s, timeout 5 s, start period 0 s, retries 2; verified with the image's"
          + " timing: its interval is not longer than the 1 s asked (the default; -Dgpukit.healthcheck.interval=image"
          + " keeps the image's); each wait bounded by 17 s (start period 0 s + 2 retries × (interval 1 s + timeout"
          + " 5 s) + 5 s)");
      assertThat(reported(results, "gpukit.gpu")).singleElement().asString()
          .startsWith("no GPU: no GPU attached on purpose (-Dgpukit.gpu.attach=none");
      assertThat(leftBySession()).isEmpty();
    }

    @Test
    void builds_the_image_once_for_two_classes_of_one_run() {
      // when
      EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
          .configurationParameters(Map.of(GpuContainerExtension.ATTACH_PARAMETER, "none", SHELL_IMAGE_PARAMETER,
              shellImage, GpuContainerExtension.PROBE_JAR_PARAMETER, System.getProperty("gpukit.probe.jar")))
          .selectors(selectClass(ShellHealthcheckTestCases.class), selectClass(ShellHealthcheckCopy.class)).execute();

      // then
      assertThat(failureMessages(results.containerEvents())).isEmpty();
      assertThat(results.testEvents().succeeded().count()).isEqualTo(2);
      assertThat(reported(results, "gpukit.timings")).hasSize(2)
          .anySatisfy(timings -> assertThat(timings).startsWith("image=").contains("s(built) "))
          .anySatisfy(timings -> assertThat(timings).startsWith("image=").contains("s(shared) "));
      assertThat(leftBySession()).isEmpty();
    }

    @Test
    void that_ignores_the_gpu_fails_the_negative_control() {
      // when
      Events containers = runWithoutGpu(BlindHealthcheckTestCases.class, Map.of()).containerEvents();

      // then
      assertThat(failureMessages(containers)).singleElement().asString()
          .startsWith(HealthcheckProof.HEALTHCHECK_FAILURE + ": run in the container in place of the probe"
              + " (no java in the image) with {CUDA_VISIBLE_DEVICES=}, [/bin/sh, -c, [ -f /tmp/ready ]] still exited 0");
      assertThat(leftBySession()).isEmpty();
    }

    @Test
    void and_no_healthcheck_fails_saying_what_to_add() {
      // when
      Events containers = runWithoutGpu(UncheckedTestCases.class, Map.of()).containerEvents();

      // then
      assertThat(failureMessages(containers)).singleElement().asString()
          .contains("has no java to run gpukit-probe.jar", "and no HEALTHCHECK to run in its place", "add a JRE");
      assertThat(leftBySession()).isEmpty();
    }
  }

  @Nested
  class The_healthchecks_interval {

    @Test
    void shortens_a_30_s_healthcheck_to_1_s_keeping_its_command_timeout_and_retries() {
      // when
      EngineExecutionResults results = runWithoutGpu(EveryThirtySecondsTestCases.class, Map.of());

      // then
      assertThat(failureMessages(results.containerEvents())).isEmpty();
      assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
      assertThat(HEALTH_CONFIG.get()).satisfies(config -> {
        assertThat(config.getTest()).containsExactly("CMD-SHELL", SHELL_CHECK);
        assertThat(config.getInterval()).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(config.getTimeout()).isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThat(config.getRetries()).isEqualTo(2);
        // The engine leaves a start period of 0 out.
        assertThat(Optional.ofNullable(config.getStartPeriod()).orElse(0L)).isZero();
      });
      assertThat(reported(results, "gpukit.healthcheck")).singleElement().asString().isEqualTo("CMD-SHELL "
          + SHELL_CHECK + "; image: interval 30 s, timeout 5 s, start period 0 s, retries 2; verified with interval"
          + " 1 s (the default; -Dgpukit.healthcheck.interval=image keeps the image's); each wait bounded by 17 s"
          + " (start period 0 s + 2 retries × (interval 1 s + timeout 5 s) + 5 s)");
      // With the image's timing no check runs before 30 s, and turning unhealthy takes two.
      assertThat(reported(results, "gpukit.health.log")).singleElement().asString().startsWith("healthy after")
          .satisfies(entry -> assertThat(secondsAfterStart(entry)).isLessThan(30));
      assertThat(reported(results, "gpukit.health.log.cuda-hidden")).singleElement().asString()
          .startsWith("unhealthy after").contains("exit 1").satisfies(entry ->
              assertThat(secondsAfterStart(entry)).isLessThan(30));
      assertThat(ROLES.get()).containsExactly("service");
      assertThat(leftBySession()).isEmpty();
    }

    @Test
    void follows_the_parameter() {
      // when
      EngineExecutionResults results = runWithoutGpu(ShellHealthcheckTestCases.class,
          Map.of(GpuContainerExtension.HEALTHCHECK_INTERVAL_PARAMETER, "500ms"));

      // then
      assertThat(failureMessages(results.containerEvents())).isEmpty();
      assertThat(HEALTH_CONFIG.get().getInterval()).isEqualTo(Duration.ofMillis(500).toNanos());
      assertThat(HEALTH_CONFIG.get().getRetries()).isEqualTo(2);
      assertThat(reported(results, "gpukit.healthcheck")).singleElement().asString()
          .contains("; image: interval 1 s, timeout 5 s, start period 0 s, retries 2; verified with interval 500 ms"
              + " (-Dgpukit.healthcheck.interval=500ms); each wait bounded by 16 s (start period 0 s + 2 retries ×"
              + " (interval 500 ms + timeout 5 s) + 5 s)");
      assertThat(leftBySession()).isEmpty();
    }

    @Test
    void image_in_the_annotation_keeps_the_images_timing_over_the_parameter() {
      // when
      EngineExecutionResults results = runWithoutGpu(ImageTimingTestCases.class,
          Map.of(GpuContainerExtension.HEALTHCHECK_INTERVAL_PARAMETER, "500ms"));

      // then
      assertThat(failureMessages(results.containerEvents())).isEmpty();
      assertThat(HEALTH_CONFIG.get().getInterval()).isEqualTo(Duration.ofSeconds(1).toNanos());
      assertThat(reported(results, "gpukit.healthcheck")).singleElement().asString()
          .contains("; verified with the image's timing (healthcheckInterval = \"image\"); each wait bounded by 17 s");
      assertThat(leftBySession()).isEmpty();
    }
  }

  /** The seconds in {@code healthy after 2.4 s} (counted from the container's start). */
  private static double secondsAfterStart(String entry) {
    Matcher matcher = AFTER.matcher(entry);
    assertThat(matcher.find()).as(entry).isTrue();
    return Double.parseDouble(matcher.group(1));
  }

  @Nested
  class With_no_gpu_attached_on_purpose {

    @Test
    void the_probe_fails_the_class_even_where_a_gpu_is_required_saying_what_is_missing() {
      // when
      EngineExecutionResults results = runWithoutGpu(JavaProbeTestCases.class,
          Map.of(GpuContainerExtension.REQUIRED_PARAMETER, "true"));

      // then
      assertThat(failureMessages(results.containerEvents())).singleElement().asString()
          .startsWith("the probe in the container is not healthy (exit " + ProbeExitCode.DRIVER_UNAVAILABLE.code()
              + " DRIVER_UNAVAILABLE): {")
          .contains("[probe: image's java + copied gpukit-probe.jar]", GpuContainerExtension.WITHOUT_GPU_NOTE);
      assertThat(results.testEvents().started().count()).isZero();
      assertThat(reported(results, "gpukit.timings")).singleElement().asString()
          .contains("probe=").doesNotContain("negative-control=");
      assertThat(leftBySession()).isEmpty();
    }

    @Test
    void a_probe_jar_that_is_not_there_fails_before_anything_is_built() {
      // when
      Events containers = runWithoutGpu(JavaProbeTestCases.class, Map.of(GpuContainerExtension.PROBE_JAR_PARAMETER,
          "/no/such/gpukit-probe.jar")).containerEvents();

      // then
      assertThat(failureMessages(containers)).singleElement().asString()
          .startsWith("-Dgpukit.probe.jar=/no/such/gpukit-probe.jar is not a file: build gpukit-probe");
      assertThat(leftBySession()).isEmpty();
    }

    @Test
    void an_unknown_strategy_fails_naming_the_choices() {
      // when
      Events containers = runWithoutGpu(JavaProbeTestCases.class, Map.of(GpuContainerExtension.ATTACH_PARAMETER,
          "gpu")).containerEvents();

      // then
      assertThat(failureMessages(containers)).singleElement().asString()
          .isEqualTo("-Dgpukit.gpu.attach=gpu is none of auto, toolkit, cdi, device_nodes and none");
    }
  }

  @GpuContainerTest(context = "src/test/resources/shell-service", buildArgs = "BASE=${gpukit.test.shell.image}")
  static class ShellHealthcheckTestCases {

    @Test
    void gets_the_started_container(GpuContainer container, GpuEnvironment environment) {
      INJECTED.set(container.probeRoute());
      ROLES.set(docker().listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of(GpuContainerExtension.TEST_CLASS_LABEL, getClass().getName())).exec().stream()
          .map(listed -> listed.getLabels().get(GpuContainerExtension.ROLE_LABEL)).toList());
      HEALTH_CONFIG.set(docker().inspectContainerCmd(container.getContainerId()).exec().getConfig().getHealthcheck());
      assertThat(environment.attach()).isEmpty();
    }
  }

  @GpuContainerTest(context = "src/test/resources/shell-service", dockerfile = "Dockerfile.every30s",
      buildArgs = "BASE=${gpukit.test.shell.image}")
  static class EveryThirtySecondsTestCases extends ShellHealthcheckTestCases {
  }

  @GpuContainerTest(context = "src/test/resources/shell-service", buildArgs = "BASE=${gpukit.test.shell.image}",
      healthcheckInterval = "image")
  static class ImageTimingTestCases extends ShellHealthcheckTestCases {
  }

  static class ShellHealthcheckCopy extends ShellHealthcheckTestCases {
  }

  @GpuContainerTest(context = "src/test/resources/shell-service", dockerfile = "Dockerfile.blind",
      buildArgs = "BASE=${gpukit.test.shell.image}")
  static class BlindHealthcheckTestCases {

    @Test
    void never_runs() {
      throw new AssertionError("the negative control must have failed the class");
    }
  }

  @GpuContainerTest(context = "src/test/resources/shell-service", dockerfile = "Dockerfile.unchecked",
      buildArgs = "BASE=${gpukit.test.shell.image}")
  static class UncheckedTestCases {

    @Test
    void never_runs() {
      throw new AssertionError("nothing can prove this image");
    }
  }

  @GpuContainerTest(context = "src/test/resources/health-service", buildArgs = "BASE=${gpukit.test.base.image}",
      whenNoGpu = WhenNoGpu.SKIP)
  static class JavaProbeTestCases {

    @Test
    void never_runs() {
      throw new AssertionError("the probe cannot be healthy without a GPU");
    }
  }

  /**
   * A host where Docker answers and no GPU device node is: JUnit registers an extension type once
   * per class tree, so the nested class uses this instance instead of creating its own.
   */
  static class OnAHostWithoutGpus {

    @RegisterExtension
    static final GpuContainerExtension EXTENSION = new GpuContainerExtension(new GpuDetection.Seams(() -> DockerStatus.ANSWERS,
        FakeHost.empty(), () -> GpuHost.Engine.UNKNOWN));

    @Nested
    @GpuContainerTest(context = "src/test/resources/cpu-service", buildArgs = "BASE=${gpukit.test.base.image}",
        attach = GpuAttach.TOOLKIT)
    class ToolkitTestCases {

      @Test
      void never_runs(GpuContainer container) {
        throw new AssertionError("the container cannot have started");
      }
    }
  }
}

package io.gpukit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.model.HealthCheck;
import io.gpukit.core.k8s.Container;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.Probe;
import io.gpukit.core.k8s.ProbeAction;
import io.gpukit.examples.scoring.ScoringService;
import io.gpukit.junit.image.LocalBaseImage;
import io.gpukit.probe.ProbeExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestReporter;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * The example's own Dockerfile, built on this engine with network mode {@code none} from local base
 * images (nothing pulled), then started without a GPU: the service answers from inside its container,
 * runs as uid 10001 on a runtime of four modules, and the image's HEALTHCHECK turns the container
 * unhealthy, because the heartbeat the service writes records that no driver could be loaded.
 *
 * <p>The base images stand in for the public ones: {@code JDK_IMAGE} is a runtime of this JDK with
 * {@code jlink} and the jmods the {@code jre} stage links from; {@code RUNTIME_IMAGE} is a JRE base
 * with no CUDA in it. Runs after {@code package}, which leaves the jars the Dockerfile copies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoringImageIT {

  private static final Path SERVICE_JAR = Path.of("target", "scoring-service.jar");
  private static final Path PROBE_JAR = Path.of("target", "gpukit-probe.jar");
  private static final String CLIENT = "io.gpukit.examples.scoring.ScoreClient";
  private static final List<String> MODULES = List.of("java.base", "java.management", "jdk.httpserver",
      "jdk.unsupported");
  private static final int FEATURE = Runtime.version().feature();

  private String runtimeImage;
  private String image;
  private boolean linked;
  private GenericContainer<?> container;

  @BeforeAll
  void build_the_image_and_start_it_without_a_gpu() {
    DockerEngine.require();
    for (Path jar : List.of(SERVICE_JAR, PROBE_JAR)) {
      if (!Files.isRegularFile(jar)) {
        fail("no " + jar.toAbsolutePath() + ": the Dockerfile copies it from target/; run the integration tests"
            + " through Maven (./mvnw -pl gpukit-examples -am verify), whose package phase builds it");
      }
    }
    runtimeImage = LocalBaseImage.jre().tag("gpukit-jre-base:test-" + FEATURE).build();
    Map<String, String> buildArgs = buildArgs();
    image = new ImageFromDockerfile("gpu-scoring-it:" + UUID.randomUUID().toString().substring(0, 12), false)
        .withFileFromPath("Dockerfile", Path.of("Dockerfile"))
        .withFileFromPath(".dockerignore", Path.of(".dockerignore"))
        .withFileFromPath(SERVICE_JAR.toString(), SERVICE_JAR)
        .withFileFromPath(PROBE_JAR.toString(), PROBE_JAR)
        .withBuildArgs(buildArgs)
        .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("none").withPull(false))
        .get();
    container = new GenericContainer<>(DockerImageName.parse(image))
        .withNetworkMode("none")
        .waitingFor(Wait.forLogMessage("(?s).*" + Pattern.quote(ScoringService.LISTENING + "8080") + ".*", 1)
            .withStartupTimeout(Duration.ofSeconds(90)));
    container.start();
  }

  /**
   * The JDK image: this JDK's runtime with {@code jlink} and the jmods of the four modules, so the
   * {@code jre} stage links as it does from the public JDK image. A JDK without jmods falls back to
   * the runtime image's own JRE ({@code JRE_HOME=/opt/java/openjdk}), as a build on a GPU host does.
   */
  private Map<String, String> buildArgs() {
    Path jmods = Path.of(System.getProperty("java.home"), "jmods");
    linked = MODULES.stream().allMatch(m -> Files.isRegularFile(jmods.resolve(m + ".jmod")));
    if (!linked) {
      return Map.of("JDK_IMAGE", runtimeImage, "JRE_HOME", LocalBaseImage.JAVA_HOME_IN_IMAGE,
          "RUNTIME_IMAGE", runtimeImage);
    }
    LocalBaseImage jdk = LocalBaseImage.jre().withModules("jdk.jlink").tag("gpu-scoring-jdk:test-" + FEATURE);
    for (String module : MODULES) {
      jdk.withExtraFile(jmods.resolve(module + ".jmod"), LocalBaseImage.JAVA_HOME_IN_IMAGE + "/jmods/" + module + ".jmod");
    }
    return Map.of("JDK_IMAGE", jdk.build(), "RUNTIME_IMAGE", runtimeImage);
  }

  @AfterAll
  void remove_the_container_and_the_image() {
    if (container != null) {
      container.stop();
    }
    if (image != null) {
      try {
        docker().removeImageCmd(image).withForce(true).exec();
      } catch (RuntimeException e) {
        // Already gone: nothing to clean.
      }
    }
  }

  private static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  private ExecResult exec(String... command) throws Exception {
    return container.execInContainer(command);
  }

  private ExecResult call(String path, String... body) throws Exception {
    String[] command = new String[5 + body.length];
    System.arraycopy(new String[] {"java", "-cp", "/opt/scoring/scoring-service.jar", CLIENT,
        "http://127.0.0.1:8080" + path}, 0, command, 0, 5);
    System.arraycopy(body, 0, command, 5, body.length);
    return exec(command);
  }

  @Nested
  class The_image {

    @Test
    void runs_the_service_as_uid_10001() throws Exception {
      // when
      ExecResult id = exec("id", "-u");

      // then
      assertThat(id.getStdout().strip()).isEqualTo("10001");
    }

    @Test
    void carries_a_runtime_of_only_the_modules_the_service_and_the_probe_load() throws Exception {
      Assumptions.assumeTrue(linked, "this JDK has no jmods, so the jre stage used the base image's runtime as it is");

      // when
      ExecResult modules = exec("java", "--list-modules");

      // then
      assertThat(modules.getStdout().lines().map(line -> line.replaceAll("@.*", "")).toList())
          .containsExactlyInAnyOrderElementsOf(MODULES);
    }

    @Test
    void adds_a_few_tens_of_megabytes_to_its_runtime_base(TestReporter reporter) {
      // when
      long size = docker().inspectImageCmd(image).exec().getSize();
      long base = docker().inspectImageCmd(runtimeImage).exec().getSize();
      reporter.publishEntry("gpu-scoring.image.bytes", String.valueOf(size));
      reporter.publishEntry("gpu-scoring.added.bytes", String.valueOf(size - base));

      // then: a linked runtime (~40 MB) and two jars (~5 MB); a JDK or every CUDA preset would not fit
      assertThat(size - base).isLessThan(80L * 1024 * 1024);
    }
  }

  @Nested
  class The_service_without_a_gpu {

    @Test
    void answers_healthz_from_inside_its_container() throws Exception {
      // when
      ExecResult healthz = call("/healthz");

      // then
      assertThat(healthz.getExitCode()).as(healthz.getStderr()).isZero();
      assertThat(healthz.getStdout()).isEqualTo("200\n{\"status\":\"ok\",\"backend\":\"gpu\"}\n");
    }

    @Test
    void answers_bad_json_with_400() throws Exception {
      // when
      ExecResult score = call("/score", "{\"queries\": [[1, 0]], \"documents\": [[1, 0, 0]]}");

      // then
      assertThat(score.getStdout()).startsWith("400\n{\"error\":\"'documents[0]' has 3 dimensions");
    }

    @Test
    void answers_score_with_503_naming_what_is_missing() throws Exception {
      // when
      ExecResult score = call("/score", "{\"queries\": [[1, 0]], \"documents\": [[1, 0]]}");

      // then
      assertThat(score.getStdout()).startsWith("503\n{\"error\":\"the GPU backend did not start: cannot load the"
          + " CUDA runtime and cuBLAS: they need libcudart.so.13 and libcublas.so.13 from the image");
      assertThat(container.getLogs()).contains("the GPU backend did not start");
    }
  }

  /**
   * The exec probes of {@code k8s/deployment.yaml}, run in this image as the kubelet would (as the
   * image's user): each finds every file its command names and, without a GPU, ends with the
   * contract's code. A path in the manifest that the Dockerfile does not provide fails here.
   */
  @Nested
  class The_manifests_probes {

    private Container scoring() {
      return Manifests.parse(Path.of("k8s", "deployment.yaml")).workload("Deployment", "gpu-scoring").orElseThrow()
          .template().containers().get(0);
    }

    private List<String> command(Probe probe) {
      return ((ProbeAction.Exec) probe.action()).command();
    }

    @Test
    void readiness_runs_the_fast_cold_probe_prepared_by_the_image_and_finds_no_driver() throws Exception {
      // given
      List<String> readiness = command(scoring().readinessProbe().orElseThrow());
      assertThat(readiness).contains("-agentpath:/opt/gpukit/natives/libgpukitprobe.so",
          "-XX:SharedArchiveFile=/opt/gpukit/probe.jsa");
      List<String> archiveRequired = new ArrayList<>(readiness);
      archiveRequired.add(1, "-Xshare:on");

      // when
      ExecResult probe = exec(readiness.toArray(String[]::new));
      ExecResult strict = exec(archiveRequired.toArray(String[]::new));

      // then
      assertThat(probe.getExitCode()).as(probe.getStderr()).isEqualTo(ProbeExitCode.DRIVER_UNAVAILABLE.code());
      assertThat(probe.getStdout().lines()).singleElement().asString()
          .contains("\"status\":\"DRIVER_UNAVAILABLE\"", "\"mode\":\"readiness\"",
              "JNI libraries verified there, loaded in place");
      assertThat(probe.getStderr()).as("no warning from the JVM").doesNotContain("][warning]");
      assertThat(strict.getExitCode()).as("with -Xshare:on, which refuses to start without the archive: %s",
          strict.getStderr()).isEqualTo(ProbeExitCode.DRIVER_UNAVAILABLE.code());
    }

    @Test
    void liveness_and_startup_judge_the_heartbeat_the_service_writes() throws Exception {
      for (Probe probe : List.of(scoring().livenessProbe().orElseThrow(), scoring().startupProbe().orElseThrow())) {
        // when
        ExecResult judged = exec(command(probe).toArray(String[]::new));

        // then the heartbeat recorded that no driver could be loaded
        assertThat(judged.getExitCode()).as("%s: %s", command(probe), judged.getStderr())
            .isEqualTo(ProbeExitCode.DRIVER_UNAVAILABLE.code());
        assertThat(judged.getStdout()).contains("\"mode\":\"heartbeat\"");
      }
    }
  }

  @Nested
  class The_healthcheck {

    @Test
    void turns_the_container_unhealthy_with_the_heartbeats_driver_unavailable(TestReporter reporter)
        throws Exception {
      // given
      HealthCheck healthcheck = Objects.requireNonNull(
          docker().inspectImageCmd(image).exec().getConfig().getHealthcheck(), "the image has no HEALTHCHECK");
      assertThat(healthcheck.getTest()).containsSequence("--heartbeat", "/tmp/gpu-heartbeat.json");
      Duration bound = Duration.ofNanos(healthcheck.getStartPeriod())
          .plus(Duration.ofNanos(healthcheck.getInterval() + healthcheck.getTimeout()).multipliedBy(healthcheck.getRetries()))
          .plusSeconds(5);

      // when
      HealthState health = awaitHealth(bound);
      List<HealthStateLog> log = health.getLog();
      reporter.publishEntry("gpu-scoring.health.log", log.stream()
          .map(check -> "exit " + check.getExitCodeLong() + ": " + check.getOutput().strip()).toList().toString());

      // then
      assertThat(health.getStatus()).as("health after %s", bound).isEqualTo("unhealthy");
      assertThat(log).isNotEmpty().allSatisfy(check -> assertThat(check.getExitCodeLong())
          .isEqualTo((long) ProbeExitCode.DRIVER_UNAVAILABLE.code()));
      assertThat(exec("cat", "/tmp/gpu-heartbeat.json").getStdout())
          .contains("\"status\":\"DRIVER_UNAVAILABLE\"", "\"code\":10", "\"timestamp\":");
    }

    private HealthState awaitHealth(Duration bound) throws InterruptedException {
      long deadline = System.nanoTime() + bound.toNanos();
      while (true) {
        HealthState health = docker().inspectContainerCmd(container.getContainerId()).exec().getState().getHealth();
        String status = health == null ? "none" : health.getStatus();
        if (status.equals("healthy") || status.equals("unhealthy") || System.nanoTime() > deadline) {
          return health;
        }
        Thread.sleep(500);
      }
    }
  }
}

package io.gpukit.examples.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.Probe;
import io.gpukit.core.k8s.ProbeAction;
import io.gpukit.junit.GpuContainer;
import io.gpukit.junit.GpuContainerTest;
import io.gpukit.junit.GpuEnvironment;
import io.gpukit.junit.WhenNoGpu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.containers.Container.ExecResult;

/**
 * The image on a GPU host: {@link GpuContainerTest} builds the Dockerfile (network {@code none},
 * with {@code -Dgpukit.test.cuda.image} as both base images and its Java runtime, {@code
 * -Dgpukit.test.cuda.jre}, as {@code JRE_HOME}), starts it with the GPU attached, proves the GPU with
 * the probe and the negative control, and proves the image's HEALTHCHECK healthy with the GPU and
 * unhealthy with CUDA hidden. Then the service, called from inside its container, scores on the GPU
 * what the CPU reference scores, and its heartbeat records a healthy GPU.
 *
 * <p>Skipped, with the reason, off GPU hosts; {@code -Dgpukit.gpu.required=true} (set it on GPU
 * runners) makes a missing GPU a failure instead.
 */
@GpuContainerTest(
    buildArgs = {"JDK_IMAGE=${gpukit.test.cuda.image}", "JRE_HOME=${gpukit.test.cuda.jre}",
        "RUNTIME_IMAGE=${gpukit.test.cuda.image}"},
    whenNoGpu = WhenNoGpu.SKIP)
@EnabledIf(
    value = "a_gpu_host_with_a_cuda_image_or_required",
    disabledReason = "this host has no NVIDIA GPU (/dev/nvidiactl) or no CUDA test image (-Dgpukit.test.cuda.image,"
        + " a local image with the CUDA 13 runtime, cuBLAS and a Java runtime at -Dgpukit.test.cuda.jre); these"
        + " tests run on a GPU runner, where -Dgpukit.gpu.required=true makes a missing GPU a failure")
class ScoringServiceGpuIT {

  private static final String CLIENT = ScoreClient.class.getName();
  private static final Duration START = Duration.ofSeconds(60);

  static boolean a_gpu_host_with_a_cuda_image_or_required() {
    return Boolean.getBoolean("gpukit.gpu.required")
        || (Files.exists(Path.of("/dev/nvidiactl")) && System.getProperty("gpukit.test.cuda.image") != null);
  }

  @BeforeEach
  void wait_for_the_service(GpuContainer container) throws Exception {
    long deadline = System.nanoTime() + START.toNanos();
    ExecResult healthz = call(container, "/healthz");
    while (!healthz.getStdout().startsWith("200") && System.nanoTime() < deadline) {
      Thread.sleep(500);
      healthz = call(container, "/healthz");
    }
    assertThat(healthz.getStdout()).as("the service did not answer /healthz within %s; its log:%n%s", START,
        container.getLogs()).startsWith("200");
  }

  private static ExecResult call(GpuContainer container, String path, String... body) throws Exception {
    String[] command = new String[5 + body.length];
    System.arraycopy(new String[] {"java", "-cp", "/opt/scoring/scoring-service.jar", CLIENT,
        "http://127.0.0.1:8080" + path}, 0, command, 0, 5);
    System.arraycopy(body, 0, command, 5, body.length);
    return container.execInContainer(command);
  }

  private static String json(float[][] rows) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < rows.length; i++) {
      out.append(i == 0 ? "[" : ",[");
      for (int k = 0; k < rows[i].length; k++) {
        out.append(k == 0 ? "" : ",").append(rows[i][k]);
      }
      out.append(']');
    }
    return out.append(']').toString();
  }

  private static float[][] scores(String body) throws Json.ParseException {
    List<?> rows = (List<?>) ((Map<?, ?>) Json.parse(body)).get("scores");
    float[][] out = new float[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      List<?> row = (List<?>) rows.get(i);
      out[i] = new float[row.size()];
      for (int j = 0; j < row.size(); j++) {
        out[i][j] = ((Double) row.get(j)).floatValue();
      }
    }
    return out;
  }

  @Test
  void scores_from_the_gpu_equal_the_cpu_reference(GpuContainer container, GpuEnvironment environment)
      throws Exception {
    SplittableRandom random = new SplittableRandom(2024);
    // one query goes through SGEMV, a batch through SGEMM
    for (int queries : new int[] {1, 5}) {
      // given
      ScoreRequest request = new ScoreRequest(CpuScorerTests.randomVectors(random, queries, 96),
          CpuScorerTests.randomVectors(random, 40, 96));

      // when
      ExecResult result = call(container, "/score",
          "{\"queries\": " + json(request.queries()) + ", \"documents\": " + json(request.documents()) + "}");

      // then
      String[] answer = result.getStdout().split("\n", 2);
      assertThat(answer[0]).as("status; body %s; stderr %s; attached by %s", answer.length > 1 ? answer[1] : "",
          result.getStderr(), environment.attach()).isEqualTo("200");
      assertThat(answer[1]).startsWith("{\"backend\":\"gpu\"");
      assertThat(Vectors.maxAbsDifference(scores(answer[1]), new CpuScorer().score(request)))
          .as("largest |gpu - cpu| for %d queries", queries).isLessThanOrEqualTo(Vectors.TOLERANCE);
    }
  }

  @Test
  void the_service_logs_the_device_it_scores_on(GpuContainer container) {
    assertThat(container.getLogs()).contains("backend: gpu 0: ", "CUDA runtime 13.", "cuBLAS 13.")
        .doesNotContain("the GPU backend did not start");
  }

  @Test
  void the_readiness_probe_of_its_manifest_proves_the_gpu_with_the_driver_started_at_jvm_start(
      GpuContainer container, TestReporter reporter) throws Exception {
    // given the command the kubelet would run
    Probe readiness = Manifests.parse(Path.of("k8s", "deployment.yaml")).workload("Deployment", "gpu-scoring")
        .orElseThrow().template().containers().get(0).readinessProbe().orElseThrow();
    String[] command = ((ProbeAction.Exec) readiness.action()).command().toArray(String[]::new);

    // when
    long start = System.nanoTime();
    ExecResult probe = container.execInContainer(command);
    reporter.publishEntry("gpu-scoring.readiness.exec.ms", String.valueOf((System.nanoTime() - start) / 1_000_000));

    // then
    assertThat(probe.getExitCode()).as(probe.getStdout() + probe.getStderr()).isZero();
    assertThat(probe.getStdout()).contains("\"status\":\"HEALTHY\"", "\"name\":\"kernel.saxpy\",\"ok\":true",
        "driver started at JVM start (-agentpath)", "JNI libraries verified there, loaded in place");
  }

  @Test
  void the_heartbeat_proves_the_gpu_from_inside_the_service(GpuContainer container) throws Exception {
    // when
    ExecResult judged = container.execInContainer("java", "-jar", GpuContainer.PROBE_JAR_IN_CONTAINER,
        "--heartbeat", "/tmp/gpu-heartbeat.json", "--max-age", "20s", "--json");

    // then
    assertThat(judged.getExitCode()).as(judged.getStdout() + judged.getStderr()).isZero();
    assertThat(container.execInContainer("cat", "/tmp/gpu-heartbeat.json").getStdout())
        .contains("\"status\":\"HEALTHY\"", "\"code\":0", "\"name\":\"kernel.saxpy\"");
  }
}

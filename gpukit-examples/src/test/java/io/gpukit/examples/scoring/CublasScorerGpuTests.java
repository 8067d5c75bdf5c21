package io.gpukit.examples.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The GPU backend on a GPU host, in this JVM: cuBLAS's scores equal the CPU reference within {@link
 * Vectors#TOLERANCE}, through SGEMV (one query) and SGEMM (a batch), and through the service's HTTP.
 * Needs the NVIDIA driver and the CUDA 13 runtime and cuBLAS libraries on the library path. Skipped,
 * with the reason, elsewhere, unless {@code -Dgpukit.gpu.required=true} (set it on GPU runners)
 * makes a missing GPU a failure.
 */
@Tag("gpu")
@EnabledIf(
    value = "a_gpu_host_or_required",
    disabledReason = "this host has no NVIDIA GPU (/dev/nvidiactl); these tests run on a GPU runner, where"
        + " -Dgpukit.gpu.required=true makes a missing GPU a failure")
class CublasScorerGpuTests {

  private static CublasScorer gpu;

  static boolean a_gpu_host_or_required() {
    return Boolean.getBoolean("gpukit.gpu.required") || Files.exists(Path.of("/dev/nvidiactl"));
  }

  @BeforeAll
  static void open_the_gpu() throws ScorerUnavailableException {
    gpu = CublasScorer.open(0);
  }

  @AfterAll
  static void close_the_gpu() {
    if (gpu != null) {
      gpu.close();
    }
  }

  @ParameterizedTest(name = "{0} queries × {1} documents of {2} dimensions")
  @CsvSource({"1, 1, 1", "1, 1000, 384", "1, 3, 4097", "2, 1, 7", "16, 777, 768", "256, 64, 33"})
  void equals_the_cpu_reference_within_tolerance(int queries, int documents, int dimensions)
      throws ScorerUnavailableException {
    // given
    SplittableRandom random = new SplittableRandom(7L * queries + 31L * documents + dimensions);
    ScoreRequest request = new ScoreRequest(CpuScorerTests.randomVectors(random, queries, dimensions),
        CpuScorerTests.randomVectors(random, documents, dimensions));

    // when
    float[][] onGpu = gpu.score(request);
    float[][] onCpu = new CpuScorer().score(request);

    // then
    assertThat(onGpu).hasDimensions(queries, documents);
    assertThat(Vectors.maxAbsDifference(onGpu, onCpu)).as("largest |gpu - cpu| on %s", gpu.describe())
        .isLessThanOrEqualTo(Vectors.TOLERANCE);
  }

  @Test
  void describes_the_device_and_the_library_versions() {
    assertThat(gpu.describe()).startsWith("gpu 0: ").contains("CUDA runtime 13.", "cuBLAS 13.");
    assertThat(gpu.backend()).isEqualTo("gpu");
  }

  @Test
  void the_service_answers_from_the_gpu() throws Exception {
    // given
    try (ScoringService service = ScoringService.start(ScoringServiceTests.options(ServiceOptions.Backend.GPU))) {

      // when
      HttpResponse<String> response = ScoringServiceTests.post(service, "/score",
          "{\"queries\": [[1, 0], [0, 2]], \"documents\": [[3, 0], [0, -1], [1, 1]]}");

      // then
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).startsWith("{\"backend\":\"gpu\",\"scores\":[[1.0,0.0,0.7071");
    }
  }
}

package io.gpukit.examples.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;

/** The service over real HTTP on a free port, with the CPU backend (and the GPU one where there is no GPU). */
class ScoringServiceTests {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static HttpResponse<String> post(ScoringService service, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(service, path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(ScoringService service, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(service, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(ScoringService service, String path) {
    return URI.create("http://127.0.0.1:" + service.port() + path);
  }

  static ServiceOptions options(ServiceOptions.Backend backend) {
    return new ServiceOptions(0, backend, 0, 2, Optional.empty(), Duration.ofSeconds(5));
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class With_the_cpu_backend {

    private ScoringService service;

    @BeforeAll
    void start() throws IOException {
      service = ScoringService.start(options(ServiceOptions.Backend.CPU));
    }

    @AfterAll
    void stop() {
      service.close();
    }

    @Test
    void scores_every_query_against_every_document() throws Exception {
      // when
      HttpResponse<String> response = post(service, "/score",
          "{\"queries\": [[1, 0], [0, 2]], \"documents\": [[3, 0], [0, -1], [1, 1]]}");

      // then
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
      assertThat(response.body())
          .isEqualTo("{\"backend\":\"cpu\",\"scores\":[[1.0,0.0,0.70710677],[0.0,-1.0,0.70710677]]}");
    }

    @Test
    void answers_bad_json_with_400_and_where_it_broke() throws Exception {
      // when
      HttpResponse<String> response = post(service, "/score", "{\"queries\": [[1, 0]],\n \"documents\": [[1 0]]}");

      // then
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body())
          .isEqualTo("{\"error\":\"invalid JSON at line 2, column 19: expected ',' or ']' after an array element\"}");
    }

    @Test
    void answers_wrong_dimensions_with_400_and_which_vector() throws Exception {
      // when
      HttpResponse<String> response = post(service, "/score", "{\"queries\": [[1, 0]], \"documents\": [[1, 0, 0]]}");

      // then
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).isEqualTo("{\"error\":\"'documents[0]' has 3 dimensions but 'queries[0]' has 2;"
          + " every vector needs the same dimensions\"}");
    }

    @Test
    void refuses_a_body_over_the_limit_with_413() throws Exception {
      // given
      String body = "{\"queries\": [[1]], \"documents\": [" + " ".repeat(ScoringService.MAX_BODY_BYTES) + "[1]]}";

      // when
      HttpResponse<String> response = post(service, "/score", body);

      // then
      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(response.body()).contains("the body is larger than " + ScoringService.MAX_BODY_BYTES + " bytes");
    }

    @Test
    void answers_get_on_score_with_405_and_allow_post() throws Exception {
      // when
      HttpResponse<String> response = get(service, "/score");

      // then
      assertThat(response.statusCode()).isEqualTo(405);
      assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void healthz_says_the_process_serves() throws Exception {
      // when
      HttpResponse<String> response = get(service, "/healthz");

      // then
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("{\"status\":\"ok\",\"backend\":\"cpu\"}");
    }

    @Test
    void an_unknown_path_is_404() throws Exception {
      assertThat(get(service, "/predict").statusCode()).isEqualTo(404);
    }

    @Test
    void the_client_in_the_image_reads_the_answer() throws Exception {
      // when
      ScoreClient.Response response = ScoreClient.call("http://127.0.0.1:" + service.port() + "/score",
          "{\"queries\": [[1, 0]], \"documents\": [[1, 0]]}");

      // then
      assertThat(response).isEqualTo(new ScoreClient.Response(200, "{\"backend\":\"cpu\",\"scores\":[[1.0]]}"));
      assertThat(ScoreClient.call("http://127.0.0.1:" + service.port() + "/score", "{").status()).isEqualTo(400);
    }
  }

  @Nested
  @EnabledIf(value = "io.gpukit.examples.scoring.ScoringServiceTests#no_nvidia_driver",
      disabledReason = "this host has an NVIDIA driver (/dev/nvidiactl): the GPU backend starts here, and"
          + " CublasScorerGpuTests covers it")
  class With_the_gpu_backend_on_a_host_without_a_gpu {

    @Test
    void still_serves_and_answers_score_with_503_and_the_reason() throws Exception {
      // given
      try (ScoringService service = ScoringService.start(options(ServiceOptions.Backend.GPU))) {

        // when
        HttpResponse<String> score = post(service, "/score", "{\"queries\": [[1, 0]], \"documents\": [[1, 0]]}");
        HttpResponse<String> health = get(service, "/healthz");

        // then
        assertThat(score.statusCode()).isEqualTo(503);
        assertThat(score.body()).startsWith("{\"error\":\"the GPU backend did not start: cannot load the CUDA runtime"
            + " and cuBLAS: they need libcudart.so.13 and libcublas.so.13 from the image and libcuda.so.1 from the"
            + " driver");
        assertThat(health.statusCode()).isEqualTo(200);
      }
    }
  }

  static boolean no_nvidia_driver() {
    return !Files.exists(Path.of("/dev/nvidiactl"));
  }
}

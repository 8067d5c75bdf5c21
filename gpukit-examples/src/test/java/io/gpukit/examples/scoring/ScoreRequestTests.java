package io.gpukit.examples.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScoreRequestTests {

  @Nested
  class Parsing_a_request {

    @Test
    void reads_queries_and_documents_as_floats() throws Exception {
      // when
      ScoreRequest request = ScoreRequest.parse(
          "{\"queries\": [[0.1, 0.7, 0.2]], \"documents\": [[0.1, 0.7, 0.2], [1, 0, -1e-3]]}");

      // then
      assertThat(request.dimensions()).isEqualTo(3);
      assertThat(request.queries()).isDeepEqualTo(new float[][] {{0.1f, 0.7f, 0.2f}});
      assertThat(request.documents()).isDeepEqualTo(new float[][] {{0.1f, 0.7f, 0.2f}, {1f, 0f, -1e-3f}});
    }
  }

  @Nested
  class Rejecting_a_request_with_a_message {

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "'{\"queries\": [[1, 2]], \"documents\": [[1, 2], [1, 2, 3]]}'"
            + " | 'documents[1]' has 3 dimensions but 'queries[0]' has 2; every vector needs the same dimensions",
        "'{\"queries\": [[1, 2], [3]], \"documents\": [[1, 2]]}'"
            + " | 'queries[1]' has 1 dimensions but 'queries[0]' has 2",
        "'{\"queries\": [[0, 0]], \"documents\": [[1, 2]]}'"
            + " | 'queries[0]' is all zeros; cosine similarity needs a non-zero vector",
        "'{\"queries\": [[1, \"2\"]], \"documents\": [[1, 2]]}'"
            + " | 'queries[0][1]' must be a number but is the string \"2\"",
        "'{\"queries\": [[1, 1e39]], \"documents\": [[1, 2]]}'"
            + " | 'queries[0][1]' is 1.0E39, which is not a finite float",
        "'{\"queries\": [[1, 2]]}'"
            + " | 'documents' is missing",
        "'{\"queries\": [], \"documents\": [[1]]}'"
            + " | 'queries' is empty",
        "'{\"queries\": [[]], \"documents\": [[1]]}'"
            + " | 'queries[0]' is empty",
        "'{\"queries\": [1, 2], \"documents\": [[1]]}'"
            + " | 'queries[0]' must be an array of numbers",
        "'{\"queries\": [[1]], \"documents\": [[1]], \"top_k\": 3}'"
            + " | unknown member 'top_k'; a request has only 'queries' and 'documents'",
        "'[[1, 2]]'"
            + " | the body must be a JSON object with 'queries' and 'documents'",
        "'{\"queries\": [[1, 2]], \"documents\": [[1, 2]]'"
            + " | invalid JSON at the end",
    })
    void says_what_is_wrong(String body, String message) {
      assertThatThrownBy(() -> ScoreRequest.parse(body))
          .isInstanceOf(BadRequestException.class)
          .hasMessageContaining(message);
    }

    @Test
    void too_many_dimensions() {
      // given
      String vector = "[" + "1,".repeat(ScoreRequest.MAX_DIMENSIONS) + "1]";

      // when / then
      assertThatThrownBy(() -> ScoreRequest.parse("{\"queries\": [" + vector + "], \"documents\": [" + vector + "]}"))
          .hasMessage("'queries[0]' has " + (ScoreRequest.MAX_DIMENSIONS + 1) + " dimensions; at most "
              + ScoreRequest.MAX_DIMENSIONS + " are supported");
    }

    @Test
    void built_in_code_with_the_same_rules() {
      assertThatThrownBy(() -> new ScoreRequest(new float[][] {{1, 2}}, new float[][] {{1}}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'documents[0]' has 1 dimensions but 'queries[0]' has 2");
    }
  }
}

package io.gpukit.core.workflow;

import static io.gpukit.core.workflow.GithubExpression.Truth.FALSE;
import static io.gpukit.core.workflow.GithubExpression.Truth.TRUE;
import static io.gpukit.core.workflow.GithubExpression.Truth.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.workflow.GithubExpression.Truth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GithubExpressionTests {

  /** One matrix combination: hardware is a runner list, gpu a plain boolean, os a string. */
  private static final Map<String, Matrix.Value> GPU_LEG = leg(true);
  private static final Map<String, Matrix.Value> HOSTED_LEG = leg(false);

  private static Map<String, Matrix.Value> leg(boolean gpu) {
    Map<String, Matrix.Value> m = new LinkedHashMap<>();
    m.put("hardware", gpu
        ? new Matrix.Value("[self-hosted, gpu]", List.of("self-hosted", "gpu"))
        : new Matrix.Value("ubuntu-latest", List.of("ubuntu-latest")));
    m.put("os", new Matrix.Value(gpu ? "linux-gpu" : "ubuntu-latest", List.of(gpu ? "linux-gpu" : "ubuntu-latest")));
    m.put("gpu", new Matrix.Value(String.valueOf(gpu), List.of(String.valueOf(gpu))));
    m.put("cuda", new Matrix.Value("12.8", List.of("12.8")));
    m.put("quoted", new Matrix.Value("false", List.of("false"), true));
    return m;
  }

  private static Truth onGpuLeg(String condition) {
    return GithubExpression.truth(condition, Optional.of(GPU_LEG));
  }

  private static Truth onHostedLeg(String condition) {
    return GithubExpression.truth(condition, Optional.of(HOSTED_LEG));
  }

  @Nested
  class Literals {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(
        delimiter = '|',
        quoteCharacter = '"',
        value = {
          "true | TRUE",
          "false | FALSE",
          "null | FALSE",
          "0 | FALSE",
          "1.5 | TRUE",
          "0x10 | TRUE",
          "'' | FALSE",
          "'it''s' | TRUE",
          "'it''s' == 'IT''S' | TRUE",
          "${{ true }} | TRUE",
          "${{ false }} | FALSE",
          "1 == 1.0 | TRUE",
          "'1' == 1 | TRUE",
          "'' == 0 | TRUE",
          "null == 0 | TRUE",
          "true == 1 | TRUE",
          "'abc' == 0 | FALSE",
          "NaN == NaN | FALSE",
          "'b' > 'A' | TRUE",
          "2 >= 10 | FALSE",
          "!0 | TRUE",
          "!!'x' | TRUE",
        })
    void read_as_github_reads_them(String condition, Truth expected) {
      assertThat(onGpuLeg(condition)).isEqualTo(expected);
    }
  }

  @Nested
  class Matrix_values {

    @Test
    void a_plain_boolean_is_a_boolean() {
      assertThat(onGpuLeg("matrix.gpu")).isEqualTo(TRUE);
      assertThat(onHostedLeg("matrix.gpu")).isEqualTo(FALSE);
      assertThat(onHostedLeg("${{ !matrix.gpu }}")).isEqualTo(TRUE);
    }

    @Test
    void a_quoted_false_is_a_string_and_so_truthy() {
      assertThat(onGpuLeg("matrix.quoted")).isEqualTo(TRUE);
      assertThat(onGpuLeg("matrix.quoted == 'FALSE'")).isEqualTo(TRUE);
    }

    @Test
    void strings_compare_without_case() {
      assertThat(onHostedLeg("${{ matrix.os != 'Ubuntu-Latest' }}")).isEqualTo(FALSE);
      assertThat(onGpuLeg("${{ matrix.os != 'ubuntu-latest' }}")).isEqualTo(TRUE);
    }

    @Test
    void a_number_compares_with_a_number_or_its_text() {
      assertThat(onGpuLeg("matrix.cuda == '12.8'")).isEqualTo(TRUE);
      assertThat(onGpuLeg("matrix.cuda >= 12.4")).isEqualTo(TRUE);
    }

    @Test
    void reads_the_index_form_and_a_missing_key_as_null() {
      assertThat(onGpuLeg("matrix['gpu']")).isEqualTo(TRUE);
      assertThat(onGpuLeg("matrix.python")).isEqualTo(FALSE);
      assertThat(onGpuLeg("matrix.python == null")).isEqualTo(TRUE);
    }
  }

  @Nested
  class Functions {

    @Test
    void contains_looks_into_a_list_or_a_string() {
      assertThat(onGpuLeg("false == contains(matrix.hardware, 'ubuntu')")).isEqualTo(TRUE);
      assertThat(onHostedLeg("false == contains(matrix.hardware, 'ubuntu')")).isEqualTo(FALSE);
      assertThat(onGpuLeg("contains(matrix.hardware, 'GPU')")).isEqualTo(TRUE);
      assertThat(onGpuLeg("contains(matrix.hardware, 'gp')")).isEqualTo(FALSE);
      assertThat(onHostedLeg("contains(matrix.os, 'UBUNTU')")).isEqualTo(TRUE);
    }

    @Test
    void starts_with_and_ends_with_ignore_case() {
      assertThat(onHostedLeg("startsWith(matrix.os, 'UBUNTU-')")).isEqualTo(TRUE);
      assertThat(onGpuLeg("endsWith(matrix.os, '-GPU')")).isEqualTo(TRUE);
      assertThat(onGpuLeg("startsWith(matrix.os, 'ubuntu')")).isEqualTo(FALSE);
    }

    @Test
    void always_is_true() {
      assertThat(onHostedLeg("always() && matrix.gpu")).isEqualTo(FALSE);
      assertThat(onGpuLeg("always()")).isEqualTo(TRUE);
    }
  }

  @Nested
  class Operators {

    @Test
    void and_and_or_return_an_operand() {
      assertThat(onGpuLeg("(matrix.gpu && 'yes') == 'yes'")).isEqualTo(TRUE);
      assertThat(onHostedLeg("(matrix.gpu || 'fallback') == 'fallback'")).isEqualTo(TRUE);
      assertThat(onHostedLeg("matrix.gpu && 'yes'")).isEqualTo(FALSE);
    }

    @Test
    void bind_comparison_tighter_than_equality_tighter_than_and_tighter_than_or() {
      assertThat(onGpuLeg("false && false || true")).isEqualTo(TRUE);
      assertThat(onGpuLeg("false && (false || true)")).isEqualTo(FALSE);
      assertThat(onGpuLeg("1 < 2 == true")).isEqualTo(TRUE);
      assertThat(onGpuLeg("!matrix.gpu || matrix.cuda == '12.8'")).isEqualTo(TRUE);
    }
  }

  @Nested
  class Undecidable {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        quoteCharacter = '"',
        value = {
          "github.event_name == 'push'",
          "env.RUN_GPU == 'true'",
          "steps.build.outcome == 'success'",
          "success()",
          "failure() || matrix.gpu",
          "fromJSON(inputs.gpu)",
          "format('{0}', matrix.os) == 'x'",
          "unknown_function(1)",
          "matrix.gpu &&",
          "'unterminated",
          "${{ matrix.gpu }} && ${{ matrix.os }}",
          "matrix.*",
        })
    void is_unknown_never_false(String condition) {
      assertThat(onGpuLeg(condition)).isEqualTo(UNKNOWN);
    }

    @Test
    void is_decided_where_the_known_part_decides() {
      assertThat(onHostedLeg("github.event_name == 'push' && matrix.gpu")).isEqualTo(FALSE);
      assertThat(onHostedLeg("matrix.gpu && github.event_name == 'push'")).isEqualTo(FALSE);
      assertThat(onGpuLeg("github.event_name == 'push' || matrix.gpu")).isEqualTo(TRUE);
      assertThat(onHostedLeg("github.event_name == 'push' || matrix.gpu")).isEqualTo(UNKNOWN);
      assertThat(onHostedLeg("!(github.event_name == 'push' && matrix.gpu)")).isEqualTo(TRUE);
    }

    @Test
    void is_every_matrix_reference_when_the_matrix_is_not_known() {
      assertThat(GithubExpression.truth("matrix.gpu", Optional.empty())).isEqualTo(UNKNOWN);
      assertThat(GithubExpression.truth("contains(matrix.hardware, 'ubuntu')", Optional.empty())).isEqualTo(UNKNOWN);
    }

    @Test
    void is_a_matrix_value_that_is_itself_an_expression() {
      // given
      Map<String, Matrix.Value> leg = Map.of("gpu", new Matrix.Value("${{ inputs.gpu }}", List.of("${{ inputs.gpu }}")));

      // then
      assertThat(GithubExpression.truth("matrix.gpu", Optional.of(leg))).isEqualTo(UNKNOWN);
    }
  }

  @Nested
  class Labels {

    @Test
    void resolve_a_list_a_scalar_and_interpolated_text() {
      assertThat(GithubExpression.labels("${{ matrix.hardware }}", Optional.of(GPU_LEG)))
          .contains(List.of("self-hosted", "gpu"));
      assertThat(GithubExpression.labels("${{ matrix.os }}", Optional.of(HOSTED_LEG))).contains(List.of("ubuntu-latest"));
      assertThat(GithubExpression.labels("cuda-${{ matrix.cuda }}-runner", Optional.of(GPU_LEG)))
          .contains(List.of("cuda-12.8-runner"));
      assertThat(GithubExpression.labels("self-hosted", Optional.of(GPU_LEG))).contains(List.of("self-hosted"));
    }

    @Test
    void stay_unresolved_when_an_expression_is_unknown() {
      assertThat(GithubExpression.labels("${{ inputs.runner }}", Optional.of(GPU_LEG))).isEmpty();
      assertThat(GithubExpression.labels("${{ matrix.os }}", Optional.empty())).isEmpty();
    }
  }
}

package io.gpukit.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.workflow.JobLegs.Leg;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JobLegsTests {

  private static Job job(String jobBody) {
    String text = "on: push\njobs:\n  test:\n" + jobBody.indent(4) + "    steps:\n      - run: make\n";
    return Workflow.parse(Path.of("ci.yml"), text).job("test").orElseThrow();
  }

  private static List<String> texts(Leg leg, String key) {
    return List.of(leg.matrix().orElseThrow().get(key).text());
  }

  @Nested
  class Combinations {

    @Test
    void cross_the_axes_drop_the_excluded_and_extend_or_add_the_included() {
      // given
      Job job = job(
          """
          strategy:
            matrix:
              gpu: [a100, t4]
              cuda: ["12.4", "12.8"]
              exclude:
                - gpu: t4
                  cuda: "12.8"
              include:
                - gpu: a100
                  nccl: true
                - gpu: h100
                  cuda: "12.8"
          runs-on: [self-hosted, "${{ matrix.gpu }}"]
          """);

      // when
      List<Leg> legs = JobLegs.of(job);

      // then
      assertThat(legs).extracting(Leg::labels).containsExactly(
          List.of("self-hosted", "a100"), List.of("self-hosted", "a100"), List.of("self-hosted", "t4"),
          List.of("self-hosted", "h100"));
      assertThat(legs.get(0).matrix().orElseThrow()).containsKeys("gpu", "cuda", "nccl");
      assertThat(legs.get(2).matrix().orElseThrow()).doesNotContainKey("nccl");
      assertThat(texts(legs.get(3), "cuda")).containsExactly("12.8");
    }

    @Test
    void of_a_matrix_of_includes_only_are_the_includes() {
      // given
      Job job = job(
          """
          strategy:
            matrix:
              include:
                - runner: ubuntu-latest
                  gpu: false
                - runner: [self-hosted, linux, l4]
                  gpu: true
          runs-on: ${{ matrix.runner }}
          """);

      // when
      List<Leg> legs = JobLegs.of(job);

      // then
      assertThat(legs).extracting(Leg::labels)
          .containsExactly(List.of("ubuntu-latest"), List.of("self-hosted", "linux", "l4"));
      assertThat(texts(legs.get(1), "gpu")).containsExactly("true");
    }

    @Test
    void keep_the_expression_where_a_combination_lacks_the_key() {
      // given
      Job job = job(
          """
          strategy:
            matrix:
              include:
                - runner: [self-hosted, h100]
                - python: "3.12"
          runs-on: ${{ matrix.runner }}
          """);

      // then
      assertThat(JobLegs.of(job)).extracting(Leg::labels)
          .containsExactly(List.of("self-hosted", "h100"), List.of("${{ matrix.runner }}"));
    }

    @Test
    void resolve_a_runner_group_per_combination() {
      // given
      Job job = job(
          """
          strategy:
            matrix:
              pool: [gpu-h100, cpu-large]
          runs-on:
            group: ${{ matrix.pool }}
          """);

      // then
      assertThat(JobLegs.of(job)).extracting(Leg::group)
          .containsExactly(Optional.of("gpu-h100"), Optional.of("cpu-large"));
    }
  }

  @Nested
  class When_the_combinations_cannot_be_listed {

    @Test
    void a_matrix_from_json_gives_the_label_sets_with_an_unknown_matrix() {
      // given
      Job job = job(
          """
          strategy:
            matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}
          runs-on: ${{ matrix.runner }}
          """);

      // when
      List<Leg> legs = JobLegs.of(job);

      // then
      assertThat(legs).singleElement().satisfies(leg -> {
        assertThat(leg.matrix()).isEmpty();
        assertThat(leg.labels()).containsExactly("${{ matrix.runner }}");
      });
    }

    @Test
    void an_include_written_as_an_expression_leaves_the_matrix_unknown() {
      // given
      Job job = job(
          """
          strategy:
            matrix:
              gpu: [a100]
              include: ${{ fromJSON(inputs.extra) }}
          runs-on: [self-hosted, "${{ matrix.gpu }}"]
          """);

      // then
      assertThat(job.matrix().orElseThrow().entriesWritten()).isFalse();
      assertThat(JobLegs.of(job)).allSatisfy(leg -> assertThat(leg.matrix()).isEmpty());
    }

    @Test
    void a_value_that_is_an_expression_leaves_the_matrix_unknown() {
      // given
      Matrix matrix = job(
          """
          strategy:
            matrix:
              os: [ubuntu-latest, "${{ inputs.gpu_runner }}"]
          runs-on: ${{ matrix.os }}
          """).matrix().orElseThrow();

      // then
      assertThat(JobLegs.combinations(matrix)).isEmpty();
    }

    @Test
    void more_combinations_than_github_runs_leave_the_matrix_unknown() {
      // given
      String values = "[1, 2, 3, 4, 5, 6, 7]";
      Matrix matrix = job(
          "strategy:\n  matrix:\n    a: " + values + "\n    b: " + values + "\n    c: " + values
              + "\nruns-on: ubuntu-latest").matrix().orElseThrow();

      // then
      assertThat(JobLegs.combinations(matrix)).isEmpty();
    }
  }

  @Test
  void a_job_without_a_matrix_has_one_leg_whose_matrix_is_unknown() {
    // when
    List<Leg> legs = JobLegs.of(job("runs-on: [self-hosted, gpu]"));

    // then
    assertThat(legs).containsExactly(new Leg(Optional.empty(), List.of("self-hosted", "gpu"), Optional.empty()));
    assertThat(legs.get(0).matrix()).isNotEqualTo(Optional.of(Map.of()));
  }
}

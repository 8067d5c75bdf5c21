package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.workflow.Workflow;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WorkflowAssertionsTests {

  private static final String SEED =
      """
      on:
        push:
          branches: [main]
        pull_request:
      jobs:
        build:
          runs-on: ubuntu-latest
          steps:
            - run: docker build -t ghcr.io/acme/app:${{ github.sha }} .
        test:
          needs: build
          runs-on: [self-hosted, gpu]
          timeout-minutes: 30
          steps:
            - run: docker run --gpus all ghcr.io/acme/app:${{ github.sha }} python3 /app/smoke_test.py
        push:
          needs: test
          if: github.ref == 'refs/heads/main'
          runs-on: ubuntu-latest
          steps:
            - run: docker push ghcr.io/acme/app:${{ github.sha }}
            - run: cosign sign --yes ghcr.io/acme/app:${{ github.sha }}
          permissions: {contents: read, packages: write, id-token: write}
      permissions: {contents: read}
      """;

  private static Workflow workflow(String text) {
    return Workflow.parse(Path.of(".github/workflows/ci.yml"), text);
  }

  @Nested
  class Passing {

    @Test
    void pass_for_the_seed_pipeline() {
      assertThat(workflow(SEED)).job("test").runsOnLabels("self-hosted", "gpu").runsOnGpuRunner().needs("build");
      assertThat(workflow(SEED)).pushJob().isGatedOnBranch("main").isNotRunForPullRequests().needsJob("test").needsJob("build");
      assertThat(workflow(SEED)).checkedAgainstRules().hasNoViolations();
    }
  }

  @Nested
  class Failing {

    @Test
    void name_the_file_and_jobs_when_a_job_is_missing() {
      assertThatThrownBy(() -> assertThat(workflow(SEED)).job("gpu-test"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContainingAll(
              "Expecting actual:", ".github/workflows/ci.yml", "to have a job with id", "\"gpu-test\"",
              ".github/workflows/ci.yml:10:3: job 'test'");
    }

    @Test
    void show_the_runs_on_line_when_the_labels_differ() {
      assertThatThrownBy(() -> assertThat(workflow(SEED)).job("build").runsOnLabels("self-hosted", "gpu"))
          .hasMessageContainingAll(
              ".github/workflows/ci.yml:6:3: job 'build'",
              "to run on a runner with the labels",
              "but it runs on .github/workflows/ci.yml:7:14: runs-on: ubuntu-latest");
    }

    @Test
    void list_the_needs_when_one_is_missing() {
      assertThatThrownBy(() -> assertThat(workflow(SEED.replace("needs: test", "needs: build"))).pushJob().needsJob("test"))
          .hasMessageContainingAll(
              ".github/workflows/ci.yml:16:3: job 'push'", "to need the job (directly or through the jobs it needs)",
              "\"test\"", "but it only needs:", "[\"build\"]");
    }

    @Test
    void show_the_condition_and_triggers_when_the_push_is_not_gated() {
      // given
      String ungated = SEED.replace("    if: github.ref == 'refs/heads/main'\n", "");

      // then
      assertThatThrownBy(() -> assertThat(workflow(ungated)).pushJob().isGatedOnBranch("main"))
          .hasMessageContainingAll(
              "to push only for the branch", "\"main\"", "but it has no if and the workflow runs on push branches [main]",
              "pull_request (.github/workflows/ci.yml:4:3)");
      assertThatThrownBy(() -> assertThat(workflow(ungated)).pushJob().isNotRunForPullRequests())
          .hasMessageContaining("but the workflow runs on pull_request and it has no if");
    }

    @Test
    void say_so_when_no_job_pushes() {
      assertThatThrownBy(() -> assertThat(workflow(SEED.replace("docker push", "echo"))).pushJob())
          .hasMessageContaining("to have a job that pushes an image");
    }

    @Test
    void say_what_the_runner_is_when_it_is_not_a_gpu_runner() {
      assertThatThrownBy(() -> assertThat(workflow(SEED)).job("build").runsOnGpuRunner())
          .hasMessageContainingAll("to run on a GPU runner", "runs-on: ubuntu-latest ([github_hosted])");
    }
  }
}

package io.gpukit.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code project/workflow-run-gpu-test}: a push on workflow_run, judged by the workflows it follows. */
class WorkflowRunGatesTests {

  private static final String RULE = ProjectRules.WORKFLOW_RUN_GPU_TEST.id();
  private static final String TESTS = ".github/workflows/gpu-tests.yml";
  private static final String PUBLISH = ".github/workflows/publish.yml";

  /** The repository whose publish workflow follows "GPU tests" and is gated. */
  private static TestRepository gated(Path folder) {
    return TestRepository.copyOf("ok/workflow-run-gated", folder);
  }

  private static List<Violation> findings(TestRepository repo) {
    return repo.scan().violations().stream().filter(v -> v.ruleId().equals(RULE)).toList();
  }

  @Nested
  class The_followed_workflow {

    @Test
    void is_found_by_its_file_when_it_has_no_name(@TempDir Path folder) {
      // given
      TestRepository repo = gated(folder)
          .replace(TESTS, "name: GPU tests\n", "")
          .replace(PUBLISH, "workflows: [\"GPU tests\"]", "workflows: [.github/workflows/gpu-tests.yml]");

      // then
      assertThat(repo.scan().violations()).isEmpty();
    }

    @Test
    void that_no_workflow_is_named_is_an_error_at_the_trigger(@TempDir Path folder) {
      // given
      TestRepository repo = gated(folder).replace(PUBLISH, "workflows: [\"GPU tests\"]", "workflows: [\"Nightly\"]");

      // then
      assertThat(findings(repo)).singleElement().satisfies(v -> {
        assertThat(v.location().line()).isEqualTo(5);
        assertThat(v.message()).contains("no workflow of this repository is named 'Nightly'", "never starts the push");
        assertThat(v.hint()).contains("'GPU tests'");
      });
    }

    @Test
    void that_may_be_a_workflow_that_did_not_parse_is_given_the_benefit_of_the_doubt(@TempDir Path folder) {
      // given
      TestRepository repo = gated(folder)
          .replace(PUBLISH, "workflows: [\"GPU tests\"]", "workflows: [\"Nightly\"]")
          .with(".github/workflows/nightly.yml", "name: Nightly\non: [push\njobs: {}\n");

      // then
      assertThat(findings(repo)).isEmpty();
    }

    @Test
    void that_may_be_in_a_place_gpukit_yaml_does_not_name_is_given_the_benefit_of_the_doubt(@TempDir Path folder) {
      // given
      TestRepository repo = gated(folder)
          .replace(PUBLISH, "workflows: [\"GPU tests\"]", "workflows: [\"Nightly\"]")
          .with("gpukit.yaml", "project:\n  workflows: [\".github/workflows/publish.yml\", \".github/workflows/gpu-tests.yml\"]\n");

      // then
      assertThat(findings(repo)).isEmpty();
    }

    @Test
    void tests_through_a_local_reusable_workflow_it_calls(@TempDir Path folder) {
      // given: the GPU test job of "GPU tests" is a call of a reusable workflow of the repository
      TestRepository repo = gated(folder)
          .replace(TESTS, """
                gpu-test:
                  needs: [build]
                  runs-on: [self-hosted, gpu]
                  timeout-minutes: 30
                  steps:
              """.stripIndent(), """
                gpu-test:
                  needs: [build]
                  uses: ./.github/workflows/smoke.yml
                unused:
                  runs-on: ubuntu-24.04
                  steps:
              """.stripIndent())
          .with(".github/workflows/smoke.yml", """
              name: smoke
              on: workflow_call
              jobs:
                smoke:
                  runs-on: [self-hosted, gpu]
                  timeout-minutes: 30
                  steps:
                    - run: docker run --rm --gpus all ghcr.io/acme/llm:ci java -jar /opt/gpukit/gpukit-probe.jar --mode deep
              """);

      // then
      assertThat(findings(repo)).isEmpty();
    }

    @Test
    void is_narrowed_by_a_condition_on_the_run_name(@TempDir Path folder) {
      // given: the push follows "GPU tests" and "lint", but only pushes after "GPU tests"
      TestRepository repo = TestRepository.copyOf("err/workflow-run-untested", folder)
          .replace(TESTS, "    if: github.event_name == 'pull_request'\n", "")
          .replace(PUBLISH, "    if: github.event", "    if: github.event.workflow_run.name == 'GPU tests' && github.event");

      // then
      assertThat(findings(repo)).isEmpty();
    }
  }

  @Nested
  class The_branches {

    @Test
    void a_fork_pull_request_from_main_is_a_warning(@TempDir Path folder) {
      // given
      TestRepository repo = gated(folder).replace(PUBLISH, "\n      && github.event.workflow_run.event == 'push'", "");

      // then
      assertThat(findings(repo)).singleElement().satisfies(v -> {
        assertThat(v.severity()).isEqualTo(Severity.WARNING);
        assertThat(v.message()).contains("runs for pull_request", "a fork's main");
      });
    }

    @Test
    void a_followed_workflow_that_runs_for_pushes_to_any_branch_is_an_error(@TempDir Path folder) {
      // given: "GPU tests" runs for every branch, publish follows them all
      TestRepository repo = gated(folder)
          .replace(TESTS, "    branches: [main]\n  pull_request:\n", "    branches: [\"**\"]\n")
          .replace(PUBLISH, "    branches: [main]\n", "");

      // then
      assertThat(findings(repo)).singleElement().satisfies(v -> {
        assertThat(v.severity()).isEqualTo(Severity.ERROR);
        assertThat(v.message()).contains("runs for a push to any branch");
        assertThat(v.hint()).contains("branches: [main]");
      });
    }

    @Test
    void release_tags_only_are_gated(@TempDir Path folder) {
      // given
      TestRepository repo = gated(folder)
          .replace(TESTS, "    branches: [main]\n  pull_request:\n", "    tags: [\"v*\"]\n")
          .replace(PUBLISH, "    branches: [main]\n", "");

      // then
      assertThat(findings(repo)).isEmpty();
    }
  }

  @Nested
  class Gpu_scope {

    @Test
    void a_workflow_under_gpu_not_paths_needs_no_gpu_test_but_still_a_gate_on_main(@TempDir Path folder) {
      // given: publish follows "lint", which tests nothing on a GPU, for any pull request
      TestRepository repo = gated(folder)
          .replace(PUBLISH, "workflows: [\"GPU tests\"]", "workflows: [lint]")
          .replace(PUBLISH, "\n      && github.event.workflow_run.event == 'push'", "")
          .replace(PUBLISH, "    branches: [main]\n", "")
          .with(".github/workflows/lint.yml", "name: lint\non: [push, pull_request]\njobs:\n  lint:\n"
              + "    runs-on: ubuntu-24.04\n    steps:\n      - run: make lint\n")
          .with("gpukit.yaml", "gpu:\n  not-paths: [\".github/workflows/publish.yml\"]\n");

      // then
      assertThat(findings(repo)).singleElement()
          .satisfies(v -> assertThat(v.message()).contains("runs for pull_request", "the code of a pull request"));
    }
  }
}

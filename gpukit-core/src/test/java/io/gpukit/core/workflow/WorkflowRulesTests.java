package io.gpukit.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.policy.RuleScope;
import io.gpukit.core.policy.Violation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WorkflowRulesTests {

  private static List<Violation> check(Rule<Workflow> rule, String text) {
    Workflow wf = Workflow.parse(Path.of("ci.yml"), text);
    return rule.check(wf, wf.location(), GpuKitConfig.defaults());
  }

  @Nested
  class Scope {

    @Test
    void the_rules_about_gpu_runners_gpu_tests_and_gpu_timeouts_judge_gpu_artifacts_only() {
      assertThat(List.of(
              WorkflowRules.GPU_JOB_ON_GPU_RUNNER, WorkflowRules.GPU_RUNNER_LABELLED, WorkflowRules.GPU_JOB_TIMEOUT,
              WorkflowRules.GPU_TEST_JOB))
          .allSatisfy(rule -> assertThat(rule.descriptor().scope()).isEqualTo(RuleScope.GPU));
    }

    @Test
    void the_pipeline_rules_judge_every_workflow() {
      assertThat(List.of(
              WorkflowRules.NEEDS_KNOWN_JOB, WorkflowRules.NEEDS_NO_CYCLE, WorkflowRules.IMAGE_BUILT,
              WorkflowRules.TEST_NEEDS_BUILD, WorkflowRules.PUSH_NEEDS_TEST, WorkflowRules.PUSH_GATED_ON_MAIN,
              WorkflowRules.PUSH_IMMUTABLE_TAG))
          .allSatisfy(rule -> assertThat(rule.descriptor().scope()).isEqualTo(RuleScope.ALL));
    }
  }

  @Nested
  class Amd_hints {

    private static final String ROCM_ON_HOSTED =
        """
        on:
          push:
            branches: [main]
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: docker build -t ghcr.io/acme/serve:rocm .
          smoke:
            needs: build
            runs-on: ubuntu-latest
            timeout-minutes: 20
            steps:
              - run: docker run --rm --device /dev/kfd --device /dev/dri ghcr.io/acme/serve:rocm rocm-smi
        """;

    @Test
    void the_gpu_test_hint_says_gpukit_probe_needs_nvidia_and_points_to_the_rocm_smoke_test() {
      // when
      List<Violation> found = check(WorkflowRules.GPU_TEST_JOB, ROCM_ON_HOSTED);

      // then
      assertThat(found).singleElement().satisfies(v -> assertThat(v.hint())
          .contains("[self-hosted, rocm]", "ROCm smoke test", "gpukit-probe needs NVIDIA", "gpu.probe-commands")
          .doesNotContain("--gpus"));
    }

    @Test
    void the_runner_hints_name_a_rocm_label() {
      assertThat(check(WorkflowRules.GPU_JOB_ON_GPU_RUNNER, ROCM_ON_HOSTED))
          .singleElement().satisfies(v -> assertThat(v.hint()).contains("[self-hosted, rocm]"));
      assertThat(check(WorkflowRules.GPU_RUNNER_LABELLED, ROCM_ON_HOSTED.replace("runs-on: ubuntu-latest\n    timeout",
              "runs-on: self-hosted\n    timeout")))
          .singleElement().satisfies(v -> assertThat(v.hint()).contains("[self-hosted, rocm]"));
    }

    @Test
    void an_nvidia_workflow_keeps_the_nvidia_hint() {
      // when
      List<Violation> found = check(WorkflowRules.GPU_TEST_JOB,
          ROCM_ON_HOSTED.replace("--device /dev/kfd --device /dev/dri", "--gpus all").replace("rocm-smi", "nvidia-smi"));

      // then
      assertThat(found).singleElement().satisfies(v -> assertThat(v.hint())
          .contains("[self-hosted, gpu]", "--gpus all").doesNotContain("ROCm"));
    }
  }

  @Nested
  class Gpu_timeout {

    @Test
    void is_asked_of_a_job_on_a_gpu_runner_that_shows_no_gpu_use() {
      // when
      List<Violation> found = check(WorkflowRules.GPU_JOB_TIMEOUT,
          "on: push\njobs:\n  t:\n    runs-on: [self-hosted, mi300x]\n    steps:\n      - run: pytest -x tests/\n");

      // then
      assertThat(found).singleElement().satisfies(v ->
          assertThat(v.message()).isEqualTo(
              "job 't' runs on the GPU runner [self-hosted, mi300x] but has no timeout-minutes (GitHub's default is 360)"));
    }

    @Test
    void is_not_asked_for_weak_evidence_off_gpu_runners() {
      assertThat(check(WorkflowRules.GPU_JOB_TIMEOUT,
          "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest tests/test_gpu.py\n"))
          .isEmpty();
    }
  }

  @Nested
  class Gpu_tests {

    @Test
    void a_job_whose_gpu_test_is_known_by_name_only_on_a_gpu_runner_counts_as_the_gpu_test() {
      // given
      String text =
          """
          on: push
          jobs:
            build:
              runs-on: ubuntu-latest
              steps:
                - run: docker build -t acme/app:ci .
            test:
              needs: build
              runs-on: [self-hosted, gpu]
              timeout-minutes: 30
              steps:
                - run: pytest tests/test_gpu.py
          """;

      // then
      assertThat(check(WorkflowRules.GPU_TEST_JOB, text)).isEmpty();
      assertThat(JobTraits.surelyTestsOnGpuRunner(Workflow.parse(Path.of("ci.yml"), text).job("test").orElseThrow(),
          GpuKitConfig.defaults())).isTrue();
    }

    @Test
    void a_gpu_test_known_by_name_only_on_a_bare_self_hosted_runner_does_not_ask_for_the_build() {
      // given
      String text =
          """
          on: push
          jobs:
            build:
              runs-on: ubuntu-latest
              steps:
                - run: docker build -t acme/app:ci .
            compat:
              runs-on: self-hosted
              steps:
                - run: pytest tests/test_gpu_fallback.py
          """;

      // then
      assertThat(check(WorkflowRules.TEST_NEEDS_BUILD, text)).isEmpty();
      assertThat(check(WorkflowRules.GPU_TEST_JOB, text)).isEmpty();
    }
  }
}

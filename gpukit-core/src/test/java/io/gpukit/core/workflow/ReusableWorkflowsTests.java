package io.gpukit.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceLocation;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ReusableWorkflowsTests {

  private static final Path ROOT = Path.of("repo");
  private static final Path CI = ROOT.resolve(".github/workflows/ci.yml");
  private static final Path GPU_TESTS = ROOT.resolve(".github/workflows/gpu-tests.yml");

  private static final String CALLER =
      """
      on: [push, pull_request]
      jobs:
        build:
          runs-on: ubuntu-24.04
          steps:
            - run: docker build -t ghcr.io/acme/llm:${{ github.sha }} .
        gpu-test:
          needs: [build]
          uses: %s
        push:
          needs: [%s]
          if: github.ref == 'refs/heads/main'
          runs-on: ubuntu-24.04
          steps:
            - run: docker push ghcr.io/acme/llm:${{ github.sha }}
      """;

  private static final String GPU_CALLED =
      """
      on: workflow_call
      jobs:
        smoke:
          runs-on: [self-hosted, gpu]
          steps:
            - run: docker run --rm --gpus all ghcr.io/acme/llm:${{ github.sha }} nvidia-smi
      """;

  private static final String CPU_CALLED =
      """
      on: workflow_call
      jobs:
        unit:
          runs-on: ubuntu-24.04
          steps:
            - run: python3 -m pytest
      """;

  private static Workflow caller(String uses, String pushNeeds) {
    return Workflow.parse(CI, CALLER.formatted(uses, pushNeeds));
  }

  private static Workflow resolve(Workflow wf, Workflow... others) {
    Map<Path, Workflow> all = new LinkedHashMap<>();
    all.put(wf.path(), wf);
    for (Workflow o : others) {
      all.put(o.path(), o);
    }
    return ReusableWorkflows.resolve(wf, all, ROOT);
  }

  private static List<Violation> check(Workflow wf, String ruleId) {
    return WorkflowRules.ALL.stream().filter(r -> r.descriptor().id().equals(ruleId))
        .flatMap(r -> r.check(wf, SourceLocation.startOf(wf.path()), GpuKitConfig.defaults()).stream())
        .toList();
  }

  @Nested
  class Resolving {

    @Test
    void a_call_of_a_workflow_of_the_project_gets_its_jobs() {
      // given
      Workflow called = Workflow.parse(GPU_TESTS, GPU_CALLED);

      // when
      Workflow wf = resolve(caller("./.github/workflows/gpu-tests.yml", "gpu-test"), called);

      // then
      Job call = wf.job("gpu-test").orElseThrow();
      assertThat(call.called()).extracting(Job::id).containsExactly("smoke");
      assertThat(call.callsUnreadWorkflow()).isFalse();
    }

    @Test
    void a_call_of_another_repositorys_or_an_unread_workflow_stays_as_it_is() {
      // given
      Workflow called = Workflow.parse(GPU_TESTS, GPU_CALLED);
      Workflow remote = caller("acme/ci/.github/workflows/gpu-tests.yml@v1", "gpu-test");
      Workflow unread = caller("./.github/workflows/other.yml", "gpu-test");
      Workflow outside = caller("./../repo/.github/workflows/gpu-tests.yml", "gpu-test");

      // then
      assertThat(resolve(remote, called)).isSameAs(remote);
      assertThat(resolve(unread, called)).isSameAs(unread);
      assertThat(resolve(outside, called)).isSameAs(outside);
      assertThat(remote.job("gpu-test").orElseThrow().callsUnreadWorkflow()).isTrue();
    }

    @Test
    void workflows_that_call_each_other_end_the_walk() {
      // given
      Workflow a = Workflow.parse(GPU_TESTS,
          "on: workflow_call\njobs:\n  again:\n    uses: ./.github/workflows/ci.yml\n");
      Workflow ci = caller("./.github/workflows/gpu-tests.yml", "gpu-test");

      // when
      Workflow wf = resolve(ci, a);

      // then
      Job again = wf.job("gpu-test").orElseThrow().called().get(0);
      assertThat(again.id()).isEqualTo("again");
      assertThat(again.called()).isEmpty();
    }
  }

  @Nested
  class Hostile_calls {

    @Test
    void workflows_that_call_others_many_times_stop_at_the_called_jobs_limit() {
      // given three levels of 200 calls each: eight million called jobs if every call were followed
      Workflow w1 = calls(CI, ".github/workflows/w2.yml");
      Workflow w2 = calls(ROOT.resolve(".github/workflows/w2.yml"), ".github/workflows/w3.yml");
      Workflow w3 = Workflow.parse(ROOT.resolve(".github/workflows/w3.yml"), GPU_CALLED);

      // when
      Workflow wf = resolve(w1, w2, w3);

      // then
      assertThat(wf.jobs()).anyMatch(j -> !j.called().isEmpty()).anyMatch(Job::callsUnreadWorkflow);
    }

    private Workflow calls(Path file, String target) {
      StringBuilder sb = new StringBuilder("on: workflow_call\njobs:\n");
      for (int i = 0; i < 200; i++) {
        sb.append("  j").append(i).append(":\n    uses: ./").append(target).append('\n');
      }
      return Workflow.parse(file, sb.toString());
    }
  }

  @Nested
  class Judging {

    @Test
    void a_called_workflow_that_tests_on_a_gpu_is_the_gpu_test() {
      // given
      Workflow wf = resolve(caller("./.github/workflows/gpu-tests.yml", "gpu-test"), Workflow.parse(GPU_TESTS, GPU_CALLED));

      // then
      assertThat(check(wf, "workflow/gpu-test-job")).isEmpty();
      assertThat(check(wf, "workflow/push-needs-test")).isEmpty();
    }

    @Test
    void a_push_that_does_not_need_the_called_gpu_test_is_reported() {
      // given
      Workflow wf = resolve(caller("./.github/workflows/gpu-tests.yml", "build"), Workflow.parse(GPU_TESTS, GPU_CALLED));

      // then
      assertThat(check(wf, "workflow/push-needs-test")).singleElement()
          .satisfies(v -> assertThat(v.message()).contains("does not need the GPU test job 'gpu-test'"));
    }

    @Test
    void a_called_workflow_that_tests_only_on_cpus_is_no_gpu_test() {
      // given
      Workflow unresolved = caller("./.github/workflows/gpu-tests.yml", "gpu-test");
      Workflow wf = resolve(unresolved, Workflow.parse(GPU_TESTS, CPU_CALLED));

      // then
      assertThat(check(unresolved, "workflow/gpu-test-job")).as("an unread call keeps the benefit of the doubt").isEmpty();
      assertThat(check(wf, "workflow/gpu-test-job")).singleElement()
          .satisfies(v -> assertThat(v.location()).isEqualTo(wf.jobsLocation()));
      assertThat(check(wf, "workflow/push-needs-test")).isEmpty();
    }
  }
}

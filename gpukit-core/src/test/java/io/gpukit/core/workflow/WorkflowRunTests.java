package io.gpukit.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.policy.Violation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A push on {@code workflow_run}, as its own file judges it ({@link WorkflowRun}, the workflow rules). */
class WorkflowRunTests {

  /** A publish workflow: the push job's {@code if}, and a line under the trigger (its branches) or none. */
  private static String publish(String condition, String branches) {
    return """
        name: publish
        on:
          workflow_run:
            workflows: ["GPU tests"]
            types: [completed]
        %s
        jobs:
          push:
            if: %s
            runs-on: ubuntu-24.04
            steps:
              - run: docker build -t ghcr.io/acme/llm:${{ github.event.workflow_run.head_sha }} .
              - run: docker push ghcr.io/acme/llm:${{ github.event.workflow_run.head_sha }}
        """.formatted(branches, condition);
  }

  private static final String MAIN_ONLY = "    branches: [main]";

  private static Workflow parse(String text) {
    return Workflow.parse(Path.of("publish.yml"), text);
  }

  private static List<Violation> check(Rule<Workflow> rule, String text) {
    Workflow wf = parse(text);
    return rule.check(wf, wf.location(), GpuKitConfig.defaults());
  }

  private static boolean checksConclusion(Workflow wf, String jobId) {
    Job job = wf.job(jobId).orElseThrow();
    return WorkflowRun.checksConclusion(wf, job, JobTraits.pushSteps(job).get(0));
  }

  @Nested
  class The_trigger {

    @Test
    void keeps_the_names_of_the_workflows_it_follows() {
      // when
      Workflow wf = parse(publish("github.event.workflow_run.conclusion == 'success'", MAIN_ONLY));

      // then
      assertThat(WorkflowRun.trigger(wf)).hasValueSatisfying(t -> {
        assertThat(t.workflows()).containsExactly("GPU tests");
        assertThat(t.branches()).containsExactly("main");
        assertThat(t.isWorkflowRun()).isTrue();
      });
    }

    @Test
    void reads_one_name_written_as_a_scalar_and_shows_it_in_the_parse_output() {
      // when
      Workflow wf = parse("on:\n  workflow_run:\n    workflows: GPU tests\njobs: {}\n");

      // then
      assertThat(WorkflowRun.trigger(wf)).hasValueSatisfying(t -> assertThat(t.workflows()).containsExactly("GPU tests"));
      assertThat(WorkflowJson.toJson(wf).replaceAll("\\s", "")).contains("\"workflows\":[\"GPUtests\"]");
    }
  }

  @Nested
  class The_conclusion {

    @Test
    void is_checked_by_the_job_that_pushes() {
      assertThat(checksConclusion(parse(publish("${{ github.event.workflow_run.conclusion == 'success' }}", "")), "push"))
          .isTrue();
    }

    @Test
    void is_checked_by_a_job_the_push_needs() {
      // given
      Workflow wf = parse("""
          on:
            workflow_run: {workflows: [GPU tests], types: [completed]}
          jobs:
            gate:
              if: "'success' == github.event.workflow_run.conclusion"
              runs-on: ubuntu-24.04
              steps: [run: "true"]
            push:
              needs: [gate]
              runs-on: ubuntu-24.04
              steps:
                - run: docker push ghcr.io/acme/llm:1.0
          """);

      // then
      assertThat(checksConclusion(wf, "push")).isTrue();
    }

    @Test
    void is_not_checked_when_the_push_runs_always_after_the_job_that_checks_it() {
      // given
      Workflow wf = parse("""
          on:
            workflow_run: {workflows: [GPU tests], types: [completed]}
          jobs:
            gate:
              if: github.event.workflow_run.conclusion == 'success'
              runs-on: ubuntu-24.04
              steps: [run: "true"]
            push:
              needs: [gate]
              if: always()
              runs-on: ubuntu-24.04
              steps:
                - run: docker push ghcr.io/acme/llm:1.0
          """);

      // then
      assertThat(checksConclusion(wf, "push")).isFalse();
    }

    @Test
    void is_not_checked_by_an_alternative_or_by_a_test_for_failure() {
      assertThat(checksConclusion(parse(publish(
          "github.event.workflow_run.conclusion == 'success' || github.event_name == 'workflow_dispatch'", "")), "push"))
          .isFalse();
      assertThat(checksConclusion(parse(publish("github.event.workflow_run.conclusion != 'failure'", "")), "push"))
          .isFalse();
    }
  }

  @Nested
  class Checked_alone {

    @Test
    void a_push_that_requires_success_is_not_told_to_add_a_gpu_test_nor_a_main_gate() {
      // given
      String text = publish("github.event.workflow_run.conclusion == 'success'", "");

      // then
      assertThat(check(WorkflowRules.GPU_TEST_JOB, text)).isEmpty();
      assertThat(check(WorkflowRules.PUSH_NEEDS_TEST, text)).isEmpty();
      assertThat(check(WorkflowRules.PUSH_GATED_ON_MAIN, text)).isEmpty();
    }

    @Test
    void a_push_that_runs_after_any_run_is_told_to_require_success() {
      // when
      List<Violation> found = check(WorkflowRules.PUSH_NEEDS_TEST, publish("github.repository == 'acme/llm'", MAIN_ONLY));

      // then
      assertThat(found).singleElement().satisfies(v -> {
        assertThat(v.message()).contains("job 'push'", "whenever 'GPU tests' completes", "after a failed GPU test");
        assertThat(v.hint()).isEqualTo("add \"if: github.event.workflow_run.conclusion == 'success'\" to job 'push'");
      });
    }

    @Test
    void a_workflow_with_other_triggers_is_still_judged_for_them() {
      // given: a manual run pushes from any branch, and nothing requires a workflow_run
      String text = """
          on:
            workflow_run: {workflows: [GPU tests], types: [completed]}
            workflow_dispatch:
          jobs:
            push:
              runs-on: ubuntu-24.04
              steps:
                - run: docker build -t ghcr.io/acme/llm:1.0 . && docker push ghcr.io/acme/llm:1.0
          """;

      // then
      assertThat(check(WorkflowRules.PUSH_GATED_ON_MAIN, text)).hasSize(1);
      assertThat(check(WorkflowRules.PUSH_NEEDS_TEST, text)).hasSize(1);
      assertThat(check(WorkflowRules.GPU_TEST_JOB, text)).hasSize(1);
    }

    @Test
    void a_workflow_that_also_pushes_on_push_is_told_to_add_a_gpu_test() {
      // given: the push job runs for pushes to main too, where nothing tested the image
      String text = publish("github.event.workflow_run.conclusion == 'success' || github.event_name == 'push'", "")
          .replace("  workflow_run:\n", "  push:\n    branches: [main]\n  workflow_run:\n");

      // then
      assertThat(check(WorkflowRules.GPU_TEST_JOB, text)).hasSize(1);
    }
  }

  @Nested
  class The_branches_it_follows {

    @Test
    void are_main_with_a_branch_filter_or_a_head_branch_condition() {
      // given
      Workflow filtered = parse(publish("github.event.workflow_run.conclusion == 'success'", MAIN_ONLY));
      Workflow conditioned = parse(publish(
          "github.event.workflow_run.conclusion == 'success' && github.event.workflow_run.head_branch == 'main'", ""));
      Workflow any = parse(publish("github.event.workflow_run.conclusion == 'success'", ""));

      // then
      assertThat(limitedToMain(filtered)).isTrue();
      assertThat(limitedToMain(conditioned)).isTrue();
      assertThat(limitedToMain(any)).isFalse();
    }

    @Test
    void are_gated_by_the_file_itself_only_when_pull_requests_or_forks_are_kept_out() {
      // given
      Workflow mainOnly = parse(publish("github.event.workflow_run.conclusion == 'success'", MAIN_ONLY));
      Workflow pushesOnly = parse(publish(
          "github.event.workflow_run.conclusion == 'success' && github.event.workflow_run.event == 'push'", MAIN_ONLY));
      Workflow ownRepository = parse(publish("github.event.workflow_run.conclusion == 'success'"
          + " && github.event.workflow_run.head_repository.full_name == github.repository", MAIN_ONLY));

      // then: a fork's pull request from its own main passes 'branches: [main]'
      assertThat(gatedOnMain(mainOnly)).isFalse();
      assertThat(gatedOnMain(pushesOnly)).isTrue();
      assertThat(gatedOnMain(ownRepository)).isTrue();
    }

    private boolean limitedToMain(Workflow wf) {
      Job job = wf.job("push").orElseThrow();
      return WorkflowRun.limitedToMainBranch(wf, job, JobTraits.pushSteps(job).get(0));
    }

    private boolean gatedOnMain(Workflow wf) {
      Job job = wf.job("push").orElseThrow();
      return WorkflowRun.gatedOnMainByItself(wf, job, JobTraits.pushSteps(job).get(0));
    }
  }

  @Nested
  class The_rule_docs {

    @Test
    void say_how_tags_protected_refs_and_workflow_run_gate_a_push_on_main() {
      assertThat(WorkflowRules.PUSH_GATED_ON_MAIN.descriptor().rationale())
          .contains("tags", "release", "Protected branches", "do not count", "workflow_run",
              "project/workflow-run-gpu-test");
    }

    @Test
    void say_how_called_workflows_and_workflow_run_gate_a_push_on_the_gpu_test() {
      assertThat(WorkflowRules.PUSH_NEEDS_TEST.descriptor().rationale())
          .contains("local reusable workflow", "another repository", "workflow_run",
              "github.event.workflow_run.conclusion == 'success'");
    }
  }
}

package io.gpukit.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.policy.BuiltInRules;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.source.SourceParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowParserTests {

  private static final Path FILE = Path.of(".github/workflows/ci.yml");

  private static Workflow parse(String text) {
    return Workflow.parse(FILE, text);
  }

  private static String withJobs(String on) {
    return on + "\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n";
  }

  @Nested
  class On {

    @Test
    void reads_a_single_event() {
      // when
      Workflow wf = parse(withJobs("on: push"));

      // then
      assertThat(wf.triggers()).extracting(Trigger::event).containsExactly("push");
      assertThat(wf.triggers().get(0).location()).isEqualTo(SourceLocation.of(FILE, 1, 5));
    }

    @Test
    void reads_a_list_of_events() {
      assertThat(parse(withJobs("on: [push, pull_request]")).triggers())
          .extracting(Trigger::event)
          .containsExactly("push", "pull_request");
    }

    @Test
    void reads_filters_dispatch_and_schedule_from_a_mapping() {
      // given
      String on =
          """
          on:
            push:
              branches: [main, 'release/**']
              tags: v*
              paths-ignore: [docs/**]
            pull_request:
              types: [opened, synchronize]
            workflow_dispatch:
            schedule:
              - cron: '0 3 * * 1'
          """;

      // when
      Workflow wf = parse(withJobs(on));

      // then
      Trigger push = wf.trigger("push").orElseThrow();
      assertThat(push.branches()).containsExactly("main", "release/**");
      assertThat(push.tags()).containsExactly("v*");
      assertThat(push.pathsIgnore()).containsExactly("docs/**");
      assertThat(wf.trigger("pull_request").orElseThrow().types()).containsExactly("opened", "synchronize");
      assertThat(wf.trigger("workflow_dispatch")).isPresent();
      assertThat(wf.trigger("schedule").orElseThrow().crons()).containsExactly("0 3 * * 1");
      assertThat(wf.triggersOnPullRequest()).isTrue();
    }

    @Test
    void keeps_on_a_string_key_even_quoted() {
      assertThat(parse(withJobs("\"on\": push")).triggers()).extracting(Trigger::event).containsExactly("push");
    }
  }

  @Nested
  class Jobs {

    private static final String JOBS =
        """
        on: push
        env: {IMAGE: ghcr.io/acme/app}
        concurrency: ci-${{ github.ref }}
        permissions: read-all
        jobs:
          build:
            name: Build
            runs-on: ubuntu-latest
            outputs:
              tag: ${{ steps.meta.outputs.tag }}
            steps:
              - id: meta
                name: Tag
                run: |
                  echo "tag=${GITHUB_SHA::12}" >> "$GITHUB_OUTPUT"
                  docker build -t "$IMAGE" .
                shell: bash
                env: {DOCKER_BUILDKIT: "1"}
              - uses: actions/upload-artifact@v4
                if: success()
                with:
                  name: image
          test:
            needs: build
            if: github.event_name == 'push'
            runs-on: {group: gpu-runners, labels: [linux, a100]}
            timeout-minutes: 30
            container:
              image: nvidia/cuda:12.4.1-runtime-ubuntu22.04
              options: --gpus all
            services:
              redis: redis:7
            steps:
              - run: nvidia-smi
          gpu:
            needs: [build, test]
            strategy:
              matrix:
                runner: [[self-hosted, a100], [self-hosted, t4]]
                include:
                  - runner: [self-hosted, h100]
            runs-on: ${{ matrix.runner }}
            steps:
              - run: make gpu-test
          call:
            uses: ./.github/workflows/gpu-tests.yml
            with: {image: ghcr.io/acme/app}
        """;

    @Test
    void reads_every_part_of_a_job_with_its_location() {
      // when
      Workflow wf = parse(JOBS);

      // then
      assertThat(wf.env()).extracting(Entry::key, Entry::value).containsExactly(org.assertj.core.groups.Tuple.tuple("IMAGE", "ghcr.io/acme/app"));
      assertThat(wf.concurrency().orElseThrow().group()).isEqualTo("ci-${{ github.ref }}");
      assertThat(wf.permissions().orElseThrow().all()).contains("read-all");
      assertThat(wf.jobsLocation().line()).isEqualTo(5);
      Job build = wf.job("build").orElseThrow();
      assertThat(build.location()).isEqualTo(SourceLocation.of(FILE, 6, 3));
      assertThat(build.name()).contains("Build");
      assertThat(build.outputs()).extracting(Entry::key).containsExactly("tag");
      Step first = build.steps().get(0);
      assertThat(first.id()).contains("meta");
      assertThat(first.run().orElseThrow()).contains("docker build -t \"$IMAGE\" .\n");
      assertThat(first.shell()).contains("bash");
      assertThat(first.env()).extracting(Entry::value).containsExactly("1");
      assertThat(first.location()).isEqualTo(SourceLocation.of(FILE, 12, 9));
      assertThat(build.steps().get(1).action()).contains("actions/upload-artifact");
      assertThat(build.steps().get(1).condition()).contains("success()");
      assertThat(build.steps().get(1).input("name")).contains("image");
    }

    @Test
    void reads_needs_if_container_services_timeout_and_a_runner_group() {
      // when
      Job test = parse(JOBS).job("test").orElseThrow();

      // then
      assertThat(test.needIds()).containsExactly("build");
      assertThat(test.condition()).contains("github.event_name == 'push'");
      assertThat(test.timeoutMinutes()).contains("30");
      assertThat(test.container().orElseThrow().options()).contains("--gpus all");
      assertThat(test.services()).extracting(c -> c.id().orElseThrow(), Container::image)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("redis", "redis:7"));
      assertThat(test.runsOn().orElseThrow()).isInstanceOfSatisfying(RunsOn.Group.class, g -> {
        assertThat(g.group()).contains("gpu-runners");
        assertThat(g.labels()).containsExactly("linux", "a100");
      });
    }

    @Test
    void resolves_a_matrix_runner_expression_with_its_includes() {
      // when
      Job gpu = parse(JOBS).job("gpu").orElseThrow();

      // then
      assertThat(gpu.runsOn().orElseThrow()).isInstanceOf(RunsOn.Expression.class);
      assertThat(gpu.runnerLabelSets())
          .containsExactly(List.of("self-hosted", "a100"), List.of("self-hosted", "t4"), List.of("self-hosted", "h100"));
      assertThat(gpu.matrix().orElseThrow().include()).hasSize(1);
    }

    @Test
    void tells_a_quoted_matrix_scalar_from_a_plain_one() {
      // given
      String text =
          """
          on: push
          jobs:
            t:
              runs-on: ubuntu-latest
              strategy:
                matrix:
                  gpu: [true, 'false']
                  include:
                    - gpu: true
                      extra: x
              steps:
                - run: make
          """;

      // when
      Matrix matrix = parse(text).job("t").orElseThrow().matrix().orElseThrow();

      // then
      assertThat(matrix.axes().get(0).values()).extracting(Matrix.Value::text, Matrix.Value::quoted)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("true", false), org.assertj.core.groups.Tuple.tuple("false", true));
      assertThat(matrix.entriesWritten()).isTrue();
      assertThat(matrix.values("gpu")).hasSize(2);
    }

    @Test
    void keeps_an_unresolvable_expression_as_its_own_label() {
      // given
      String text = withJobs("on: push").replace("runs-on: ubuntu-latest", "runs-on: ${{ inputs.runner }}");

      // then
      assertThat(parse(text).jobs().get(0).runnerLabelSets()).containsExactly(List.of("${{ inputs.runner }}"));
    }

    @Test
    void reads_a_reusable_workflow_call() {
      // when
      Job call = parse(JOBS).job("call").orElseThrow();

      // then
      assertThat(call.isReusableWorkflowCall()).isTrue();
      assertThat(call.runsOn()).isEmpty();
      assertThat(call.with()).extracting(Entry::value).containsExactly("ghcr.io/acme/app");
    }

    @Test
    void follows_anchors_aliases_and_merge_keys() {
      // given
      String text =
          """
          on: push
          jobs:
            a:
              runs-on: &gpu [self-hosted, gpu]
              steps: &steps
                - run: nvidia-smi
            b:
              <<: {timeout-minutes: 10, runs-on: ubuntu-latest}
              runs-on: *gpu
              steps: *steps
          """;

      // when
      Job b = parse(text).job("b").orElseThrow();

      // then
      assertThat(b.runnerLabelSets()).containsExactly(List.of("self-hosted", "gpu"));
      assertThat(b.timeoutMinutes()).contains("10");
      assertThat(b.steps()).extracting(s -> s.run().orElseThrow()).containsExactly("nvidia-smi");
    }
  }

  @Nested
  class Hostile_input {

    private PolicyReport check(String text) {
      return PolicyEngine.withDefaults().evaluate(SourceFile.of(FILE, text), WorkflowKind.INSTANCE);
    }

    private Violation onlyParseError(String text) {
      PolicyReport report = check(text);
      assertThat(report.violations()).hasSize(1);
      Violation v = report.violations().get(0);
      assertThat(v.ruleId()).isEqualTo(BuiltInRules.PARSE_ERROR.id());
      return v;
    }

    @Test
    void refuses_an_alias_bomb_before_expanding_it() {
      // given
      StringBuilder sb = new StringBuilder("on: push\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
      for (int i = 1; i < 20; i++) {
        sb.append("x").append(i).append(": &a").append(i).append(" [");
        for (int j = 0; j < 9; j++) {
          sb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
        }
        sb.append("]\n");
      }
      sb.append("jobs: {}\n");

      // then
      Violation v = onlyParseError(sb.toString());
      assertThat(v.message()).containsIgnoringCase("alias");
    }

    @Test
    void refuses_duplicate_keys_at_the_second_one() {
      Violation v = onlyParseError("on: push\njobs:\n  a: {runs-on: x}\n  a: {runs-on: y}\n");
      assertThat(v.location()).isEqualTo(SourceLocation.of(FILE, 4, 3));
      assertThat(v.message()).contains("duplicate key 'a'");
    }

    @Test
    void refuses_tabs_used_as_indentation() {
      Violation v = onlyParseError("on: push\njobs:\n\ta:\n\t\truns-on: x\n");
      assertThat(v.location().line()).isEqualTo(3);
    }

    @Test
    void refuses_5000_levels_of_nesting_without_a_stack_overflow() {
      String deep = "on: push\njobs: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
      assertThat(onlyParseError(deep).message()).contains("nested more than");
    }

    @Test
    void refuses_invalid_utf8_where_it_is(@TempDir Path dir) throws IOException {
      // given
      Path file = dir.resolve("ci.yml");
      Files.write(file, new byte[] {'o', 'n', ':', ' ', 'p', 'u', 's', 'h', '\n', 'j', (byte) 0xC3, (byte) 0x28, '\n'});

      // when
      PolicyReport report = PolicyEngine.withDefaults().evaluate(file, WorkflowKind.INSTANCE);

      // then
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.ruleId()).isEqualTo(BuiltInRules.PARSE_ERROR.id());
        assertThat(v.location().line()).isEqualTo(2);
      });
    }

    @Test
    void says_on_is_missing() {
      assertThat(onlyParseError("jobs:\n  a: {runs-on: x}\n").message()).contains("needs 'on'");
    }

    @Test
    void says_jobs_should_be_a_mapping_where_the_list_is() {
      Violation v = onlyParseError("on: push\njobs:\n  - runs-on: x\n");
      assertThat(v.location()).isEqualTo(SourceLocation.of(FILE, 3, 3));
      assertThat(v.message()).contains("'jobs' should be a mapping");
    }

    @Test
    void refuses_an_empty_file_and_a_scalar_document() {
      assertThat(onlyParseError("").message()).contains("empty");
      assertThat(onlyParseError("just text").message()).contains("should be a mapping");
    }

    @Test
    void refuses_a_mapping_that_merges_itself() {
      assertThatThrownBy(() -> parse("on: push\njobs:\n  a: &a\n    <<: *a\n"))
          .isInstanceOf(SourceParseException.class);
    }

    @Test
    void checks_thousands_of_chained_jobs_without_recursion() {
      // given
      StringBuilder sb = new StringBuilder("on: push\njobs:\n");
      for (int i = 0; i < 5000; i++) {
        sb.append("  j").append(i).append(": {runs-on: x").append(i > 0 ? ", needs: j" + (i - 1) : ", needs: j4999").append("}\n");
      }

      // when
      PolicyReport report = check(sb.toString());

      // then
      assertThat(report.violations()).extracting(Violation::ruleId).containsExactly("workflow/needs-no-cycle");
    }
  }
}

package io.gpukit.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.source.SourceLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalActionsTests {

  @TempDir
  Path repo;

  private Path write(String relative, String text) throws IOException {
    Path file = repo.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  private Workflow workflow(String steps) throws IOException {
    Path file = write(".github/workflows/ci.yml",
        "on: [push, pull_request]\njobs:\n  test:\n    runs-on: [self-hosted, gpu]\n    steps:\n" + steps);
    return Workflow.parse(file);
  }

  private static List<Step> steps(Workflow wf) {
    return wf.jobs().get(0).steps();
  }

  private static final String SMOKE =
      """
      name: GPU smoke
      inputs:
        image:
          default: ghcr.io/acme/llm:ci
        mode:
          default: deep
      runs:
        using: composite
        steps:
          - shell: bash
            run: docker run --rm --gpus all "${{ inputs.image }}" probe --mode ${{ inputs.mode }}
            env:
              MODE: ${{ inputs.mode }}
      """;

  @Nested
  class Composite_actions {

    @Test
    void a_step_that_uses_a_local_action_becomes_the_actions_steps_located_in_action_yml() throws IOException {
      // given
      Path action = write(".github/actions/gpu-smoke/action.yml", SMOKE);
      Workflow wf = workflow("      - uses: actions/checkout@v4\n      - uses: ./.github/actions/gpu-smoke\n");

      // when
      Workflow expanded = LocalActions.expand(wf, repo);

      // then
      List<Step> steps = steps(expanded);
      assertThat(steps).extracting(Step::index).containsExactly(0, 1);
      assertThat(steps.get(1).run()).hasValueSatisfying(r -> assertThat(r).contains("--gpus all"));
      assertThat(steps.get(1).location()).isEqualTo(SourceLocation.of(action, 10, 7));
      assertThat(JobTraits.usesGpu(expanded.jobs().get(0), GpuKitConfig.defaults())).isTrue();
    }

    @Test
    void inputs_come_from_with_else_from_their_defaults() throws IOException {
      // given
      write(".github/actions/gpu-smoke/action.yml", SMOKE);
      Workflow wf = workflow("      - uses: ./.github/actions/gpu-smoke\n        with:\n          mode: readiness\n");

      // when
      Step step = steps(LocalActions.expand(wf, repo)).get(0);

      // then
      assertThat(step.run()).contains("docker run --rm --gpus all \"ghcr.io/acme/llm:ci\" probe --mode readiness");
      assertThat(step.env()).extracting(Entry::value).containsExactly("readiness");
    }

    @Test
    void the_callers_if_and_env_hold_for_every_step_of_the_action() throws IOException {
      // given
      write(".github/actions/publish/action.yaml",
          """
          runs:
            using: composite
            steps:
              - run: docker push ghcr.io/acme/llm:${{ github.sha }}
                if: ${{ success() }}
              - run: echo pushed
          """);
      Workflow wf = workflow(
          "      - uses: ./.github/actions/publish\n        if: github.ref == 'refs/heads/main'\n"
              + "        env:\n          REGISTRY: ghcr.io\n");

      // when
      List<Step> steps = steps(LocalActions.expand(wf, repo));

      // then
      assertThat(steps).extracting(Step::condition).containsExactly(
          Optional.of("(github.ref == 'refs/heads/main') && (success())"),
          Optional.of("github.ref == 'refs/heads/main'"));
      assertThat(steps.get(1).env()).extracting(Entry::key).containsExactly("REGISTRY");
    }

    @Test
    void nested_local_actions_are_followed() throws IOException {
      // given
      write(".github/actions/outer/action.yml",
          "runs:\n  using: composite\n  steps:\n    - uses: ./.github/actions/inner\n    - run: echo outer\n");
      write(".github/actions/inner/action.yml",
          "runs:\n  using: composite\n  steps:\n    - run: echo inner\n");
      Workflow wf = workflow("      - uses: ./.github/actions/outer\n");

      // when
      List<Step> steps = steps(LocalActions.expand(wf, repo));

      // then
      assertThat(steps).extracting(s -> s.run().orElse("")).containsExactly("echo inner", "echo outer");
    }

    @Test
    void gpu_evidence_lists_the_workflows_own_lines_before_the_actions() throws IOException {
      // given
      Path action = write(".github/actions/gpu-smoke/action.yml", SMOKE);
      Workflow wf = Workflow.parse(write(".github/workflows/ci.yml", "# a comment\n".repeat(20)
          + "on: push\njobs:\n  test:\n    runs-on: [self-hosted, gpu]\n    steps:\n"
          + "      - uses: ./.github/actions/gpu-smoke\n"));

      // when
      List<io.gpukit.core.policy.GpuEvidence> evidence =
          WorkflowKind.INSTANCE.gpuEvidence(LocalActions.expand(wf, repo), GpuKitConfig.defaults());

      // then
      assertThat(evidence).extracting(e -> e.location().file()).containsExactly(wf.path(), action);
    }

    @Test
    void a_workflow_without_local_actions_is_returned_as_it_is() throws IOException {
      // given
      Workflow wf = workflow("      - uses: actions/checkout@v4\n      - run: make\n");

      // when
      Workflow expanded = LocalActions.expand(wf, repo);

      // then
      assertThat(expanded).isSameAs(wf);
    }
  }

  @Nested
  class Hostile_actions {

    private static final String CALL = "      - uses: ./.github/actions/x\n      - run: make\n";

    private void assertStaysOpaque(Workflow wf) {
      Workflow expanded = LocalActions.expand(wf, repo);
      assertThat(steps(expanded)).extracting(s -> s.uses().orElse(s.run().orElse("")))
          .containsExactly("./.github/actions/x", "make");
    }

    @Test
    void a_missing_action_file_leaves_the_step_opaque() throws IOException {
      assertStaysOpaque(workflow(CALL));
    }

    @Test
    void an_action_that_is_not_yaml_leaves_the_step_opaque() throws IOException {
      // given
      write(".github/actions/x/action.yml", "runs: [unclosed\n  using: {composite\n");

      // then
      assertStaysOpaque(workflow(CALL));
    }

    @Test
    void an_empty_action_or_one_without_runs_leaves_the_step_opaque() throws IOException {
      // given
      write(".github/actions/x/action.yml", "");
      write(".github/actions/y/action.yml", "name: y\n");

      // then
      assertStaysOpaque(workflow(CALL));
      assertThat(LocalActions.steps("./.github/actions/y", repo)).isEmpty();
    }

    @Test
    void a_javascript_or_docker_action_is_not_opened() throws IOException {
      // given
      write(".github/actions/x/action.yml", "runs:\n  using: node20\n  main: dist/index.js\n");
      write(".github/actions/d/action.yml", "runs:\n  using: docker\n  image: Dockerfile\n");

      // then
      assertStaysOpaque(workflow(CALL));
      assertThat(LocalActions.steps("./.github/actions/d", repo)).isEmpty();
    }

    @Test
    void steps_of_the_wrong_shape_leave_the_step_opaque() throws IOException {
      // given
      write(".github/actions/x/action.yml", "runs:\n  using: composite\n  steps: docker push x\n");

      // then
      assertStaysOpaque(workflow(CALL));
    }

    @Test
    void a_folder_outside_the_repository_is_not_read() throws IOException {
      // given
      Path inside = repo.resolve("inside");
      Files.createDirectories(inside);
      write("x/action.yml", "runs:\n  using: composite\n  steps:\n    - run: docker push x\n");

      // then
      assertThat(LocalActions.steps("./../x", inside)).isEmpty();
      assertThat(LocalActions.steps("./x", repo)).isPresent();
    }

    @Test
    void an_action_that_uses_itself_ends_the_walk() throws IOException {
      // given
      write(".github/actions/x/action.yml",
          "runs:\n  using: composite\n  steps:\n    - uses: ./.github/actions/y\n    - run: echo x\n");
      write(".github/actions/y/action.yml",
          "runs:\n  using: composite\n  steps:\n    - uses: ./.github/actions/x\n    - run: echo y\n");
      Workflow wf = workflow("      - uses: ./.github/actions/x\n");

      // when
      List<Step> steps = steps(LocalActions.expand(wf, repo));

      // then
      assertThat(steps).extracting(s -> s.uses().orElse(s.run().orElse("")))
          .containsExactly("./.github/actions/x", "echo y", "echo x");
    }

    @Test
    void actions_that_use_others_many_times_do_not_multiply_a_job_past_its_step_limit() throws IOException {
      // given six levels of ten uses each: a million steps if every one were opened
      for (int i = 0; i < 6; i++) {
        String step = i < 5 ? "    - uses: ./.github/actions/f" + (i + 1) + "\n" : "    - run: echo leaf\n";
        write(".github/actions/f" + i + "/action.yml", "runs:\n  using: composite\n  steps:\n" + step.repeat(10));
      }
      Workflow wf = workflow("      - uses: ./.github/actions/f0\n");

      // when
      List<Step> steps = steps(LocalActions.expand(wf, repo));

      // then
      assertThat(steps).hasSizeBetween(LocalActions.MAX_STEPS - 10, LocalActions.MAX_STEPS + 10 * LocalActions.MAX_DEPTH);
      assertThat(steps).extracting(s -> s.run().orElse("")).contains("echo leaf");
    }

    @Test
    void a_deep_chain_of_actions_stops_at_the_depth_limit() throws IOException {
      // given
      int levels = LocalActions.MAX_DEPTH + 3;
      for (int i = 0; i < levels; i++) {
        write(".github/actions/a" + i + "/action.yml",
            "runs:\n  using: composite\n  steps:\n    - uses: ./.github/actions/a" + (i + 1) + "\n    - run: echo " + i + "\n");
      }
      Workflow wf = workflow("      - uses: ./.github/actions/a0\n");

      // when
      List<Step> steps = steps(LocalActions.expand(wf, repo));

      // then
      assertThat(steps).hasSize(LocalActions.MAX_DEPTH + 1);
      assertThat(steps.get(0).uses()).hasValue("./.github/actions/a" + LocalActions.MAX_DEPTH);
    }
  }
}

package io.gpukit.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.Violation;
import io.gpukit.core.workflow.WorkflowRules;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project view opens local composite actions: their findings point into action.yml and are judged there. */
class ProjectLocalActionsTests {

  private static final String IMMUTABLE_TAG = WorkflowRules.PUSH_IMMUTABLE_TAG.id();
  private static final String ACTION = ".github/actions/publish/action.yml";
  private static final String WORKFLOW = ".github/workflows/ci.yml";

  /** The push-from-a-local-action repository, its action pushing only its default tag, 'latest'. */
  private static TestRepository pushingLatest(Path folder) {
    return TestRepository.copyOf("err/local-action-push", folder)
        .replace(WORKFLOW, "          tag: ${{ github.sha }}\n", "");
  }

  private static List<Violation> of(List<Violation> violations, String ruleId) {
    return violations.stream().filter(v -> v.ruleId().equals(ruleId)).toList();
  }

  @Nested
  class Findings_in_an_action {

    @Test
    void point_at_the_step_in_action_yml(@TempDir Path folder) {
      // when
      GpuProject project = pushingLatest(folder).scan();

      // then
      assertThat(of(project.violations(), IMMUTABLE_TAG)).singleElement().satisfies(v -> {
        assertThat(v.location().file()).isEqualTo(folder.resolve(ACTION));
        assertThat(v.location().line()).isEqualTo(14);
      });
    }

    @Test
    void are_silenced_by_an_inline_ignore_in_action_yml(@TempDir Path folder) {
      // given
      TestRepository repo = pushingLatest(folder).replace(ACTION, "    - name: Push\n",
          "    # gpukit:ignore workflow/push-immutable-tag -- the release workflow pushes the version tag\n"
              + "    - name: Push\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(of(project.violations(), IMMUTABLE_TAG)).isEmpty();
      assertThat(of(project.report().suppressed(), IMMUTABLE_TAG)).singleElement()
          .satisfies(v -> assertThat(v.location().file()).isEqualTo(folder.resolve(ACTION)));
    }

    @Test
    void are_not_silenced_by_an_ignore_on_the_same_line_of_the_workflow(@TempDir Path folder) {
      // given line 14 of the workflow ignores the rule; line 14 of the action breaks it
      TestRepository repo = pushingLatest(folder).replace(WORKFLOW,
          "    runs-on: [self-hosted, gpu]\n    timeout-minutes: 30\n    steps:\n      - uses: actions/checkout@v4\n      - run: docker build",
          "    runs-on: [self-hosted, gpu]\n    timeout-minutes: 30  # gpukit:ignore workflow/push-immutable-tag -- elsewhere\n"
              + "    steps:\n      - uses: actions/checkout@v4\n      - run: docker build");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(of(project.violations(), IMMUTABLE_TAG)).singleElement()
          .satisfies(v -> assertThat(v.location()).hasToString(folder.resolve(ACTION) + ":14:7"));
    }

    @Test
    void of_an_action_two_workflows_use_are_reported_once(@TempDir Path folder) {
      // given
      TestRepository repo = pushingLatest(folder);
      repo.with(".github/workflows/release.yml", repo.read(WORKFLOW));

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(of(project.violations(), IMMUTABLE_TAG)).hasSize(1);
    }
  }

  @Nested
  class Steps_of_an_action {

    @Test
    void come_where_the_action_is_used_in_the_job(@TempDir Path folder) {
      // given the GPU test job pushes through the local action after its GPU test (the action's file sorts first)
      TestRepository repo = TestRepository.copyOf("err/local-action-push", folder).replace(WORKFLOW,
          "java -jar /opt/gpukit/gpukit-probe.jar --mode deep\n",
          "java -jar /opt/gpukit/gpukit-probe.jar --mode deep\n"
              + "      - uses: ./.github/actions/publish\n        with:\n          image: ghcr.io/acme/llm\n"
              + "          tag: ${{ github.sha }}\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(of(project.violations(), WorkflowRules.PUSH_NEEDS_TEST.id())).isEmpty();
      assertThat(of(project.violations(), WorkflowRules.PUSH_GATED_ON_MAIN.id()))
          .extracting(v -> v.message()).anyMatch(m -> m.startsWith("job 'gpu-test' pushes the image"));
    }
  }

  @Nested
  class Messages {

    @Test
    void name_the_action_file_of_a_gpu_use_found_in_an_action(@TempDir Path folder) {
      // given the GPU smoke test's action runs on a GitHub-hosted runner
      TestRepository repo = TestRepository.copyOf("ok/local-action-gpu-test", folder)
          .replace(WORKFLOW, "    runs-on: [self-hosted, gpu]\n    timeout-minutes: 30\n    steps:\n      - uses: actions/checkout@v4\n      # the GPU",
              "    runs-on: ubuntu-24.04\n    timeout-minutes: 30\n    steps:\n      - uses: actions/checkout@v4\n      # the GPU");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(of(project.violations(), WorkflowRules.GPU_JOB_ON_GPU_RUNNER.id())).singleElement()
          .satisfies(v -> assertThat(v.message()).contains("at " + folder.resolve(".github/actions/gpu-smoke/action.yml") + ":"));
    }
  }

  @Nested
  class A_relative_repository_path {

    @Test
    void names_the_action_file_as_it_names_the_workflows(@TempDir Path folder) {
      // given
      pushingLatest(folder);
      Path relative = Path.of("").toAbsolutePath().relativize(folder);

      // when
      GpuProject project = GpuProject.scan(relative);

      // then
      assertThat(of(project.violations(), IMMUTABLE_TAG)).singleElement()
          .satisfies(v -> assertThat(v.location().file()).isEqualTo(relative.resolve(ACTION)));
      assertThat(project.artifacts().workflows()).extracting(w -> w.path().startsWith(relative)).containsOnly(true);
    }
  }

  @Nested
  class An_action_that_does_not_parse {

    @Test
    void is_a_located_parse_error_in_its_action_yml(@TempDir Path folder) {
      // given
      TestRepository repo = pushingLatest(folder).replace(ACTION, "runs:\n", "runs: {using: composite\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(of(project.violations(), "gpukit/parse-error")).singleElement().satisfies(v -> {
        assertThat(v.location().file()).isEqualTo(folder.resolve(ACTION));
        assertThat(v.severity()).isEqualTo(io.gpukit.core.policy.Severity.ERROR);
      });
    }

    @Test
    void is_silenced_by_an_ignore_of_its_path_in_gpukit_yaml(@TempDir Path folder) {
      // given
      TestRepository repo = pushingLatest(folder).replace(ACTION, "runs:\n", "runs: {using: composite\n")
          .with("gpukit.yaml", "ignore:\n  - rule: gpukit/parse-error\n    paths: [\".github/actions/**\"]\n"
              + "    reason: the action is generated at release time\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(of(project.violations(), "gpukit/parse-error")).isEmpty();
    }

    @Test
    void is_no_finding_when_the_action_is_not_composite(@TempDir Path folder) {
      // given: a JavaScript action, which parses and stays opaque
      TestRepository repo = pushingLatest(folder).with(ACTION, "name: Publish\nruns:\n  using: node20\n  main: index.js\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(of(project.violations(), "gpukit/parse-error")).isEmpty();
    }
  }
}

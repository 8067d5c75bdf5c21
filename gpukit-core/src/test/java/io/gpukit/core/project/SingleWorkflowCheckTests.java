package io.gpukit.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.workflow.WorkflowRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A workflow file checked on its own ({@code gpukit check .github/workflows/ci.yml}) is read as the
 * project view reads it: local composite actions and local reusable workflows opened, a push on
 * {@code workflow_run} judged against the workflows it follows. Its workflow findings are the
 * folder check's for that file.
 */
class SingleWorkflowCheckTests {

  private static final String ACTION = ".github/actions/publish/action.yml";
  private static final String CI = ".github/workflows/ci.yml";

  private static Path fixtures(String folder) {
    try {
      return Path.of(SingleWorkflowCheckTests.class.getResource("/fixtures/" + folder).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every workflow of the project fixtures and the corpus. */
  static Stream<Path> workflows() {
    try (Stream<Path> s = Stream.of(fixtures("project"), fixtures("corpus")).flatMap(SingleWorkflowCheckTests::walk)) {
      return s.filter(f -> f.getParent().endsWith(Path.of(".github", "workflows")))
          .filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
          .sorted().toList().stream();
    }
  }

  private static Stream<Path> walk(Path folder) {
    try {
      return Files.walk(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository of a workflow: the folder above .github. */
  private static Path repositoryOf(Path workflow) {
    return workflow.getParent().getParent().getParent();
  }

  /** Workflow findings and project/workflow-run-gpu-test, located in {@code file}, rendered relative to the repository. */
  private static List<String> about(List<Violation> violations, Path file, Path repository) {
    return violations.stream()
        .filter(v -> v.ruleId().startsWith("workflow/") || v.ruleId().equals(ProjectRules.WORKFLOW_RUN_GPU_TEST.id()))
        .filter(v -> v.location().file().toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize()))
        .map(v -> v.render().replace(repository + "/", ""))
        .sorted()
        .toList();
  }

  private static PolicyReport checkedAlone(Path file, Path repository) {
    return GpuKitCheck.with(GpuKitConfig.discover(repository)).run(List.of(file));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workflows")
  void a_workflow_checked_alone_gets_the_findings_the_folder_check_gives_it(Path workflow) {
    // given
    Path repository = repositoryOf(workflow);


    // when
    List<String> alone = about(checkedAlone(workflow, repository).violations(), workflow, repository);
    List<String> inProject = about(GpuProject.scan(repository).violations(), workflow, repository);

    // then
    assertThat(alone).as("%s checked alone", repository.relativize(workflow)).isEqualTo(inProject);
  }

  @Nested
  class Local_actions {

    @Test
    void a_finding_in_an_action_yml_is_reported_when_the_workflow_is_checked_alone(@TempDir Path folder) {
      // given: the action pushes only its default tag, 'latest'
      TestRepository repo = TestRepository.copyOf("err/local-action-push", folder)
          .replace(CI, "          tag: ${{ github.sha }}\n", "");

      // when
      PolicyReport report = checkedAlone(folder.resolve(CI), folder);

      // then
      assertThat(report.violationsOf(WorkflowRules.PUSH_IMMUTABLE_TAG.id())).singleElement().satisfies(v -> {
        assertThat(v.location().file()).isEqualTo(folder.resolve(ACTION));
        assertThat(v.location().line()).isEqualTo(14);
      });
      assertThat(repo.scan().violations()).filteredOn(v -> v.ruleId().equals(WorkflowRules.PUSH_IMMUTABLE_TAG.id()))
          .containsExactlyElementsOf(report.violationsOf(WorkflowRules.PUSH_IMMUTABLE_TAG.id()));
    }

    @Test
    void an_action_yml_that_does_not_parse_is_a_parse_error_there_when_the_workflow_is_checked_alone(
        @TempDir Path folder) {
      // given: the action's YAML is broken at line 3
      TestRepository repo = TestRepository.copyOf("err/local-action-push", folder)
          .replace(ACTION, "inputs:\n", "inputs: [\n");

      // when
      PolicyReport report = checkedAlone(folder.resolve(CI), folder);

      // then
      assertThat(report.violationsOf("gpukit/parse-error")).singleElement().satisfies(v -> {
        assertThat(v.location().file()).isEqualTo(folder.resolve(ACTION));
        assertThat(v.location().line()).isGreaterThanOrEqualTo(3);
        assertThat(v.hint()).contains("uses: ./.github/actions/publish");
      });
      assertThat(repo.scan().violations()).filteredOn(v -> v.ruleId().equals("gpukit/parse-error"))
          .containsExactlyElementsOf(report.violationsOf("gpukit/parse-error"));
    }

    @Test
    void a_gpu_test_in_an_action_counts_for_the_workflow_checked_alone() {
      // given
      Path repository = fixtures("project/ok/local-action-gpu-test");

      // when
      PolicyReport report = checkedAlone(repository.resolve(CI), repository);

      // then
      assertThat(report.violations()).isEmpty();
    }

    @Test
    void a_workflow_outside_a_github_folder_keeps_its_local_actions_opaque(@TempDir Path folder) throws IOException {
      // given: the workflow copied out of its repository
      Path repository = fixtures("project/ok/local-action-gpu-test");
      Path alone = Files.copy(repository.resolve(CI), folder.resolve("ci.yml"));

      // when
      PolicyReport report = checkedAlone(alone, folder);

      // then: no GPU test is seen, as before
      assertThat(report.violationsOf(WorkflowRules.GPU_TEST_JOB.id())).hasSize(1);
    }
  }

  @Nested
  class Workflow_run {

    @Test
    void a_renamed_test_workflow_is_reported_in_the_workflow_checked_alone() {
      // given
      Path repository = fixtures("project/err/workflow-run-renamed");

      // when
      PolicyReport report = checkedAlone(repository.resolve(".github/workflows/publish.yml"), repository);

      // then
      assertThat(report.violationsOf(ProjectRules.WORKFLOW_RUN_GPU_TEST.id())).singleElement()
          .satisfies(v -> assertThat(v.message()).contains("'GPU test'", "did you mean 'GPU tests'?"));
    }

    @Test
    void a_followed_workflow_that_gpukit_yaml_ignores_may_be_the_one_named(@TempDir Path folder) {
      // given: the followed workflow is ignored for every rule, so gpukit cannot tell its name
      TestRepository repo = TestRepository.copyOf("err/workflow-run-renamed", folder)
          .with("gpukit.yaml", "ignore:\n  - rule: \"*\"\n    paths: [\".github/workflows/gpu-tests.yml\"]\n    reason: vendored\n");

      // when
      PolicyReport alone = checkedAlone(repo.path(".github/workflows/publish.yml"), folder);

      // then
      assertThat(alone.violationsOf(ProjectRules.WORKFLOW_RUN_GPU_TEST.id())).isEmpty();
      assertThat(repo.scan().report().violationsOf(ProjectRules.WORKFLOW_RUN_GPU_TEST.id())).isEmpty();
    }

    @Test
    void a_gated_push_has_no_finding_checked_alone() {
      // given
      Path repository = fixtures("project/ok/workflow-run-gated");

      // when
      PolicyReport report = checkedAlone(repository.resolve(".github/workflows/publish.yml"), repository);

      // then
      assertThat(report.violations()).isEmpty();
    }
  }
}

package io.gpukit.core.project;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.policy.Baseline;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.promotion.PromotionRules;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GpuProject#scan}: discovery, missing artifacts, configuration, inline ignores and baselines. */
class GpuProjectTests {

  private static final String PROBE_RULE = ProjectRules.PROBE_MATCHES_HEALTHCHECK.id();
  private static final String SMOKE_TEST_READINESS = "command: [python3, /app/smoke_test.py]";
  private static final String GPUKIT_READINESS = "command: [java, -jar, /opt/gpukit/gpukit-probe.jar, --mode, readiness]";

  /** The complete repository with a readiness probe that runs another program than the HEALTHCHECK. */
  private static TestRepository mismatched(Path folder) {
    return TestRepository.complete(folder).replace("k8s/deployment.yaml", GPUKIT_READINESS, SMOKE_TEST_READINESS);
  }

  @Nested
  class Discovery {

    @Test
    void finds_every_artifact_in_the_conventional_places(@TempDir Path folder) {
      // when
      GpuProject project = TestRepository.complete(folder).scan();

      // then
      ProjectArtifacts artifacts = project.artifacts();
      assertThat(artifacts.dockerfiles()).extracting(d -> folder.relativize(d.path())).containsExactly(Path.of("Dockerfile"));
      assertThat(artifacts.workflows()).extracting(w -> folder.relativize(w.path()))
          .containsExactly(Path.of(".github/workflows/ci.yml"));
      assertThat(artifacts.manifests()).extracting(m -> folder.relativize(m.path()))
          .containsExactly(Path.of("k8s/deployment.yaml"));
      assertThat(artifacts.flows()).extracting(f -> folder.relativize(f.file())).containsExactly(Path.of("promotion.yaml"));
      assertThat(artifacts.runbooks()).extracting(f -> folder.relativize(f.file())).containsExactly(Path.of("ROLLBACK.md"));
      assertThat(project.report().files()).hasSize(5);
      assertThat(project).hasNoViolations();
    }

    @Test
    void build_output_and_vcs_folders_are_not_part_of_the_project(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .with("target/classes/Dockerfile", "FROM scratch\n")
          .with(".git/k8s.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project.artifacts().files()).hasSize(5);
      assertThat(project).hasNoViolations();
    }

    @Test
    void an_empty_folder_is_a_project_with_nothing_to_check(@TempDir Path folder) {
      // when
      GpuProject project = TestRepository.empty(folder).scan();

      // then
      assertThat(project.artifacts().isEmpty()).isTrue();
      assertThat(project.violations()).singleElement().satisfies(v -> {
        assertThat(v.ruleId()).isEqualTo("gpukit/nothing-to-check");
        assertThat(v.severity()).isEqualTo(Severity.ERROR);
        assertThat(v.location().file()).isEqualTo(folder);
        assertThat(v.hint()).contains("Dockerfile", ".github/workflows/*.yml", "ROLLBACK.md", "'project:' in gpukit.yaml");
      });
      assertThat(project.report().summary()).isEqualTo("0 files checked: 1 error, 0 warnings, 0 info");
    }

    @Test
    void nothing_to_check_can_be_turned_off_like_any_rule(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.empty(folder).with("gpukit.yaml", "severity:\n  gpukit/nothing-to-check: off\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project.violations()).isEmpty();
      assertThat(project).hasNoViolations();
    }

    @Test
    void project_paths_that_match_nothing_leave_nothing_to_check(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.empty(folder).with("gpukit.yaml", "project:\n  dockerfiles: [\"docker/*\"]\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project.violations()).extracting(Violation::ruleId)
          .containsExactlyInAnyOrder("project/configured-paths-exist", "gpukit/nothing-to-check");
    }

    @Test
    void a_path_that_is_not_a_folder_is_refused(@TempDir Path folder) {
      assertThatThrownBy(() -> GpuProject.scan(folder.resolve("missing")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a folder").hasMessageContaining("missing");
      assertThatThrownBy(() -> GpuProject.scan(TestRepository.complete(folder).path("Dockerfile")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a folder");
    }
  }

  @Nested
  class Project_paths_in_gpukit_yaml {

    @Test
    void replace_the_conventional_places_for_the_kinds_they_name(@TempDir Path folder) {
      // given: the manifests live in deploy/, and an old copy elsewhere must not count
      TestRepository repo = TestRepository.complete(folder)
          .with("deploy/llm.yaml", TestRepository.fixtureText("ok/complete/k8s/deployment.yaml"))
          .replace("k8s/deployment.yaml", "ghcr.io/acme/llm:", "ghcr.io/acme/llm-old:")
          .with("gpukit.yaml", "project:\n  manifests: [\"deploy/*.yaml\"]\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project.artifacts().manifests()).extracting(m -> folder.relativize(m.path()))
          .containsExactly(Path.of("deploy/llm.yaml"));
      assertThat(project.artifacts().dockerfiles()).hasSize(1);
      assertThat(project).hasNoViolations();
    }

    @Test
    void the_old_copy_counts_when_gpukit_yaml_names_no_place(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .replace("k8s/deployment.yaml", "ghcr.io/acme/llm:", "ghcr.io/acme/llm-old:");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project).hasViolation(ProjectRules.IMAGE_REPOSITORY_PUSHED.id()).atLine(28);
    }

    @Test
    void a_path_that_matches_no_file_is_reported_on_its_line(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .with("gpukit.yaml", "fail-on: error\nproject:\n  dockerfiles:\n    - docker/gpu.Dockerfile\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project).hasViolation(ProjectRules.CONFIGURED_PATHS_EXIST.id()).atLine(4)
          .withMessageContaining("project.dockerfiles path 'docker/gpu.Dockerfile' matches no file");
      assertThat(project.artifacts().dockerfiles()).isEmpty();
      assertThat(project.artifacts().unmatchedPaths()).containsOnlyKeys("dockerfiles");
    }
  }

  @Nested
  class Missing_artifacts {

    @Test
    void a_gpu_dockerfile_alone_is_checked_for_what_it_is(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.copyOf("ok/dockerfile-only", folder);

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project).hasNoViolations();
      assertThat(project.artifacts().workflows()).isEmpty();
      assertThat(project.artifacts().manifests()).isEmpty();
    }

    @Test
    void a_dockerfile_that_does_not_parse_is_a_parse_error_and_takes_no_part(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder).with("Dockerfile", "RUN echo no FROM\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project).hasViolation("gpukit/parse-error");
      assertThat(project.violations()).extracting(Violation::ruleId).containsOnly("gpukit/parse-error");
      assertThat(project.artifacts().dockerfiles()).isEmpty();
      assertThat(project.artifacts().files()).containsKey(repo.path("Dockerfile"));
    }

    @Test
    void a_manifest_that_does_not_parse_does_not_stop_the_other_rules(@TempDir Path folder) {
      // given
      TestRepository repo = mismatched(folder).with("k8s/broken.yaml", "apiVersion: v1\nkind: Pod\nspec: [\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project.violations()).extracting(Violation::ruleId).containsExactlyInAnyOrder("gpukit/parse-error", PROBE_RULE);
    }
  }

  @Nested
  class Configuration {

    @Test
    void a_severity_override_applies_to_a_cross_file_rule(@TempDir Path folder) {
      // given
      TestRepository repo = mismatched(folder).with("gpukit.yaml", "severity:\n  " + PROBE_RULE + ": warning\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project.violations()).singleElement().extracting(Violation::severity).isEqualTo(Severity.WARNING);
      assertThat(project).passesCheck().hasViolation(PROBE_RULE);
      assertThat(project.violations()).noneMatch(v -> v.ruleId().equals("gpukit/unknown-rule"));
    }

    @Test
    void severity_off_turns_a_cross_file_rule_off(@TempDir Path folder) {
      // given
      TestRepository repo = mismatched(folder).with("gpukit.yaml", "severity:\n  " + PROBE_RULE + ": off\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project).hasNoViolations();
      assertThat(project.report().suppressed()).isEmpty();
    }

    @Test
    void an_ignore_silences_a_cross_file_rule_on_the_paths_it_names(@TempDir Path folder) {
      // given
      TestRepository repo = mismatched(folder).with("gpukit.yaml", """
          ignore:
            - rule: %s
              paths: ["k8s/**"]
              reason: the smoke test wraps the probe
          """.formatted(PROBE_RULE));

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project).hasNoViolations();
      assertThat(project.report().suppressed()).extracting(Violation::ruleId).containsExactly(PROBE_RULE);
    }

    @Test
    void an_ignore_of_other_paths_leaves_it(@TempDir Path folder) {
      // given
      TestRepository repo = mismatched(folder).with("gpukit.yaml", """
          ignore:
            - rule: %s
              paths: ["legacy/**"]
              reason: legacy only
          """.formatted(PROBE_RULE));

      // then
      assertThat(repo.scan()).hasViolation(PROBE_RULE);
    }

    @Test
    void an_inline_ignore_on_the_line_above_the_finding_silences_it(@TempDir Path folder) {
      // given: the finding is on the exec line; the ignore rides on the line above it
      TestRepository repo = mismatched(folder).replace("k8s/deployment.yaml", "readinessProbe:\n",
          "readinessProbe: # gpukit:ignore " + PROBE_RULE + " -- the smoke test runs the probe first\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project).hasNoViolations();
      assertThat(project.report().suppressed()).singleElement().extracting(Violation::ruleId).isEqualTo(PROBE_RULE);
    }

    @Test
    void files_ignored_for_every_rule_are_not_part_of_the_service(@TempDir Path folder) {
      // given: a test fixture with a wrong image would otherwise be the service's manifest
      TestRepository repo = TestRepository.complete(folder)
          .with("src/test/resources/old.yaml", TestRepository.fixtureText("ok/complete/k8s/deployment.yaml")
              .replace("ghcr.io/acme/llm:", "ghcr.io/acme/llm-old:"))
          .with("gpukit.yaml", "ignore:\n  - rule: \"*\"\n    paths: [\"src/test/**\"]\n    reason: fixtures\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project).hasNoViolations();
      assertThat(project.artifacts().manifests()).extracting(m -> folder.relativize(m.path()))
          .containsExactly(Path.of("k8s/deployment.yaml"));
      assertThat(project.artifacts().files()).containsKey(repo.path("src/test/resources/old.yaml"));
    }

    @Test
    void the_baseline_moves_known_cross_file_violations_aside(@TempDir Path folder) {
      // given
      TestRepository repo = mismatched(folder);
      Path baselineFile = repo.path("gpukit-baseline.txt");
      Baseline.write(baselineFile, repo.scan().report());

      // when
      GpuProject project = GpuProject.scan(repo.root(), GpuKitConfig.discover(repo.root()), Baseline.read(baselineFile));

      // then
      assertThat(project).hasNoViolations();
      assertThat(project.report().baselined()).extracting(Violation::ruleId).containsExactly(PROBE_RULE);
    }

    @Test
    void a_misspelt_project_rule_id_is_reported_with_the_id_meant(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder).with("gpukit.yaml", "severity:\n  project/gpu-ci-jobs: off\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project).hasViolation("gpukit/unknown-rule").atLine(2)
          .withMessageContaining("'project/gpu-ci-jobs' names no gpukit rule (did you mean 'project/gpu-ci-job'?)");
    }
  }

  @Nested
  class Runbooks {

    @Test
    void a_flow_without_rollback_commands_is_complete_with_a_runbook(@TempDir Path folder) {
      // when
      GpuProject project = TestRepository.complete(folder).scan();

      // then
      assertThat(project).doesNotHaveViolation(PromotionRules.ROLLBACK_SECTION.id());
      assertThat(project.artifacts().rollbackCommands()).hasSize(3);
    }

    @Test
    void without_a_runbook_the_flow_is_told_to_add_rollback_commands(@TempDir Path folder) {
      // when
      GpuProject project = TestRepository.complete(folder).without("ROLLBACK.md").scan();

      // then
      assertThat(project).hasViolation(PromotionRules.ROLLBACK_SECTION.id());
    }

    @Test
    void commands_of_the_flow_and_the_runbook_are_both_checked(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .replace("promotion.yaml", "# The image", "rollback_commands:\n  - kubectl rollout undo deployment/inference"
              + " --to-revision=2 -n llm-prod\n  - kubectl rollout status deployment/inference -n llm-prod\n"
              + "  - kubectl rollout history deployment/inference -n llm-prod\n# The image");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project.artifacts().rollbackCommands()).hasSize(6);
      assertThat(project.report().violationsOf(ProjectRules.ROLLBACK_TARGET_EXISTS.id()))
          .extracting(v -> v.location().line()).containsExactly(2, 3, 4);
    }
  }

  @Test
  void every_rule_gpukit_has_includes_the_project_rules_sorted_by_id() {
    // when
    List<RuleDescriptor> rules = GpuProject.allRules();

    // then
    assertThat(rules).extracting(RuleDescriptor::id)
        .contains("dockerfile/final-stage-non-root", "gpukit/parse-error", "project/gpu-ci-job", "project/rollback-target-exists")
        .isSorted()
        .doesNotHaveDuplicates();
    assertThat(GpuProject.rule("project/probe-matches-healthcheck")).isPresent();
    assertThat(GpuProject.closestRuleId("project/probe-match-healthcheck")).contains("project/probe-matches-healthcheck");
    assertThat(ProjectRules.descriptors()).allSatisfy(r -> {
      assertThat(r.id()).startsWith("project/");
      assertThat(r.rationale()).isNotBlank();
      assertThat(r.failingExample()).isNotBlank();
      assertThat(r.fixedExample()).isNotBlank();
    });
  }
}

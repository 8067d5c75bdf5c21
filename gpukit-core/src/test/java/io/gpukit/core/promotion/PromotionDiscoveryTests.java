package io.gpukit.core.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.project.ArtifactKind;
import io.gpukit.core.project.GpuKitCheck;
import io.gpukit.core.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How promotion files are found and classified, and how the configuration's stage order applies. */
class PromotionDiscoveryTests {

  private static final String FLOW = """
      image_promotion_flow:
        - stage: dev
          env: development
          tag_pattern: "sha-[0-9a-f]{7,40}"
          gate: ci-green
        - stage: staging
          env: staging
          tag_pattern: "sha-[0-9a-f]{7,40}"
          gate: smoke-test
        - stage: prod
          env: production
          tag_pattern: "sha-[0-9a-f]{7,40}"
          gate: manual-approval
      rollback_commands:
        - kubectl rollout history deployment/inference
        - kubectl rollout undo deployment/inference --to-revision=2
        - kubectl rollout status deployment/inference
      """;

  @Nested
  class By_name_and_content {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"promotion.yaml", "promotion.yml", "promotion.json", "ROLLBACK.md", "rollback.md", "Rollback.md"})
    void conventional_names_are_promotion_files(String name) {
      assertThat(ArtifactKind.byName(name)).contains(ArtifactKind.PROMOTION);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"README.md", "CHANGELOG.md", "rollback-notes.md", "ROLLBACK.txt", "my-promotion.yaml", "promotion.md"})
    void other_names_are_not(String name) {
      assertThat(ArtifactKind.byName(name)).isEmpty();
    }

    @Test
    void docs_rollback_md_is_a_runbook_by_its_path() {
      assertThat(ArtifactKind.byPath(Path.of("docs", "ROLLBACK.md"))).contains(ArtifactKind.PROMOTION);
    }

    @Test
    void a_top_level_image_promotion_flow_key_says_promotion() {
      assertThat(ArtifactKind.byContent(FLOW)).contains(ArtifactKind.PROMOTION);
      assertThat(ArtifactKind.byContent("{\n  \"image_promotion_flow\": []\n}\n")).contains(ArtifactKind.PROMOTION);
      assertThat(ArtifactKind.byContent("release:\n  image_promotion_flow: []\n")).isEmpty();
    }

    @Test
    void the_kind_is_named_promotion_and_its_rules_are_listed() {
      assertThat(ArtifactKind.byKindName("promotion")).contains(ArtifactKind.PROMOTION);
      assertThat(ArtifactKind.allRules()).extracting(RuleDescriptor::id)
          .containsAll(PromotionRules.ALL.stream().map(r -> r.id()).toList());
      assertThat(PromotionRules.ALL).allSatisfy(r -> assertThat(r.id()).startsWith("promotion/"));
    }
  }

  @Nested
  class Walking_a_repository {

    @Test
    void finds_flows_by_name_and_content_and_runbooks_by_name_only(@TempDir Path repo) throws Exception {
      // given
      Files.createDirectories(repo.resolve("docs"));
      Files.createDirectories(repo.resolve("release"));
      Files.writeString(repo.resolve("promotion.yaml"), FLOW);
      Files.writeString(repo.resolve("release/flow.yml"), FLOW);
      Files.writeString(repo.resolve("release/flow.json"), "{\"image_promotion_flow\": []}\n");
      Files.writeString(repo.resolve("release/package.json"), "{\"name\": \"x\"}\n");
      Files.writeString(repo.resolve("docs/ROLLBACK.md"), "```sh\nkubectl rollout undo deploy/x\n```\n");
      Files.writeString(repo.resolve("README.md"), "```sh\nkubectl rollout undo deploy/x\n```\n");
      Files.writeString(repo.resolve("docs/notes.md"), "image_promotion_flow:\n  - stage: dev\n");

      // when
      Map<Path, ArtifactKind> found = GpuKitCheck.with(GpuKitConfig.defaults(repo)).discover(List.of(repo));

      // then
      assertThat(found).containsOnlyKeys(
          repo.resolve("promotion.yaml"), repo.resolve("release/flow.yml"), repo.resolve("release/flow.json"),
          repo.resolve("docs/ROLLBACK.md"));
      assertThat(found.values()).containsOnly(ArtifactKind.PROMOTION);
    }

    @Test
    void a_markdown_file_named_explicitly_is_not_a_runbook_unless_named_so(@TempDir Path repo) throws Exception {
      // given
      Path notes = repo.resolve("notes.md");
      Files.writeString(notes, "image_promotion_flow:\n  - stage: dev\n");

      // when / then
      assertThatThrownBy(() -> GpuKitCheck.with(GpuKitConfig.defaults(repo)).discover(List.of(notes)))
          .isInstanceOf(GpuKitCheck.UnusablePathException.class)
          .hasMessageContaining("promotion flow");
    }

    @Test
    void a_yaml_file_named_explicitly_is_classified_by_its_content(@TempDir Path repo) throws Exception {
      // given
      Path file = repo.resolve("release-flow.yaml");
      Files.writeString(file, FLOW);

      // when
      PolicyReport report = GpuKitCheck.with(GpuKitConfig.defaults(repo)).run(List.of(file));

      // then
      assertThat(report.violations()).isEmpty();
      assertThat(GpuKitCheck.with(GpuKitConfig.defaults(repo)).discover(List.of(file))).containsValue(ArtifactKind.PROMOTION);
    }

    @Test
    void the_check_reports_promotion_rules_with_file_and_line(@TempDir Path repo) throws Exception {
      // given
      Files.writeString(repo.resolve("promotion.yaml"), FLOW.replace("gate: manual-approval", "gate: ci-green"));

      // when
      PolicyReport report = GpuKitCheck.with(GpuKitConfig.defaults(repo)).run(List.of(repo));

      // then
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.ruleId()).isEqualTo("promotion/prod-gate-manual");
        assertThat(v.location().line()).isEqualTo(13);
        assertThat(v.hint()).isEqualTo("gate: [ci-green, smoke-test, manual-approval]");
      });
    }
  }

  @Nested
  class Configured_stage_order {

    @Test
    void stage_names_follow_promotion_stage_order(@TempDir Path repo) throws Exception {
      // given
      Files.writeString(repo.resolve("gpukit.yaml"), "promotion:\n  stage-order: [\"^trial$\", \"^preprod$\", \"^live$\"]\n");
      String flow = FLOW.replace("stage: dev", "stage: trial").replace("stage: staging", "stage: live")
          .replace("stage: prod", "stage: preprod");

      // when
      List<Violation> violations = PolicyEngine.with(GpuKitConfig.discover(repo))
          .evaluate(SourceFile.of(Path.of("promotion.yaml"), flow), PromotionKind.INSTANCE).violations();

      // then
      assertThat(violations).extracting(Violation::ruleId)
          .containsExactly("promotion/stage-order");
      assertThat(violations).filteredOn(v -> v.ruleId().equals("promotion/stage-order")).singleElement()
          .satisfies(v -> assertThat(v.message())
              .isEqualTo("stage 'preprod' comes after stage 'live': a release passes trial → preprod → live in that order"));
    }

    @Test
    void the_rollback_section_rule_can_be_turned_off_when_a_runbook_holds_the_commands(@TempDir Path repo)
        throws Exception {
      // given
      Files.writeString(repo.resolve("gpukit.yaml"), "severity:\n  promotion/rollback-section: off\n");
      String flow = FLOW.substring(0, FLOW.indexOf("rollback_commands:"));

      // when
      PolicyReport report = PolicyEngine.with(GpuKitConfig.discover(repo))
          .evaluate(SourceFile.of(Path.of("promotion.yaml"), flow), PromotionKind.INSTANCE);

      // then
      assertThat(report.violations()).isEmpty();
    }
  }

  @Nested
  class Readme {

    @Test
    void the_readme_example_flow_parses_and_breaks_no_rule() throws Exception {
      // given
      String readme = Files.readString(Path.of("..", "README.md"));
      String section = readme.substring(readme.indexOf("## Promotion rules"));
      String yaml = section.substring(section.indexOf("```yaml\n") + 8, section.indexOf("```\n", section.indexOf("```yaml\n") + 8));

      // when
      PolicyReport report = PolicyEngine.withDefaults().evaluate(SourceFile.of(Path.of("promotion.yaml"), yaml),
          PromotionKind.INSTANCE);

      // then
      assertThat(yaml).contains("image_promotion_flow:");
      assertThat(report.violations()).isEmpty();
      assertThat(PromotionFlow.parse(SourceFile.of(Path.of("promotion.yaml"), yaml)).stages()).hasSize(3);
    }

    @Test
    void the_readme_lists_every_promotion_rule() throws Exception {
      // given
      String readme = Files.readString(Path.of("..", "README.md"));

      // then
      assertThat(PromotionRules.ALL).allSatisfy(r -> assertThat(readme).contains("| `" + r.id() + "` | "
          + r.severity().label() + " |"));
    }
  }
}

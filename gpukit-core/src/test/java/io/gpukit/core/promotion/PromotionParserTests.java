package io.gpukit.core.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.gpukit.core.promotion.KubectlRollout.Action;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.source.SourceParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PromotionParserTests {

  private static final Path FLOW = Path.of("promotion.yaml");

  private static PromotionFlow flow(String yaml) {
    return PromotionFlow.parse(SourceFile.of(FLOW, yaml));
  }

  private static PromotionFlow runbook(String markdown) {
    return PromotionFlow.parse(SourceFile.of(Path.of("ROLLBACK.md"), markdown));
  }

  private static List<String> texts(PromotionFlow flow) {
    return flow.rollbackCommands().stream().map(RollbackCommand::text).toList();
  }

  private static List<Integer> lines(PromotionFlow flow) {
    return flow.rollbackCommands().stream().map(c -> c.location().line()).toList();
  }

  @Nested
  class Flows {

    @Test
    void a_flow_has_its_stages_in_order_with_every_field_and_where_it_is() {
      // given
      String yaml = """
          image_promotion_flow:
            - stage: dev
              env: development
              tag_pattern: "sha-[0-9a-f]{7,40}"
              gate: ci-green
            - stage: prod
              env: production
              tag_pattern: sha-[0-9a-f]{40}
              gate: [smoke-test, manual-approval]
              cluster: gpu-prod
              namespace: ml
              owner: ml-platform
          """;

      // when
      PromotionFlow flow = flow(yaml);

      // then
      assertThat(flow.kind()).isEqualTo(PromotionFileKind.FLOW);
      assertThat(flow.hasRollbackSection()).isFalse();
      assertThat(flow.stages()).extracting(PromotionStage::name).containsExactly("dev", "prod");
      PromotionStage prod = flow.stages().get(1);
      assertThat(prod.env()).contains("production");
      assertThat(prod.tagPattern()).contains("sha-[0-9a-f]{40}");
      assertThat(prod.gates()).containsExactly("smoke-test", "manual-approval");
      assertThat(prod.cluster()).contains("gpu-prod");
      assertThat(prod.namespace()).contains("ml");
      assertThat(prod.location()).isEqualTo(SourceLocation.of(FLOW, 6, 5));
      assertThat(prod.fieldLocations()).containsKeys("stage", "env", "tag_pattern", "gate", "cluster", "namespace", "owner");
      assertThat(prod.locationOf("tag_pattern")).isEqualTo(SourceLocation.of(FLOW, 8, 18));
      assertThat(prod.locationOf("gate")).isEqualTo(SourceLocation.of(FLOW, 9, 11));
      assertThat(flow.stages().get(0).cluster()).isEmpty();
    }

    @Test
    void rollback_commands_are_split_into_simple_commands_with_their_lines() {
      // given
      String yaml = """
          image_promotion_flow: []
          rollback_commands:
            - kubectl rollout history deployment/inference -n ml
            - "kubectl rollout undo deploy/inference --to-revision=3 -n ml && kubectl rollout status deploy/inference -n ml"
            - |
              # a comment line is skipped
              kubectl rollout undo \\
                deployment/embedder
              echo done
          """;

      // when
      PromotionFlow flow = flow(yaml);

      // then
      assertThat(flow.hasRollbackSection()).isTrue();
      assertThat(texts(flow)).containsExactly(
          "kubectl rollout history deployment/inference -n ml",
          "kubectl rollout undo deploy/inference --to-revision=3 -n ml",
          "kubectl rollout status deploy/inference -n ml",
          "kubectl rollout undo   deployment/embedder",
          "echo done");
      assertThat(lines(flow)).containsExactly(3, 4, 4, 7, 9);
      assertThat(flow.rollbackCommands().get(2).location().column()).isEqualTo(69);
      assertThat(flow.rollbackCommands().get(3).location().column()).isEqualTo(5);
      assertThat(flow.kubectlRollouts()).extracting(KubectlRollout::action)
          .containsExactly(Action.HISTORY, Action.UNDO, Action.STATUS, Action.UNDO);
      assertThat(flow.rollbackCommands().get(4).kubectl()).isEmpty();
    }

    @Test
    void an_empty_rollback_section_still_counts_as_one() {
      assertThat(flow("image_promotion_flow: []\nrollback_commands:\n").hasRollbackSection()).isTrue();
    }

    @Test
    void the_mapping_forms_and_merge_keys_are_read() {
      // given
      String yaml = """
          common: &common
            tag_pattern: "sha-[0-9a-f]{7,40}"
            env: shared
          image_promotion_flow:
            stages:
              - <<: *common
                stage: dev
                gate: [ci-green, {canary: error_rate}]
            rollback_commands:
              - command: kubectl rollout undo deployment/x
          """;
      String named = """
          image_promotion_flow:
            dev: {env: development, tag_pattern: "sha-.*", gate: ci-green}
            prod: {stage: production, env: production, tag_pattern: "sha-.*", gate: approval}
          """;

      // when
      PromotionFlow merged = flow(yaml);
      PromotionFlow byName = flow(named);

      // then
      assertThat(merged.stages()).singleElement().satisfies(s -> {
        assertThat(s.tagPattern()).contains("sha-[0-9a-f]{7,40}");
        assertThat(s.env()).contains("shared");
        assertThat(s.gates()).containsExactly("ci-green", "canary:error_rate");
      });
      assertThat(texts(merged)).containsExactly("kubectl rollout undo deployment/x");
      assertThat(byName.stages()).extracting(PromotionStage::name).containsExactly("dev", "production");
    }

    @Test
    void a_stage_without_a_name_or_with_empty_values_parses_and_leaves_them_empty() {
      // when
      PromotionStage stage = flow("image_promotion_flow:\n  - env: \"\"\n    gate:\n    tag_pattern: x\n").stages().get(0);

      // then
      assertThat(stage.name()).isEmpty();
      assertThat(stage.env()).isEmpty();
      assertThat(stage.gates()).isEmpty();
      assertThat(stage.fieldLocations()).containsKeys("env", "gate");
      assertThat(stage.describe()).isEqualTo("the stage at line 2");
    }

    @Test
    void a_file_by_path_is_read_from_disk(@TempDir Path dir) throws Exception {
      // given
      Path file = dir.resolve("promotion.yml");
      Files.writeString(file, "image_promotion_flow:\n  - stage: dev\n");

      // when
      PromotionFlow flow = PromotionFlow.parse(file);

      // then
      assertThat(flow.file()).isEqualTo(file);
      assertThat(flow.stage("dev")).isPresent();
    }
  }

  @Nested
  class Json {

    @Test
    void json_is_read_as_yaml_even_when_indented_with_tabs() {
      // given
      String json = "{\n\t\"image_promotion_flow\": [\n\t\t{\"stage\": \"dev\", \"env\": \"a\\tb\", \"tag_pattern\": \"v\\\\d+\","
          + " \"gate\": [\"ci-green\"]}\n\t],\n\t\"rollback_commands\": [\"kubectl rollout undo deploy/a\"]\n}\n";

      // when
      PromotionFlow flow = PromotionFlow.parse(SourceFile.of(Path.of("promotion.json"), json));

      // then
      assertThat(flow.stages()).singleElement().satisfies(s -> {
        assertThat(s.env()).contains("a\tb");
        assertThat(s.tagPattern()).contains("v\\d+");
        assertThat(s.location()).isEqualTo(SourceLocation.of(Path.of("promotion.json"), 3, 3));
      });
      assertThat(flow.rollbackCommands()).singleElement()
          .satisfies(c -> assertThat(c.location()).isEqualTo(SourceLocation.of(Path.of("promotion.json"), 5, 25)));
    }

    @Test
    void malformed_json_fails_where_it_breaks() {
      // given
      String json = "{\n  \"image_promotion_flow\": [\n    {\"stage\": \"dev\" \"env\": \"x\"}\n  ]\n}\n";

      // when / then
      assertThatThrownBy(() -> PromotionFlow.parse(SourceFile.of(Path.of("p.json"), json)))
          .isInstanceOf(SourceParseException.class)
          .hasMessageStartingWith("p.json:3:21: invalid YAML");
    }

    @Test
    void an_unclosed_json_array_fails_with_a_location() {
      assertThatThrownBy(() -> PromotionFlow.parse(SourceFile.of(Path.of("p.json"), "{\"image_promotion_flow\": [\n")))
          .isInstanceOf(SourceParseException.class)
          .hasMessageStartingWith("p.json:2:");
    }

    @Test
    void duplicate_json_keys_are_refused_where_the_second_is() {
      assertThatThrownBy(() -> PromotionFlow.parse(SourceFile.of(Path.of("p.json"),
              "{\"image_promotion_flow\": [],\n \"image_promotion_flow\": []}\n")))
          .isInstanceOf(SourceParseException.class)
          .hasMessage("p.json:2:2: duplicate key 'image_promotion_flow' in this mapping");
    }
  }

  @Nested
  class Runbooks {

    @Test
    void the_commands_of_fenced_shell_blocks_keep_their_real_lines() {
      // given
      String md = """
          # Rollback

          Run `kubectl rollout undo` only after looking at the history.

          ```bash
          # which revision was good?
          $ kubectl rollout history deployment/inference \\
              --namespace ml

          kubectl rollout undo deployment/inference --to-revision=3 -n ml  # go back
          ```

          ~~~sh
          kubectl rollout status deployment/inference -n ml
          ~~~
          """;

      // when
      PromotionFlow flow = runbook(md);

      // then
      assertThat(flow.kind()).isEqualTo(PromotionFileKind.RUNBOOK);
      assertThat(flow.hasRollbackSection()).isTrue();
      assertThat(flow.stages()).isEmpty();
      assertThat(texts(flow)).containsExactly(
          "kubectl rollout history deployment/inference     --namespace ml",
          "kubectl rollout undo deployment/inference --to-revision=3 -n ml",
          "kubectl rollout status deployment/inference -n ml");
      assertThat(lines(flow)).containsExactly(7, 10, 14);
      assertThat(flow.rollbackCommands().get(0).location().column()).isEqualTo(3);
      assertThat(flow.kubectlRollouts().get(0).namespace()).contains("ml");
    }

    @Test
    void console_blocks_read_only_prompted_lines_and_skip_output() {
      // given
      String md = """
          ```console
          $ kubectl rollout status deploy/inference
          Waiting for deployment "inference" rollout to finish: 1 of 2 updated replicas are available...
          deployment "inference" successfully rolled out
          ```
          """;

      // when / then
      assertThat(texts(runbook(md))).containsExactly("kubectl rollout status deploy/inference");
    }

    @Test
    void other_blocks_and_prose_are_not_commands() {
      // given
      String md = """
          kubectl rollout undo deployment/prose

          ```yaml
          rollback_commands: [kubectl rollout undo deployment/yaml]
          ```

          ```
          kubectl rollout undo deployment/plain
          ```

              kubectl rollout undo deployment/indented
          """;

      // when / then
      assertThat(runbook(md).rollbackCommands()).isEmpty();
    }

    @Test
    void an_unclosed_fence_runs_to_the_end_and_heredoc_bodies_are_skipped() {
      // given
      String md = """
          ````shell
          cat <<'EOF' > /tmp/note
          kubectl rollout undo deployment/in-heredoc
          EOF
          ```
          kubectl rollout history deploy/inference
          """;

      // when / then
      assertThat(texts(runbook(md))).containsExactly("cat <<'EOF' > /tmp/note", "```", "kubectl rollout history deploy/inference");
    }
  }

  @Nested
  class Kubectl_rollout {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        nullValues = "-",
        textBlock = """
            kubectl rollout undo deployment/inference                                    | UNDO    | deployment  | inference | -       | -
            kubectl rollout status deployment inference                                  | STATUS  | deployment  | inference | -       | -
            kubectl rollout history deploy/inference -n ml                               | HISTORY | deployment  | inference | ml      | -
            kubectl rollout undo deployments.apps/inference --namespace=ml               | UNDO    | deployment  | inference | ml      | -
            kubectl rollout undo Deployment.v1.apps/inference --namespace ml             | UNDO    | deployment  | inference | ml      | -
            kubectl rollout undo -nml deployment/inference --to-revision 7               | UNDO    | deployment  | inference | ml      | 7
            kubectl rollout undo -n=ml deployment/inference --to-revision=7              | UNDO    | deployment  | inference | ml      | 7
            kubectl --context prod -n ml rollout undo --to-revision=2 deploy inference   | UNDO    | deployment  | inference | ml      | 2
            kubectl rollout status --watch --timeout=5m deploy/inference -n ml           | STATUS  | deployment  | inference | ml      | -
            kubectl rollout status deploy/inference --timeout 5m --context=prod          | STATUS  | deployment  | inference | -       | -
            KUBECONFIG=/etc/k.conf kubectl rollout restart deploy/inference              | RESTART | deployment  | inference | -       | -
            sudo -E -u ops /usr/local/bin/kubectl rollout pause deployment/inference     | PAUSE   | deployment  | inference | -       | -
            env -i PATH=/bin kubectl rollout resume deployment/inference                 | RESUME  | deployment  | inference | -       | -
            "kubectl" rollout undo 'deployment/inference'                                 | UNDO    | deployment  | inference | -       | -
            oc rollout undo statefulset/db -n data                                       | UNDO    | statefulset | db        | data    | -
            kubectl rollout undo ds/nvidia-device-plugin -n kube-system                  | UNDO    | daemonset   | nvidia-device-plugin | kube-system | -
            microk8s kubectl rollout undo deployment/inference                           | UNDO    | deployment  | inference | -       | -
            minikube kubectl -- rollout undo deployment/inference -n ml                  | UNDO    | deployment  | inference | ml      | -
            kubectl rollout undo -f deploy/inference.yaml                                | UNDO    | ''          | ''        | -       | -
            kubectl rollout undo deployment/inference --to-revision=$REV                 | UNDO    | deployment  | inference | -       | -
            """)
    void reads_the_command_as_kubectl_does(
        String command, Action action, String kind, String name, String namespace, Integer revision) {
      // when
      Optional<KubectlRollout> parsed = KubectlRollout.parse(command, SourceLocation.of(FLOW, 4, 3));

      // then
      assertThat(parsed).hasValueSatisfying(r -> {
        assertThat(r.action()).isEqualTo(action);
        assertThat(r.resourceKind()).isEqualTo(kind);
        assertThat(r.name()).isEqualTo(name);
        assertThat(r.namespace()).isEqualTo(Optional.ofNullable(namespace));
        assertThat(r.toRevision()).isEqualTo(revision == null ? OptionalInt.empty() : OptionalInt.of(revision));
        assertThat(r.location()).isEqualTo(SourceLocation.of(FLOW, 4, 3));
      });
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "kubectl get pods -n ml",
        "kubectl rollout",
        "kubectl rollout undo",
        "kubectl rollout rewind deployment/inference",
        "echo kubectl rollout undo deployment/inference",
        "helm rollback inference 3",
        "kubectl set image deployment/inference server=llm:1.4.1",
        "# kubectl rollout undo deployment/inference",
        "echo 'kubectl rollout undo deployment/inference'",
        "",
        "'unterminated kubectl rollout undo deployment/x",
    })
    void other_commands_are_not_rollouts(String command) {
      assertThat(KubectlRollout.parse(command, SourceLocation.startOf(FLOW))).isEmpty();
    }

    @Test
    void chained_commands_are_split_respecting_quotes_and_each_is_located() {
      // given
      String line = "echo 'a && b; c' && kubectl rollout undo deploy/x; kubectl rollout status deploy/x || true";

      // when
      List<KubectlRollout> all = KubectlRollout.parseAll(line, SourceLocation.of(FLOW, 2, 5));

      // then
      assertThat(all).extracting(KubectlRollout::action).containsExactly(Action.UNDO, Action.STATUS);
      assertThat(all).extracting(r -> r.location().column()).containsExactly(5 + 20, 5 + 51);
      assertThat(KubectlRollout.parse(line, SourceLocation.startOf(FLOW))).map(KubectlRollout::action).contains(Action.UNDO);
    }

    @Test
    void a_rollout_inside_a_command_substitution_or_a_condition_is_found_where_it_runs() {
      assertThat(KubectlRollout.parseAll(
              "if kubectl rollout status deploy/x --timeout=1m; then echo ok; else kubectl rollout undo deploy/x; fi",
              SourceLocation.startOf(FLOW)))
          .extracting(KubectlRollout::action)
          .containsExactly(Action.STATUS, Action.UNDO);
    }

    @Test
    void a_rollout_is_rendered_back_for_hints() {
      // when
      KubectlRollout r = KubectlRollout.parse("kubectl rollout undo deploy/x -n ml", SourceLocation.startOf(FLOW)).orElseThrow();

      // then
      assertThat(r.resource()).isEqualTo("deployment/x");
      assertThat(r.namespaceFlag()).isEqualTo(" -n ml");
      assertThat(r.isDeployment()).isTrue();
    }
  }

  @Nested
  class Tag_patterns {

    private PromotionStage stage(String pattern) {
      return flow("image_promotion_flow:\n  - stage: dev\n    tag_pattern: '" + pattern + "'\n").stages().get(0);
    }

    @Test
    void a_pattern_matches_the_whole_tag() {
      // given
      PromotionStage stage = stage("sha-[0-9a-f]{7}");

      // then
      assertThat(stage.acceptsTag("sha-1a2b3c4")).isTrue();
      assertThat(stage.acceptsTag("sha-1a2b3c4-dirty")).isFalse();
      assertThat(stage.acceptsTag("xsha-1a2b3c4")).isFalse();
    }

    @Test
    void a_pattern_that_does_not_compile_accepts_nothing() {
      // given
      PromotionStage stage = stage("sha-[0-9");

      // then
      assertThat(stage.compiledTagPattern()).isEmpty();
      assertThat(stage.acceptsTag("sha-1")).isFalse();
    }

    @Test
    void a_catastrophically_backtracking_pattern_gives_up_instead_of_hanging() {
      // given
      PromotionStage stage = stage("(a|aa)+b");

      // when / then
      assertTimeoutPreemptively(Duration.ofSeconds(10),
          () -> assertThat(stage.acceptsTag("a".repeat(60))).isFalse());
    }
  }

  @Nested
  class Regex_sampler {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "sha-[0-9a-f]{7,40}",
        "v\\d+\\.\\d+\\.\\d+(-rc\\d+)?",
        "(?i)release-[a-z]+",
        "(?<major>\\d+)\\.\\d+",
        "\\p{Alpha}{2,3}_\\w*",
        "[^/:@ ]+",
        "\\Qa.b\\E[xy]",
        "^(?:dev|prod)-(?=\\d)\\d{3}$",
        ".*",
    })
    void every_sample_matches_the_whole_pattern(String regex) {
      // when
      Optional<List<String>> samples = RegexSampler.samples(regex, 50);

      // then
      assertThat(samples).hasValueSatisfying(list -> {
        assertThat(list).isNotEmpty().allSatisfy(s -> assertThat(s).matches(regex));
      });
    }

    @Test
    void the_same_pattern_always_gives_the_same_samples_shortest_first() {
      // when
      List<String> first = RegexSampler.samples("v[0-9]+\\.[0-9]+", 20).orElseThrow();
      List<String> second = RegexSampler.samples("v[0-9]+\\.[0-9]+", 20).orElseThrow();

      // then
      assertThat(first).isEqualTo(second).startsWith("v0.0");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"(a)\\1", "(?<x>a)\\k<x>", "(?x) a b", "[a-z", "\\p{InGreek}+"})
    void back_references_comments_mode_and_broken_patterns_are_not_sampled(String regex) {
      assertThat(RegexSampler.samples(regex, 10)).isEmpty();
    }

    @Test
    void a_later_pattern_is_compared_through_samples() {
      assertThat(PromotionRules.tagOnlyLaterAccepts(
              java.util.regex.Pattern.compile("sha-[0-9a-f]{7,40}"),
              java.util.regex.Pattern.compile("v[0-9]+\\.[0-9]+\\.[0-9]+")))
          .contains("v0.0.0");
      assertThat(PromotionRules.tagOnlyLaterAccepts(
              java.util.regex.Pattern.compile("sha-[0-9a-f]{7,40}"),
              java.util.regex.Pattern.compile("sha-[0-9a-f]{40}")))
          .isEmpty();
    }
  }

  @Nested
  class Hostile_input {

    @Test
    void an_alias_bomb_is_a_located_error() {
      // given
      StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
      for (char c = 'b'; c <= 'k'; c++) {
        char p = (char) (c - 1);
        y.append(c).append(": &").append(c).append(" [").append(("*" + p + ", ").repeat(8)).append('*').append(p)
            .append("]\n");
      }
      y.append("image_promotion_flow: *k\n");

      // when / then
      assertThatThrownBy(() -> flow(y.toString()))
          .isInstanceOf(SourceParseException.class)
          .satisfies(e -> assertThat(((SourceParseException) e).location().file()).isEqualTo(FLOW));
    }

    @Test
    void deep_nesting_is_refused_without_a_stack_overflow() {
      assertThatThrownBy(() -> flow("image_promotion_flow: " + "[".repeat(5000) + "]".repeat(5000) + "\n"))
          .isInstanceOf(SourceParseException.class)
          .hasMessageContaining("nested more than");
    }

    @Test
    void a_mapping_that_merges_itself_is_a_located_error() {
      assertThatThrownBy(() -> flow("image_promotion_flow:\n  - &s\n    stage: dev\n    <<: *s\n"))
          .isInstanceOf(SourceParseException.class)
          .hasMessageStartingWith("promotion.yaml:");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
        ''                                                    | promotion.yaml:1:1: the promotion file is empty
        '- a'                                                 | promotion.yaml:1:1: a promotion file should be a mapping
        'other: 1'                                            | promotion.yaml:1:1: a promotion file needs 'image_promotion_flow'
        'image_promotion_flow: dev'                           | promotion.yaml:1:23: 'image_promotion_flow' should be a list of stages
        'image_promotion_flow: [dev]'                         | promotion.yaml:1:24: a stage should be a mapping
        'image_promotion_flow: [{env: [a]}]'                  | promotion.yaml:1:30: 'env' should be a single value
        'image_promotion_flow: [{gate: [[a]]}]'               | promotion.yaml:1:32: a gate should be a name
        'image_promotion_flow: []\nrollback_commands: [[a]]'  | promotion.yaml:2:21: a rollback command should be a shell command line
        """)
    void a_wrong_shape_is_a_located_error(String yaml, String message) {
      assertThatThrownBy(() -> flow(yaml.replace("\\n", "\n")))
          .isInstanceOf(SourceParseException.class)
          .hasMessageStartingWith(message);
    }

    @Test
    void huge_runbooks_and_long_lines_parse_in_linear_time() {
      // given
      String md = "```sh\n" + ("kubectl rollout status deploy/x && " + "'".repeat(3) + " \\\n").repeat(20_000) + "\n";

      // when / then
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThat(runbook(md).rollbackCommands()).isNotEmpty());
    }

    @Test
    void a_hostile_tag_pattern_is_sampled_and_compared_in_bounded_time() {
      // given
      String yaml = """
          image_promotion_flow:
            - stage: dev
              tag_pattern: "(a|aa)*(a|aa)*(a|aa)*c"
            - stage: staging
              tag_pattern: "((a{50}){50}){50}|(x+x+)+y"
          """;

      // when / then
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThat(
          io.gpukit.core.policy.PolicyEngine.withDefaults().evaluate(SourceFile.of(FLOW, yaml), PromotionKind.INSTANCE)
              .violations()).isNotEmpty());
    }
  }
}

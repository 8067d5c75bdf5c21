package io.gpukit.cli;

import static io.gpukit.cli.KubernetesCommandTests.gpukit;
import static io.gpukit.cli.KubernetesCommandTests.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpukit.cli.KubernetesCommandTests.Run;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromotionCommandTests {

  static final String FLOW =
      """
      image_promotion_flow:
        - stage: dev
          env: development
          tag_pattern: "sha-[0-9a-f]{40}"
          gate: ci-green
        - stage: staging
          env: staging
          tag_pattern: "sha-[0-9a-f]{40}"
          gate: smoke-test
        - stage: prod
          env: production
          tag_pattern: "sha-[0-9a-f]{40}"
          gate: [smoke-test, manual-approval]
      rollback_commands:
        - kubectl rollout history deployment/scorer -n prod
        - kubectl rollout undo --namespace=prod deployment scorer --to-revision=3
        - kubectl rollout status deployment/scorer -n prod
        - ./notify-oncall.sh
      """;

  @Nested
  class Parse_promotion {

    @Test
    void prints_stages_and_what_each_rollback_command_does(@TempDir Path dir) throws IOException {
      // given
      Path file = write(dir, "promotion.yaml", FLOW);

      // when
      Run run = gpukit("parse", "promotion", file);

      // then
      assertThat(run.exitCode()).isZero();
      JsonNode json = run.json();
      assertThat(json.get("kind").asText()).isEqualTo("flow");
      assertThat(json.get("stages")).hasSize(3);
      assertThat(json.get("stages").get(2).get("gates").toString()).isEqualTo("[\"smoke-test\",\"manual-approval\"]");
      assertThat(json.get("stages").get(2).get("line").asInt()).isEqualTo(10);
      JsonNode undo = json.get("rollbackCommands").get(1);
      assertThat(undo.get("line").asInt()).isEqualTo(16);
      assertThat(undo.get("kubectl").get("action").asText()).isEqualTo("undo");
      assertThat(undo.get("kubectl").get("name").asText()).isEqualTo("scorer");
      assertThat(undo.get("kubectl").get("namespace").asText()).isEqualTo("prod");
      assertThat(undo.get("kubectl").get("toRevision").asInt()).isEqualTo(3);
      assertThat(json.get("rollbackCommands").get(3).get("kubectl").isNull()).isTrue();
    }

    @Test
    void prints_a_runbook_as_text(@TempDir Path dir) throws IOException {
      // given
      Path file = write(dir, "ROLLBACK.md",
          "# Rolling back\n\n```shell\n$ kubectl rollout undo deployment/scorer -n prod\n```\n");

      // when
      Run run = gpukit("parse", "promotion", file, "--format", "text");

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out().strip())
          .isEqualTo("4 rollback kubectl rollout undo deployment/scorer -n prod"
              + "  [kubectl rollout undo deployment/scorer -n prod]");
    }

    @Test
    void a_malformed_flow_is_a_located_error(@TempDir Path dir) throws IOException {
      // given
      Path file = write(dir, "promotion.yaml", "image_promotion_flow:\n  - stage: [dev\n");

      // when
      Run run = gpukit("parse", "promotion", file);

      // then
      assertThat(run.exitCode()).isEqualTo(GpuKitCommand.FINDINGS);
      assertThat(run.err()).contains("promotion.yaml:3:");
    }
  }
}

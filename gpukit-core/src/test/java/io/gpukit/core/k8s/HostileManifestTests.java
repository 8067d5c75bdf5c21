package io.gpukit.core.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostileManifestTests {

  private static PolicyReport check(String text) {
    return PolicyEngine.withDefaults().evaluate(SourceFile.of(Path.of("h.yaml"), text), K8sKind.INSTANCE);
  }

  @Nested
  class Located_errors {

    @Test
    void an_alias_bomb_is_refused() {
      // given
      StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
      for (char c = 'b'; c <= 'k'; c++) {
        char p = (char) (c - 1);
        y.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *").append(p)
            .append(", *").append(p).append(", *").append(p).append(", *").append(p).append(", *").append(p)
            .append(", *").append(p).append(", *").append(p).append("]\n");
      }

      // when
      PolicyReport report = check(y.toString());

      // then
      assertThat(report.violations()).singleElement().satisfies(v -> assertThat(v.ruleId()).isEqualTo("gpukit/parse-error"));
    }

    @Test
    void the_new_shapes_written_wrong_are_located_errors_not_crashes() {
      // given
      String claims = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  resourceClaims: gpu\n  containers: []\n";
      String requests = "apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: c}\nspec:\n"
          + "  devices:\n    requests: [gpu.nvidia.com]\n";
      String affinity = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  affinity:\n    nodeAffinity:\n"
          + "      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms: {key: a}\n  containers: []\n";
      String deadline = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  activeDeadlineSeconds: 1h\n"
          + "  template:\n    spec:\n      containers: []\n";

      // then
      assertThatThrownBy(() -> Manifests.parse(Path.of("c.yaml"), claims)).isInstanceOf(SourceParseException.class)
          .hasMessage("c.yaml:5:19: resourceClaims should be a list");
      assertThatThrownBy(() -> Manifests.parse(Path.of("r.yaml"), requests)).isInstanceOf(SourceParseException.class)
          .hasMessageStartingWith("r.yaml:6:16: ");
      assertThatThrownBy(() -> Manifests.parse(Path.of("a.yaml"), affinity)).isInstanceOf(SourceParseException.class)
          .hasMessage("a.yaml:8:28: nodeSelectorTerms should be a list");
      assertThatThrownBy(() -> Manifests.parse(Path.of("j.yaml"), deadline)).isInstanceOf(SourceParseException.class)
          .hasMessage("j.yaml:5:26: activeDeadlineSeconds must be an integer but was '1h'");
    }

    @Test
    void argo_rollout_strategies_written_wrong_are_located_errors_not_crashes() {
      // given
      String head = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec:\n"
          + "  template: {spec: {containers: [{name: c, image: \"c:1\"}]}}\n  strategy:\n";

      // when / then
      assertThatThrownBy(() -> Manifests.parse(Path.of("w.yaml"), head + "    canary: {steps: [{setWeight: 150}]}\n"))
          .isInstanceOf(SourceParseException.class)
          .hasMessageContaining("w.yaml:7:").hasMessageContaining("setWeight must be a percentage from 0 to 100 but was 150");
      assertThatThrownBy(() -> Manifests.parse(Path.of("s.yaml"), head + "    canary: {steps: {setWeight: 50}}\n"))
          .isInstanceOf(SourceParseException.class).hasMessageContaining("steps should be a list");
      assertThatThrownBy(() -> Manifests.parse(Path.of("m.yaml"), head + "    canary: {maxSurge: \"1\"}\n"))
          .isInstanceOf(SourceParseException.class).hasMessageContaining("maxSurge must be an integer or a percentage");
      assertThatThrownBy(() -> Manifests.parse(Path.of("b.yaml"), head + "    blueGreen: {previewReplicaCount: -1}\n"))
          .isInstanceOf(SourceParseException.class).hasMessageContaining("previewReplicaCount must be 0 or more");
      assertThatThrownBy(() -> Manifests.parse(Path.of("p.yaml"), head + "    blueGreen: {autoPromotionEnabled: maybe}\n"))
          .isInstanceOf(SourceParseException.class).hasMessageContaining("autoPromotionEnabled must be true or false");
    }

    @Test
    void a_pod_without_a_spec_is_a_located_error() {
      assertThatThrownBy(() -> Manifests.parse(Path.of("p.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"))
          .isInstanceOf(SourceParseException.class)
          .hasMessage("p.yaml:1:1: Pod 'p' has no spec");
    }

    @Test
    void duplicate_keys_are_refused_where_they_are() {
      assertThatThrownBy(() -> Manifests.parse(Path.of("d.yaml"), "apiVersion: v1\nkind: Service\nkind: ConfigMap\n"))
          .isInstanceOf(SourceParseException.class)
          .hasMessage("d.yaml:3:1: duplicate key 'kind' in this mapping");
    }

    @Test
    void tabs_for_indentation_are_a_located_error() {
      assertThatThrownBy(() -> Manifests.parse(Path.of("t.yaml"), "apiVersion: v1\nkind: Service\nmetadata:\n\tname: s\n"))
          .isInstanceOf(SourceParseException.class)
          .hasMessageStartingWith("t.yaml:4:");
    }

    @Test
    void nesting_5000_deep_is_refused_without_a_stack_overflow() {
      // given
      String y = "apiVersion: v1\nkind: ConfigMap\ndata: " + "[".repeat(5000) + "]".repeat(5000) + "\n";

      // when
      PolicyReport report = check(y);

      // then
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.ruleId()).isEqualTo("gpukit/parse-error");
        assertThat(v.message()).contains("nested more than");
      });
    }

    @Test
    void invalid_utf8_is_a_located_error(@TempDir Path dir) throws Exception {
      // given
      Path file = dir.resolve("bad.yaml");
      Files.write(file, new byte[] {'k', 'i', 'n', 'd', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});

      // when
      PolicyReport report = PolicyEngine.withDefaults().evaluate(file, K8sKind.INSTANCE);

      // then
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.message()).isEqualTo("not valid UTF-8 text");
        assertThat(v.location().line()).isEqualTo(1);
        assertThat(v.location().column()).isEqualTo(7);
      });
    }

    @Test
    void a_document_that_is_not_a_mapping_is_a_located_error() {
      assertThatThrownBy(() -> Manifests.parse(Path.of("l.yaml"), "apiVersion: v1\nkind: Service\n---\n- a\n- b\n"))
          .isInstanceOf(SourceParseException.class)
          .hasMessage("l.yaml:4:1: a Kubernetes manifest document should be a mapping");
    }
  }
}

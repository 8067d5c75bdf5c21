package io.gpukit.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.source.SourceParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GpuKitConfigTests {

  @TempDir Path dir;

  private GpuKitConfig load(String yaml) throws IOException {
    Path file = dir.resolve("gpukit.yaml");
    Files.writeString(file, yaml);
    return GpuKitConfig.load(file);
  }

  @Nested
  class Loading {

    @Test
    void reads_every_section() throws IOException {
      // when
      GpuKitConfig config =
          load(
              "fail-on: warning\n"
                  + "baseline: gpukit-baseline.txt\n"
                  + "ignore:\n  - rule: '*'\n    paths: [vendor/**]\n    reason: third party\n"
                  + "severity:\n  a/b: info\n"
                  + "gpu:\n  runner-labels: ['^farm-.*']\n  probe-commands: ['/opt/bin/gpu-ready']\n");

      // then
      assertThat(config.failOn()).contains(Severity.WARNING);
      assertThat(config.baseline()).contains(dir.resolve("gpukit-baseline.txt"));
      assertThat(config.ignoreFor("x/y", dir.resolve("vendor/lib/Dockerfile"))).isPresent();
      assertThat(config.ignoreFor("x/y", dir.resolve("Dockerfile"))).isEmpty();
      assertThat(config.severityOf("a/b", Severity.ERROR)).contains(Severity.INFO);
      assertThat(config.isGpuRunnerLabel("farm-7")).isTrue();
      assertThat(config.isGpuProbeCommand("/opt/bin/gpu-ready --fast")).isTrue();
    }

    @Test
    void an_empty_file_means_the_defaults() throws IOException {
      // when
      GpuKitConfig config = load("# nothing yet\n");

      // then
      assertThat(config.failOn()).contains(Severity.ERROR);
      assertThat(config.ignores()).isEmpty();
    }

    @Test
    void reads_the_promotion_stage_order_and_the_project_paths() throws IOException {
      // when
      GpuKitConfig config =
          load(
              "promotion:\n  stage-order: ['^sandbox$', '^canary$', '^fleet$']\n"
                  + "project:\n  dockerfiles: ['docker/gpu.Dockerfile']\n  manifests: ['deploy/**']\n");

      // then
      assertThat(config.promotionStageRank("canary")).contains(1);
      assertThat(config.promotionStageRank("staging")).isEmpty();
      assertThat(config.projectPaths("manifests")).singleElement()
          .satisfies(glob -> assertThat(glob.matches("deploy/k8s/deployment.yaml")).isTrue());
      assertThat(config.projectPaths("workflows")).isEmpty();
    }

    @Test
    void ranks_the_usual_stage_names_by_default() {
      GpuKitConfig config = GpuKitConfig.defaults();

      assertThat(config.promotionStageRank("dev")).contains(0);
      assertThat(config.promotionStageRank("Staging")).contains(1);
      assertThat(config.promotionStageRank("production")).contains(2);
      assertThat(config.promotionStageRank("nightly")).isEmpty();
    }

    @Test
    void never_fails_with_fail_on_never() throws IOException {
      assertThat(load("fail-on: never\n").failOn()).isEmpty();
    }
  }

  @Nested
  class Rejecting {

    @Test
    void an_unknown_key_with_its_location() throws IOException {
      assertThatThrownBy(() -> load("fail-on: error\nignored: []\n"))
          .isInstanceOf(SourceParseException.class)
          .hasMessageContaining("gpukit.yaml:2:1")
          .hasMessageContaining("unknown key 'ignored'");
    }

    @Test
    void a_stage_order_of_one_stage() throws IOException {
      assertThatThrownBy(() -> load("promotion:\n  stage-order: ['^prod$']\n"))
          .isInstanceOf(SourceParseException.class)
          .hasMessageContaining("gpukit.yaml:2:16")
          .hasMessageContaining("at least two stages");
    }

    @Test
    void an_unknown_project_key() throws IOException {
      assertThatThrownBy(() -> load("project:\n  helm: [charts/**]\n"))
          .isInstanceOf(SourceParseException.class)
          .hasMessageContaining("gpukit.yaml:2:3")
          .hasMessageContaining("unknown key 'helm'");
    }

    @Test
    void a_bad_severity() throws IOException {
      assertThatThrownBy(() -> load("severity:\n  a/b: fatal\n"))
          .isInstanceOf(SourceParseException.class)
          .hasMessageContaining(":2:8")
          .hasMessageContaining("'fatal'");
    }

    @Test
    void a_bad_regular_expression() throws IOException {
      assertThatThrownBy(() -> load("gpu:\n  probe-commands: ['(']\n"))
          .isInstanceOf(SourceParseException.class)
          .hasMessageContaining("not a valid regular expression");
    }

    @Test
    void malformed_yaml_with_its_location() throws IOException {
      assertThatThrownBy(() -> load("fail-on: [error\n"))
          .isInstanceOf(SourceParseException.class)
          .hasMessageContaining("gpukit.yaml:2:");
    }

    @Test
    void a_yaml_bomb() throws IOException {
      // given the billion laughs, cut short
      StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
      char prev = 'a';
      for (char c = 'b'; c <= 'k'; c++) {
        bomb.append(c).append(": &").append(c).append(" [");
        for (int i = 0; i < 9; i++) {
          bomb.append(i == 0 ? "" : ", ").append('*').append(prev);
        }
        bomb.append("]\n");
        prev = c;
      }

      // then
      assertThatThrownBy(() -> load(bomb.toString()))
          .isInstanceOf(SourceParseException.class)
          .hasMessageContaining("gpukit.yaml:");
    }

    @Test
    void nesting_5000_levels_deep() throws IOException {
      // given
      String deep = "gpu: " + "[".repeat(5000) + "]".repeat(5000) + "\n";

      // then
      assertThatThrownBy(() -> load(deep))
          .isInstanceOf(SourceParseException.class)
          .hasMessageContaining("gpukit.yaml:1:")
          .hasMessageContaining("nested more than 500 levels");
    }

    @Test
    void tabs_in_indentation() throws IOException {
      assertThatThrownBy(() -> load("gpu:\n\tprobe-commands: [a]\n"))
          .isInstanceOf(SourceParseException.class)
          .hasMessageContaining("gpukit.yaml:2:");
    }

    @Test
    void invalid_utf8() throws IOException {
      // given
      Path file = dir.resolve("gpukit.yaml");
      Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});

      // then
      assertThatThrownBy(() -> GpuKitConfig.load(file))
          .isInstanceOf(SourceParseException.class)
          .hasMessageContaining("gpukit.yaml:1:4")
          .hasMessageContaining("UTF-8");
    }

    @Test
    void duplicate_keys() throws IOException {
      assertThatThrownBy(() -> load("fail-on: error\nfail-on: warning\n"))
          .isInstanceOf(SourceParseException.class)
          .hasMessageContaining("gpukit.yaml:2:");
    }
  }

  @Nested
  class Gpu_defaults {

    @ParameterizedTest
    @ValueSource(strings = {"gpu", "self-hosted-gpu", "nvidia", "cuda", "linux-cu121", "a100", "H100", "l40s", "t4", "gpu-a10g", "4-core-gpu"})
    void recognise_gpu_runner_labels(String label) {
      assertThat(GpuKitConfig.defaults().isGpuRunnerLabel(label)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"self-hosted", "ubuntu-latest", "linux", "x64", "large", "l4x"})
    void do_not_see_gpus_in_other_labels(String label) {
      assertThat(GpuKitConfig.defaults().isGpuRunnerLabel(label)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "python3 /app/smoke_test.py|true",
          "java -jar /opt/gpukit/gpukit-probe.jar --mode readiness|true",
          "java -cp app.jar io.gpukit.probe.Main|true",
          "/bin/sh ./gpu_check.sh|true",
          "python cuda-probe.py|true",
          "nvidia-smi|false",
          "curl -f http://localhost:8000/healthz|false",
          "python3 /app/server.py|false"
        })
    void recognise_gpu_probe_commands(String command, boolean expected) {
      assertThat(GpuKitConfig.defaults().isGpuProbeCommand(command)).isEqualTo(expected);
    }
  }

  @Test
  void path_globs_follow_gitignore_habits() {
    assertThat(PathGlob.of("**/Dockerfile").matches("Dockerfile")).isTrue();
    assertThat(PathGlob.of("**/Dockerfile").matches("a/b/Dockerfile")).isTrue();
    assertThat(PathGlob.of("docker/*").matches("docker/a/b")).isFalse();
    assertThat(PathGlob.of("docker/**").matches("docker/a/b")).isTrue();
    assertThat(PathGlob.of("./x?.txt").matches("x1.txt")).isTrue();
    assertThat(Optional.empty()).isEmpty();
  }
}

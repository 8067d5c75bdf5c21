package io.gpukit.cli;

import static io.gpukit.cli.GpuKitCommandTests.gpukit;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.cli.GpuKitCommandTests.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlFormatCommandTests {

  @Nested
  class Check {

    @Test
    void writes_one_page_to_the_output_file_and_the_summary_to_stderr(@TempDir Path dir) throws Exception {
      // given
      HtmlReportBrowserTests.writeService(dir);
      Path page = dir.resolve("out/report.html");

      // when
      Run run = gpukit("check", dir, "--format", "html", "--output", page);

      // then
      assertThat(run.exitCode()).isEqualTo(GpuKitCommand.FINDINGS);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).contains("2 files checked: 3 errors, 4 warnings");
      assertThat(Files.readString(page))
          .startsWith("<!DOCTYPE html>")
          .contains("<h2>The four layers: who asks whether the GPU works</h2>", "<h2>Rollouts on the GPU pool</h2>")
          .contains("verdict fail\">FAIL")
          .endsWith("</html>\n");
    }

    @Test
    void passes_at_the_fail_on_level_the_command_line_sets(@TempDir Path dir) throws Exception {
      // given
      HtmlReportBrowserTests.writeService(dir);

      // when
      Run run = gpukit("check", dir, "--format", "html", "--fail-on", "never");

      // then
      assertThat(run.exitCode()).isEqualTo(GpuKitCommand.OK);
      assertThat(run.out()).contains("verdict pass\">PASS", "--fail-on never: the check does not fail.");
    }

    @Test
    void a_file_named_on_its_own_gets_its_findings_without_the_project_sections(@TempDir Path dir) throws Exception {
      // given
      HtmlReportBrowserTests.writeService(dir);

      // when
      Run run = gpukit("check", dir.resolve("Dockerfile"), "--format", "html");

      // then
      assertThat(run.out()).contains("<tr class=\"finding\"").doesNotContain("The four layers", "Rollouts on the GPU pool");
    }
  }

  @Nested
  class Rollout_simulate {

    @Test
    void html_is_a_page_with_the_chart_and_its_table(@TempDir Path dir) throws Exception {
      // given
      Path file = dir.resolve("deployment.yaml");
      Files.writeString(file, KubernetesCommandTests.SEED);

      // when
      Run run = gpukit("rollout", "simulate", file, "--gpus-free", "1", "--format", "html");

      // then
      assertThat(run.exitCode()).isEqualTo(GpuKitCommand.OK);
      assertThat(run.out()).startsWith("<!DOCTYPE html>").contains("<p class=\"ok\">The rollout completes.</p>")
          .contains("<caption>Deployment/seed: pods and GPUs after each step</caption>");
    }

    @Test
    void svg_is_the_chart_alone_and_a_deadlock_exits_1(@TempDir Path dir) throws Exception {
      // given
      Path file = dir.resolve("deployment.yaml");
      Files.writeString(file, KubernetesCommandTests.SEED);

      // when
      Run run = gpukit("rollout", "simulate", file, "--format", "svg");

      // then
      assertThat(run.exitCode()).isEqualTo(GpuKitCommand.FINDINGS);
      assertThat(run.out()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"")
          .contains("DEADLOCK: stalls at step 1").doesNotContain("<html");
    }

    @Test
    void an_argo_blue_green_deadlock_is_drawn_one_bar_group_per_step_with_the_stalled_step_marked(@TempDir Path dir)
        throws Exception {
      // given
      Path file = dir.resolve("rollout.yaml");
      Files.writeString(file, BLUE_GREEN);

      // when
      Run run = gpukit("rollout", "simulate", file, "--format", "html");

      // then: before the rollout, then the preview set Pending beside the active one
      assertThat(run.exitCode()).isEqualTo(GpuKitCommand.FINDINGS);
      assertThat(count(run.out(), "<g class=\"step")).isEqualTo(2);
      assertThat(count(run.out(), "<g class=\"step stalled\" data-step=\"1\"")).isEqualTo(1);
      assertThat(run.out())
          .contains("<caption>Rollout/llm: pods and GPUs after each step</caption>")
          .contains("2 replica(s), blueGreen, 4 nvidia.com/gpu per pod")
          .contains("<p class=\"deadlock\">Deadlock: 2 preview pod(s) Pending")
          .contains("<th scope=\"row\">1 (stalled)</th><td>2</td><td>0</td><td>0</td><td>2</td><td>8</td><td>8</td><td>2</td>")
          .contains("DEADLOCK: stalls at step 1");
    }

    @Test
    void an_argo_canary_deadlock_as_svg_has_one_bar_group_per_step(@TempDir Path dir) throws Exception {
      // given
      Path file = dir.resolve("rollout.yaml");
      Files.writeString(file, CANARY);

      // when
      Run run = gpukit("rollout", "simulate", file, "--format", "svg");

      // then: the canary pod finds no GPU at setWeight 25
      assertThat(run.exitCode()).isEqualTo(GpuKitCommand.FINDINGS);
      assertThat(run.out()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"")
          .contains("canary [setWeight 25, pause, setWeight 50], maxSurge 1, maxUnavailable 0")
          .contains("the canary waits at step 1 of 3 (setWeight 25)")
          .contains("DEADLOCK: stalls at step 1");
      assertThat(count(run.out(), "<g class=\"step")).isEqualTo(2);
      assertThat(count(run.out(), "<g class=\"step stalled\"")).isEqualTo(1);
    }

    @Test
    void an_argo_canary_that_completes_is_drawn_to_its_last_step(@TempDir Path dir) throws Exception {
      // given
      Path file = dir.resolve("rollout.yaml");
      Files.writeString(file, CANARY);

      // when: one spare GPU; the run's steps from the JSON
      Run run = gpukit("rollout", "simulate", file, "--gpus-free", "4", "--format", "html");
      int steps = gpukit("rollout", "simulate", file, "--gpus-free", "4", "--format", "json").json().get("steps").asInt();

      // then
      assertThat(run.exitCode()).isEqualTo(GpuKitCommand.OK);
      assertThat(steps).isPositive();
      assertThat(count(run.out(), "<g class=\"step")).isEqualTo(steps + 1);
      assertThat(run.out()).contains("<p class=\"ok\">The rollout completes.</p>").doesNotContain("stalled");
    }
  }

  static final String ROLLOUT = """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: llm}
      spec:
        replicas: 2
        template:
          spec:
            containers:
            - name: server
              image: vllm/vllm-openai:v0.6.4
              resources: {limits: {nvidia.com/gpu: 4}}
        strategy:
      """;

  /** 2 pods of 4 GPUs; the preview set needs 8 more. */
  static final String BLUE_GREEN = ROLLOUT + """
          blueGreen: {activeService: llm-active, previewService: llm-preview}
      """;

  /** 2 pods of 4 GPUs; each canary pod needs 4 more. */
  static final String CANARY = ROLLOUT + """
          canary:
            maxSurge: 1
            maxUnavailable: 0
            steps:
            - setWeight: 25
            - pause: {duration: 10m}
            - setWeight: 50
      """;

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}

package io.gpukit.cli;

import static io.gpukit.cli.GpuKitCommandTests.gpukit;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.cli.GpuKitCommandTests.Run;
import java.nio.file.Files;
import java.nio.file.Path;
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
  }
}

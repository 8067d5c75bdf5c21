package io.gpukit.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportWriterTests {

  private final HtmlReportWriter writer = new HtmlReportWriter();

  private static int count(String html, String regex) {
    Matcher m = Pattern.compile(regex).matcher(html);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** A rollout that deadlocks after one step: 1 replica, maxSurge 1, maxUnavailable 0, no free GPU. */
  static RolloutChart deadlock() {
    return new RolloutChart("Deployment/llm", "k8s/deploy.yaml:3", 1, "RollingUpdate maxSurge 1, maxUnavailable 0", 1,
        "nvidia.com/gpu", "0 GPUs free besides the pods' own, 8 per node",
        List.of(new RolloutChart.Step(1, 0, 0, 0, 1, 1, 1), new RolloutChart.Step(1, 0, 0, 1, 1, 1, 1)), false,
        Optional.of("1 new pod(s) Pending: each needs 1 GPU(s) on one node, but the most free on any node is 0"));
  }

  @Nested
  class Escaping {

    @Test
    void a_message_and_hint_with_markup_are_shown_as_text() {
      // given
      PolicyReport report = ReportFixtures.awkward("runs <script>alert(1)</script> as root",
          "\"><img src=x onerror=alert(1)> then USER 10001");

      // when
      String html = writer.render(report);

      // then
      assertThat(html)
          .doesNotContain("<script", "<img")
          .contains("runs &lt;script&gt;alert(1)&lt;/script&gt; as root")
          .contains("&#34;&gt;&lt;img src=x onerror=alert(1)&gt; then USER 10001");
    }

    @Test
    void file_content_with_markup_is_shown_as_text_in_the_excerpt(@TempDir Path dir) throws Exception {
      // given
      Path dockerfile = dir.resolve("Dockerfile");
      Files.writeString(dockerfile, "FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04\n"
          + "LABEL note=\"</pre><script>alert(document.cookie)</script>\"\n"
          + "CMD [\"python3\", \"serve.py\"]\n");
      PolicyReport report = PolicyReport.of(List.of(dockerfile), List.of(ReportFixtures.violation(
          ReportFixtures.NON_ROOT, Severity.ERROR, dockerfile, 3, 1, "the final stage runs as 'root'", "")),
          ReportFixtures.rules());

      // when
      String html = writer.render(report);

      // then
      assertThat(html)
          .doesNotContain("<script")
          .contains("LABEL note=&#34;&lt;/pre&gt;&lt;script&gt;alert(document.cookie)&lt;/script&gt;&#34;")
          .containsOnlyOnce("<span class=\"hit\">3 &gt; CMD [&#34;python3&#34;, &#34;serve.py&#34;]</span>");
    }

    @Test
    void a_rule_id_or_path_in_an_attribute_cannot_close_it() {
      // given
      Path file = Path.of("a\" onmouseover=\"x", "Dockerfile");
      PolicyReport report = PolicyReport.of(List.of(file), List.of(
          new Violation("dockerfile/final-stage-non-root", Severity.ERROR,
              io.gpukit.core.source.SourceLocation.of(file, 1, 1), "m", "")), ReportFixtures.rules());

      // when
      String html = writer.render(report);

      // then
      assertThat(html).doesNotContain("\" onmouseover=\"").contains("a&#34; onmouseover=&#34;x/Dockerfile");
    }
  }

  @Nested
  class Self_contained {

    @Test
    void forbids_every_fetch_and_names_nothing_to_fetch() {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      String html = writer.render(new HtmlReport(report, Optional.of(Severity.ERROR), List.of(), List.of(),
          List.of(deadlock())));

      // then
      assertThat(html)
          .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';"
              + " img-src data:\">")
          .doesNotContain("<script", "<link", "@import", "url(", "@font-face")
          .doesNotContainPattern("(src|href)=\"(https?:)?//");
    }
  }

  @Nested
  class Findings {

    @Test
    void has_one_row_per_finding_grouped_by_file_with_links_to_the_rules() {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      String html = writer.render(report);

      // then
      assertThat(count(html, "<tr class=\"finding\"")).isEqualTo(report.violations().size());
      assertThat(html)
          .contains("<caption>2 findings in docker/Dockerfile</caption>", "<caption>1 finding in k8s/deploy.yaml</caption>")
          .contains("<a href=\"#rule-dockerfile/final-stage-non-root\">", "<dt id=\"rule-dockerfile/final-stage-non-root\">")
          .contains("A container running as root turns any escape into root on the node.")
          .contains("hint: add &#39;USER 10001&#39; before CMD");
    }

    @Test
    void says_whether_the_check_fails_at_its_threshold() {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      String failing = writer.render(new HtmlReport(report, Optional.of(Severity.ERROR), List.of(), List.of(), List.of()));
      String never = writer.render(new HtmlReport(report, Optional.empty(), List.of(), List.of(), List.of()));

      // then
      assertThat(failing).contains("verdict fail\">FAIL", "Fails at --fail-on error.");
      assertThat(never).contains("verdict pass\">PASS", "--fail-on never");
    }
  }

  @Nested
  class Rollout_chart {

    @Test
    void draws_one_bar_group_per_step_and_the_same_numbers_in_a_table() {
      // given
      RolloutChart chart = deadlock();

      // when
      String html = HtmlReportWriter.chartPage(chart);

      // then
      assertThat(count(html, "<g class=\"step")).isEqualTo(chart.steps().size());
      assertThat(count(html, "<g class=\"step stalled\"")).isEqualTo(1);
      assertThat(html)
          .contains("role=\"img\"", "<title id=\"rollout-0-t\">Rollout of Deployment/llm</title>")
          .contains("<th scope=\"row\">1 (stalled)</th><td>1</td><td>0</td><td>0</td><td>1</td><td>1</td><td>1</td><td>1</td>")
          .contains("<p class=\"deadlock\">Deadlock: 1 new pod(s) Pending");
    }

    @Test
    void the_svg_alone_is_a_standalone_document() {
      // when
      String svg = HtmlReportWriter.chartSvg(deadlock());

      // then
      assertThat(svg).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"")
          .contains("DEADLOCK: stalls at step 1").endsWith("</svg>\n");
    }
  }

  @Nested
  class Layers {

    @Test
    void shows_each_layer_with_its_budget_and_links_disagreements_to_their_findings() {
      // given
      PolicyReport report = ReportFixtures.mixed();
      Violation finding = report.violations().get(0);
      HtmlReport.Layers image = new HtmlReport.Layers("Dockerfile", List.of(
          new HtmlReport.Layer("HEALTHCHECK", "final stage", "Dockerfile:9", "java -jar /opt/gpukit/gpukit-probe.jar",
              "interval 30s", HtmlReport.Exercise.YES, "the probe the others are compared with", true, List.of()),
          new HtmlReport.Layer("readinessProbe", "Deployment/llm container 'app'", "k8s/deploy.yaml:14",
              "httpGet /healthz port 8080", "period 10s", HtmlReport.Exercise.NO, "does not exercise the GPU", false,
              List.of(finding))));

      // when
      String html = writer.render(new HtmlReport(report, Optional.of(Severity.ERROR), List.of(image), List.of(), List.of()));

      // then
      assertThat(count(html, "<tr class=\"layer\"")).isEqualTo(2);
      assertThat(html)
          .contains("<caption>GPU image built by Dockerfile</caption>")
          .contains("<td class=\"no\">does not exercise the GPU</td><td><a href=\"#f-1\">" + finding.ruleId() + "</a></td>")
          .contains("<tr class=\"finding\" id=\"f-1\">");
    }
  }
}

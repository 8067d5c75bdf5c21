package io.gpukit.core.report;

import static io.gpukit.core.report.ReportFixtures.DOCKERFILE;
import static io.gpukit.core.report.ReportFixtures.NON_ROOT;
import static io.gpukit.core.report.ReportFixtures.violation;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Severity;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TextReportWriterTests {

  private final ReportWriter writer = ReportFormat.TEXT.writer();

  @Nested
  class Layout {

    @Test
    void groups_violations_by_file_in_order_with_hints_then_the_summary() {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      String text = writer.render(report);

      // then
      assertThat(text)
          .isEqualTo(
              "docker/Dockerfile:1:1: info: no 'cuda.version' label [dockerfile/cuda-version-label]\n"
                  + "docker/Dockerfile:12:1: error: the final stage runs as 'root'"
                  + " [dockerfile/final-stage-non-root]\n"
                  + "  hint: add 'USER 10001' before CMD\n"
                  + "\n"
                  + "k8s/deploy.yaml:14:9: warning: container 'trainer' sets no 'nvidia.com/gpu' limit"
                  + " [k8s/gpu-limits-set]\n"
                  + "  hint: add 'nvidia.com/gpu: 1' under resources.limits\n"
                  + "\n"
                  + "2 files checked: 1 error, 1 warning, 1 info (1 suppressed) (1 in baseline)\n");
    }

    @Test
    void prints_each_line_as_the_violation_renders_it() {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      String text = writer.render(report);

      // then
      report.violations().forEach(v -> assertThat(text).contains(v.render() + "\n"));
    }

    @Test
    void writes_to_the_given_writer_and_leaves_it_open() throws IOException {
      // given
      StringWriter out = new StringWriter();
      out.write("before\n");

      // when
      writer.write(ReportFixtures.mixed(), out);
      out.write("after\n");

      // then
      assertThat(out.toString()).startsWith("before\ndocker/Dockerfile:1:1").endsWith("in baseline)\nafter\n");
    }
  }

  @Nested
  class Empty_report {

    @Test
    void prints_only_the_summary() {
      // given
      PolicyReport report = ReportFixtures.clean();

      // when
      String text = writer.render(report);

      // then
      assertThat(text).isEqualTo("No violations. 3 files checked: 0 errors, 0 warnings, 0 info\n");
    }

    @Test
    void prints_the_summary_of_nothing_checked() {
      // given
      PolicyReport report = PolicyReport.empty();

      // when
      String text = writer.render(report);

      // then
      assertThat(text).isEqualTo("No violations. 0 files checked: 0 errors, 0 warnings, 0 info\n");
    }
  }

  @Nested
  class Special_characters {

    @Test
    void keeps_quotes_markup_and_unicode_as_they_are() {
      // given
      PolicyReport report = ReportFixtures.awkward("image 'cuda:12' <latest> & \"ünïcødé\" 🚀", "");

      // when
      String text = writer.render(report);

      // then
      assertThat(text)
          .startsWith(
              "my app/Docker file:2:5: error: image 'cuda:12' <latest> & \"ünïcødé\" 🚀"
                  + " [dockerfile/final-stage-non-root]\n");
    }

    @Test
    void continues_line_breaks_on_indented_lines() {
      // given
      PolicyReport report = ReportFixtures.awkward("first\nsecond\r\nthird", "do this\nthen that");

      // when
      String text = writer.render(report);

      // then
      assertThat(text)
          .startsWith(
              "my app/Docker file:2:5: error: first\n"
                  + "    second\n"
                  + "    third [dockerfile/final-stage-non-root]\n"
                  + "  hint: do this\n"
                  + "    then that\n\n");
    }

    @Test
    void shows_control_characters_as_escapes() {
      // given
      PolicyReport report = ReportFixtures.awkward("bell \u0007 and \u001b[31mred", "");

      // when
      String text = writer.render(report);

      // then
      assertThat(text).contains("bell \\u0007 and \\u001B[31mred").doesNotContain("\u0007", "\u001b");
    }

    @Test
    void renders_paths_with_forward_slashes() {
      // given
      PolicyReport report =
          PolicyReport.of(
              List.of(DOCKERFILE),
              List.of(violation(NON_ROOT, Severity.ERROR, DOCKERFILE, 3, 1, "m", "")),
              List.of(NON_ROOT));

      // when
      String text = writer.render(report);

      // then
      assertThat(text).startsWith("docker/Dockerfile:3:1: error: m [dockerfile/final-stage-non-root]\n");
    }
  }
}

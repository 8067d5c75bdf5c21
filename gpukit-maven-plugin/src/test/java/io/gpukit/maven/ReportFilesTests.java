package io.gpukit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.project.GpuProject;
import io.gpukit.core.report.ReportFormat;
import io.gpukit.core.source.SourceLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTests {

  @Nested
  class Parsing {

    @Test
    void reads_a_list_and_comma_separated_values_as_the_command_line_gives_them() {
      // given: <formats><format>sarif</format></formats>, and -Dgpukit.formats=json,junit-xml
      List<String> values = List.of("sarif", "json, junit-xml", " ");

      // when
      ReportFiles files = ReportFiles.parse(values);

      // then
      assertThat(files.formats()).containsExactlyInAnyOrder(ReportFormat.SARIF, ReportFormat.JSON, ReportFormat.JUNIT);
    }

    @Test
    void nothing_asked_writes_no_file() {
      assertThat(ReportFiles.parse(null).formats()).isEmpty();
      assertThat(ReportFiles.parse(Arrays.asList((String) null)).formats()).isEmpty();
    }

    @Test
    void an_unknown_format_names_the_parameter_and_the_accepted_names() {
      assertThatThrownBy(() -> ReportFiles.parse(List.of("sarif", "pdf")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("formats: unknown report format 'pdf': expected one of text, json, sarif, junit, html (or junit-xml)");
    }
  }

  @Nested
  class Writing {

    @Test
    void writes_each_asked_format_under_the_folder_with_its_fixed_name(@TempDir Path tmp) throws Exception {
      // given
      Violation v = new Violation("dockerfile/final-stage-non-root", Severity.ERROR,
          SourceLocation.of(Path.of("Dockerfile"), 4, 1), "the final stage has no USER, so it runs as root", "");
      PolicyReport report = PolicyReport.of(List.of(Path.of("Dockerfile")), List.of(v), List.of());
      Path out = tmp.resolve("target/gpukit");

      // when
      List<Path> written = ReportFiles.parse(List.of("junit,sarif")).write(report, out);

      // then
      assertThat(written).containsExactly(out.resolve("gpukit.sarif"), out.resolve("gpukit-junit.xml"));
      assertThat(Files.readString(out.resolve("gpukit.sarif"))).contains("\"ruleId\": \"dockerfile/final-stage-non-root\"");
      assertThat(Files.readString(out.resolve("gpukit-junit.xml"))).contains("<testsuite");
      assertThat(out.resolve("gpukit.json")).doesNotExist();
    }

    @Test
    void writes_the_html_page_with_what_the_project_view_read(@TempDir Path tmp) throws Exception {
      // given: a GPU image whose HEALTHCHECK only asks a port
      Path repo = Files.createDirectories(tmp.resolve("service"));
      Files.writeString(repo.resolve("Dockerfile"), String.join("\n",
          "FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04",
          "USER 10001",
          "HEALTHCHECK CMD curl -f http://localhost:8000/healthz",
          "CMD [\"python3\", \"serve.py\"]", ""));
      GpuProject project = GpuProject.scan(repo);
      Path out = tmp.resolve("target/gpukit");

      // when
      List<Path> written = ReportFiles.parse(List.of("html"))
          .write(project.report(), Optional.of(project), Optional.of(Severity.ERROR), out);

      // then
      assertThat(written).containsExactly(out.resolve("gpukit.html"));
      String page = Files.readString(out.resolve("gpukit.html"));
      assertThat(page).startsWith("<!DOCTYPE html>").contains("dockerfile/final-stage-healthcheck")
          .contains("curl -f http://localhost:8000/healthz");
    }

    @Test
    void writes_nothing_and_creates_no_folder_when_no_format_is_asked(@TempDir Path tmp) throws Exception {
      assertThat(ReportFiles.parse(List.of()).write(PolicyReport.empty(), tmp.resolve("gpukit"))).isEmpty();
      assertThat(tmp.resolve("gpukit")).doesNotExist();
    }
  }
}

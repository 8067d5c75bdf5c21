package io.gpukit.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.project.GpuProject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportWriterTests {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ReportWriter writer = ReportFormat.JSON.writer();

  private JsonNode parse(String json) throws Exception {
    return MAPPER.readTree(json);
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Nested
  class Shape {

    @Test
    void has_the_top_level_keys_in_order() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      JsonNode json = parse(writer.render(report));

      // then
      assertThat(keys(json)).containsExactly("files", "violations", "summary", "suppressed", "baselined", "scope");
      assertThat(json.get("files").intValue()).isEqualTo(2);
      assertThat(json.get("suppressed").intValue()).isEqualTo(1);
      assertThat(json.get("baselined").intValue()).isEqualTo(1);
      assertThat(keys(json.get("summary"))).containsExactly("error", "warning", "info");
      assertThat(json.get("summary").get("error").intValue()).isEqualTo(1);
      assertThat(json.get("summary").get("warning").intValue()).isEqualTo(1);
      assertThat(json.get("summary").get("info").intValue()).isEqualTo(1);
    }

    @Test
    void writes_every_field_of_a_violation() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      JsonNode violation = parse(writer.render(report)).get("violations").get(1);

      // then
      assertThat(keys(violation))
          .containsExactly("ruleId", "severity", "file", "line", "column", "message", "hint");
      assertThat(violation.get("ruleId").textValue()).isEqualTo("dockerfile/final-stage-non-root");
      assertThat(violation.get("severity").textValue()).isEqualTo("error");
      assertThat(violation.get("file").textValue()).isEqualTo("docker/Dockerfile");
      assertThat(violation.get("line").intValue()).isEqualTo(12);
      assertThat(violation.get("column").intValue()).isEqualTo(1);
      assertThat(violation.get("message").textValue()).isEqualTo("the final stage runs as 'root'");
      assertThat(violation.get("hint").textValue()).isEqualTo("add 'USER 10001' before CMD");
    }

    @Test
    void lists_violations_in_report_order_with_lower_case_severities() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      JsonNode violations = parse(writer.render(report)).get("violations");

      // then
      assertThat(violations).hasSize(3);
      assertThat(violations.findValuesAsText("severity")).containsExactly("info", "error", "warning");
      assertThat(violations.findValuesAsText("file"))
          .containsExactly("docker/Dockerfile", "docker/Dockerfile", "k8s/deploy.yaml");
    }

    @Test
    void writes_an_empty_hint_as_an_empty_string() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      JsonNode violation = parse(writer.render(report)).get("violations").get(0);

      // then
      assertThat(violation.get("hint").isTextual()).isTrue();
      assertThat(violation.get("hint").textValue()).isEmpty();
    }

    @Test
    void is_pretty_printed_with_a_trailing_newline() {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      String json = writer.render(report);

      // then
      assertThat(json)
          .startsWith("{\n  \"files\": 2,\n  \"violations\": [\n    {\n      \"ruleId\": ")
          .endsWith("  \"suppressed\": 1,\n  \"baselined\": 1,\n  \"scope\": []\n}\n");
    }
  }

  @Nested
  class Empty_report {

    @Test
    void has_no_violations_and_zero_counts() throws Exception {
      // given
      PolicyReport report = ReportFixtures.clean();

      // when
      String rendered = writer.render(report);
      JsonNode json = parse(rendered);

      // then
      assertThat(rendered).contains("\"violations\": [],");
      assertThat(json.get("files").intValue()).isEqualTo(3);
      assertThat(json.get("violations")).isEmpty();
      assertThat(json.get("summary").get("error").intValue()).isZero();
      assertThat(json.get("suppressed").intValue()).isZero();
    }
  }

  @Nested
  class Special_characters {

    @Test
    void round_trips_quotes_markup_unicode_and_control_characters() throws Exception {
      // given
      PolicyReport report = ReportFixtures.awkward(ReportFixtures.AWKWARD, "hint with \"quotes\"\nand a break");

      // when
      JsonNode violation = parse(writer.render(report)).get("violations").get(0);

      // then
      assertThat(violation.get("message").textValue()).isEqualTo(ReportFixtures.AWKWARD);
      assertThat(violation.get("hint").textValue()).isEqualTo("hint with \"quotes\"\nand a break");
    }

    @Test
    void keeps_spaces_in_paths_as_given() throws Exception {
      // given
      PolicyReport report = ReportFixtures.awkward("m", "");

      // when
      JsonNode violation = parse(writer.render(report)).get("violations").get(0);

      // then
      assertThat(violation.get("file").textValue()).isEqualTo("my app/Docker file");
    }
  }

  @Nested
  class Scope {

    @Test
    void gives_each_file_its_gpu_scope_and_evidence(@TempDir Path repo) throws Exception {
      // given
      Files.writeString(repo.resolve("Dockerfile"),
          "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nUSER 10001\nENTRYPOINT [\"/app/server\"]\n");
      Files.writeString(repo.resolve("db.Dockerfile"), "FROM postgres:16.4-bookworm\nCOPY schema.sql /docker-entrypoint-initdb.d/\n");
      PolicyReport report = GpuProject.scan(repo).report();

      // when
      JsonNode scope = parse(writer.render(report)).get("scope");

      // then
      assertThat(scope).hasSize(2);
      JsonNode service = scope.get(0);
      assertThat(service.get("file").asText()).endsWith("/Dockerfile");
      assertThat(service.get("gpu").asBoolean()).isTrue();
      assertThat(keys(service.get("evidence").get(0)))
          .containsExactly("subject", "reason", "strength", "file", "line", "column");
      assertThat(service.get("evidence").get(0).get("reason").asText())
          .isEqualTo("its base image 'nvidia/cuda:12.4.1-runtime-ubuntu22.04' is a CUDA image");
      assertThat(service.get("evidence").get(0).get("strength").asText()).isEqualTo("strong");
      JsonNode database = scope.get(1);
      assertThat(database.get("gpu").asBoolean()).isFalse();
      assertThat(database.get("note").asText()).startsWith("a base image");
      assertThat(database.get("evidence")).isEmpty();
    }
  }
}

package io.gpukit.core.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DockerfileJsonTests {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Nested
  class to_json {

    private final Dockerfile parsed =
        Dockerfile.parse(
            Path.of("ctx/Dockerfile"),
            "# syntax=docker/dockerfile:1\nFROM nvcr.io/nvidia/cuda:12.4 AS base\n"
                + "RUN --network=none <<EOF\necho hi\nEOF\nONBUILD CMD [\"x\"]\n");

    @Test
    void has_stable_fields_in_order() throws Exception {
      // when
      JsonNode json = MAPPER.readTree(DockerfileJson.toJson(parsed));

      // then
      assertThat(fieldNames(json)).containsExactly("file", "directives", "stages", "instructions");
      assertThat(json.get("file").asText()).isEqualTo("ctx/Dockerfile");
      assertThat(fieldNames(json.get("directives").get(0))).containsExactly("name", "value", "line");
      assertThat(fieldNames(json.get("stages").get(0)))
          .containsExactly("index", "name", "baseImage", "platform", "startLine", "endLine");
      assertThat(fieldNames(json.get("stages").get(0).get("baseImage")))
          .containsExactly("original", "resolved", "registry", "repository", "tag", "digest");
      assertThat(fieldNames(json.get("instructions").get(0)))
          .containsExactly(
              "keyword", "startLine", "endLine", "original", "flags", "args", "form", "heredocs",
              "nested");
    }

    @Test
    void writes_values_and_nulls() throws Exception {
      // when
      JsonNode json = MAPPER.readTree(DockerfileJson.toJson(parsed));

      // then
      JsonNode stage = json.get("stages").get(0);
      assertThat(stage.get("name").asText()).isEqualTo("base");
      assertThat(stage.get("platform").isNull()).isTrue();
      assertThat(stage.get("baseImage").get("registry").asText()).isEqualTo("nvcr.io");
      assertThat(stage.get("baseImage").get("digest").isNull()).isTrue();
      assertThat(stage.get("endLine").asInt()).isEqualTo(6);
      JsonNode run = json.get("instructions").get(1);
      assertThat(run.get("flags").get(0).asText()).isEqualTo("--network=none");
      assertThat(run.get("form").asText()).isEqualTo("shell");
      assertThat(run.get("endLine").asInt()).isEqualTo(5);
      assertThat(run.get("heredocs").get(0).get("content").asText()).isEqualTo("echo hi\n");
      assertThat(run.get("nested").isNull()).isTrue();
      JsonNode onbuild = json.get("instructions").get(2);
      assertThat(onbuild.get("nested").get("keyword").asText()).isEqualTo("CMD");
      assertThat(onbuild.get("nested").get("form").asText()).isEqualTo("exec");
    }

    @Test
    void is_pretty_printed_and_deterministic() {
      // when
      String first = DockerfileJson.toJson(parsed);
      String second = DockerfileJson.toJson(parsed);

      // then
      assertThat(first).isEqualTo(second).contains("\n  \"directives\"");
    }
  }
}

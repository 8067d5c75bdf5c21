package io.gpukit.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.gpukit.core.policy.BuiltInRules;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceLocation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SarifReportWriterTests {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The schema's own id, mapped to the copy in the test resources: nothing is fetched. */
  private static final String SCHEMA_ID_PREFIX =
      "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/";

  private static final JsonSchema SCHEMA = loadSchema();

  private final ReportWriter writer = ReportFormat.SARIF.writer();

  private static JsonSchema loadSchema() {
    JsonSchemaFactory factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V4,
            builder ->
                builder.schemaMappers(mappers -> mappers.mapPrefix(SCHEMA_ID_PREFIX, "classpath:schemas/")));
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    return factory.getSchema(SchemaLocation.of("classpath:schemas/sarif-schema-2.1.0.json"), config);
  }

  private JsonNode sarif(PolicyReport report) throws Exception {
    return MAPPER.readTree(writer.render(report));
  }

  private static JsonNode run(JsonNode sarif) {
    return sarif.get("runs").get(0);
  }

  @Nested
  class Schema {

    @Test
    void validates_a_report_with_every_severity() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      Set<ValidationMessage> errors = SCHEMA.validate(sarif(report));

      // then
      assertThat(errors).isEmpty();
    }

    @Test
    void validates_an_empty_report() throws Exception {
      // given
      PolicyReport report = PolicyReport.empty();

      // when
      Set<ValidationMessage> errors = SCHEMA.validate(sarif(report));

      // then
      assertThat(errors).isEmpty();
    }

    @Test
    void validates_awkward_messages_and_paths() throws Exception {
      // given
      PolicyReport report = ReportFixtures.awkward(ReportFixtures.AWKWARD, "a <hint>");

      // when
      Set<ValidationMessage> errors = SCHEMA.validate(sarif(report));

      // then
      assertThat(errors).isEmpty();
    }

    @Test
    void validates_findings_at_the_folder_checked_and_at_another_folder(@TempDir Path folder) throws Exception {
      // given
      PolicyReport report = atFolders(Path.of("."), folder);

      // when
      Set<ValidationMessage> errors = SCHEMA.validate(sarif(report));

      // then
      assertThat(errors).isEmpty();
    }

    @Test
    void the_schema_check_rejects_a_broken_log() throws Exception {
      // given
      ObjectNode broken = (ObjectNode) sarif(ReportFixtures.mixed());
      broken.put("version", "2.0.0");
      ((ObjectNode) run(broken).get("results").get(0)).put("level", "fatal");

      // when
      Set<ValidationMessage> errors = SCHEMA.validate(broken);

      // then
      assertThat(errors).hasSizeGreaterThanOrEqualTo(2);
    }
  }

  @Nested
  class Tool {

    @Test
    void names_gpukit_with_its_version() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      JsonNode sarif = sarif(report);

      // then
      assertThat(sarif.get("$schema").textValue()).isEqualTo("https://json.schemastore.org/sarif-2.1.0.json");
      assertThat(sarif.get("version").textValue()).isEqualTo("2.1.0");
      assertThat(sarif.get("runs")).hasSize(1);
      JsonNode driver = run(sarif).get("tool").get("driver");
      assertThat(driver.get("name").textValue()).isEqualTo("gpukit");
      assertThat(driver.get("informationUri").textValue()).isEqualTo("https://github.com/gpukit/gpukit");
      assertThat(driver.get("version").textValue()).isNotBlank();
      assertThat(run(sarif).get("columnKind").textValue()).isEqualTo("unicodeCodePoints");
    }

    @Test
    void describes_every_rule_of_the_report_in_order() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      JsonNode rules = run(sarif(report)).get("tool").get("driver").get("rules");

      // then
      assertThat(rules.findValuesAsText("id"))
          .containsExactlyElementsOf(report.rules().stream().map(r -> r.id()).toList());
    }

    @Test
    void describes_a_rule_with_help_examples_and_level() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      JsonNode rule = ruleNamed(run(sarif(report)), "dockerfile/final-stage-non-root");

      // then
      assertThat(rule.get("name").textValue()).isEqualTo("FinalStageNonRoot");
      assertThat(rule.get("shortDescription").get("text").textValue())
          .isEqualTo("the final stage should not run as root");
      assertThat(rule.get("fullDescription").get("text").textValue())
          .isEqualTo("A container running as root turns any escape into root on the node.");
      assertThat(rule.get("defaultConfiguration").get("level").textValue()).isEqualTo("error");
      assertThat(rule.get("properties").get("tags").get(0).textValue()).isEqualTo("dockerfile");
      assertThat(rule.get("help").get("text").textValue())
          .contains("A container running as root", "Failing:\n    FROM nvidia", "    USER 10001")
          .contains("Related: hadolint DL3002, Checkov CKV_DOCKER_8");
      assertThat(rule.get("help").get("markdown").textValue())
          .isEqualTo(
              "A container running as root turns any escape into root on the node.\n\n"
                  + "**Failing**\n\n"
                  + "```\nFROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nCMD [\"python\", \"serve.py\"]\n```\n\n"
                  + "**Fixed**\n\n"
                  + "```\nFROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nUSER 10001\nCMD [\"python\", \"serve.py\"]\n```\n\n"
                  + "**Related:** hadolint DL3002, Checkov CKV_DOCKER_8");
    }

    @Test
    void says_whether_a_rule_judges_gpu_artifacts_only_or_every_artifact_and_tags_gpu_rules_gpu() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      JsonNode run = run(sarif(report));

      // then
      assertThat(ruleNamed(run, "k8s/gpu-limits-set").get("properties").get("gpukit-scope").textValue()).isEqualTo("gpu");
      assertThat(ruleNamed(run, "dockerfile/final-stage-non-root").get("properties").get("gpukit-scope").textValue())
          .isEqualTo("all");
      assertThat(ruleNamed(run, "gpukit/nothing-to-check").get("properties").get("gpukit-scope").textValue())
          .isEqualTo("all");
      assertThat(ruleNamed(run, "k8s/gpu-limits-set").get("properties").get("tags"))
          .extracting(JsonNode::textValue).containsExactly("k8s", "gpu");
      assertThat(ruleNamed(run, "dockerfile/final-stage-non-root").get("properties").get("tags"))
          .extracting(JsonNode::textValue).containsExactly("dockerfile");
    }

    @Test
    void falls_back_to_the_description_and_maps_info_to_note() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      JsonNode rule = ruleNamed(run(sarif(report)), "dockerfile/cuda-version-label");

      // then
      assertThat(rule.get("name").textValue()).isEqualTo("CudaVersionLabel");
      assertThat(rule.get("fullDescription").get("text").textValue())
          .isEqualTo("an image should label its CUDA version");
      assertThat(rule.get("help").get("markdown").textValue()).isEqualTo("an image should label its CUDA version");
      assertThat(rule.get("defaultConfiguration").get("level").textValue()).isEqualTo("note");
    }

    @Test
    void keeps_example_indentation_and_fences_past_backticks() throws Exception {
      // given
      RuleDescriptor rule =
          new RuleDescriptor(
              "k8s/gpu-limits-set", Severity.WARNING, "d", "r", "\n  limits:\n    cpu: 1\n", "run ```x```", "");
      PolicyReport report = PolicyReport.of(List.of(), List.of(), List.of(rule));

      // when
      String markdown = ruleNamed(run(sarif(report)), rule.id()).get("help").get("markdown").textValue();

      // then
      assertThat(markdown)
          .isEqualTo("r\n\n**Failing**\n\n```\n  limits:\n    cpu: 1\n```\n\n**Fixed**\n\n````\nrun ```x```\n````");
    }

    private JsonNode ruleNamed(JsonNode run, String id) {
      for (JsonNode rule : run.get("tool").get("driver").get("rules")) {
        if (rule.get("id").textValue().equals(id)) {
          return rule;
        }
      }
      throw new AssertionError("no rule " + id);
    }
  }

  @Nested
  class Results {

    @Test
    void has_one_result_per_violation_in_report_order() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      JsonNode results = run(sarif(report)).get("results");

      // then
      assertThat(results).hasSize(3);
      assertThat(results.findValuesAsText("ruleId"))
          .containsExactly(
              "dockerfile/cuda-version-label", "dockerfile/final-stage-non-root", "k8s/gpu-limits-set");
      assertThat(results.findValuesAsText("level")).containsExactly("note", "error", "warning");
    }

    @Test
    void points_at_the_rule_and_the_location() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      JsonNode run = run(sarif(report));
      JsonNode result = run.get("results").get(1);

      // then
      int index = result.get("ruleIndex").intValue();
      assertThat(run.get("tool").get("driver").get("rules").get(index).get("id").textValue())
          .isEqualTo(result.get("ruleId").textValue());
      JsonNode physical = result.get("locations").get(0).get("physicalLocation");
      assertThat(physical.get("artifactLocation").get("uri").textValue()).isEqualTo("docker/Dockerfile");
      assertThat(physical.get("artifactLocation").get("uriBaseId").textValue()).isEqualTo("%SRCROOT%");
      assertThat(physical.get("region").get("startLine").intValue()).isEqualTo(12);
      assertThat(physical.get("region").get("startColumn").intValue()).isEqualTo(1);
    }

    @Test
    void puts_the_hint_after_the_message() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      JsonNode results = run(sarif(report)).get("results");

      // then
      assertThat(results.get(0).get("message").get("text").textValue()).isEqualTo("no 'cuda.version' label");
      assertThat(results.get(1).get("message").get("text").textValue())
          .isEqualTo("the final stage runs as 'root'\nhint: add 'USER 10001' before CMD");
    }

    @Test
    void leaves_out_suppressed_and_baselined_violations_but_counts_them() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      JsonNode run = run(sarif(report));

      // then
      assertThat(run.get("results").findValuesAsText("text")).noneMatch(t -> t.contains("suppressed one"));
      assertThat(run.get("properties").get("suppressed").intValue()).isEqualTo(1);
      assertThat(run.get("properties").get("baselined").intValue()).isEqualTo(1);
    }

    @Test
    void has_no_results_for_a_clean_report() throws Exception {
      // given
      PolicyReport report = ReportFixtures.clean();

      // when
      JsonNode run = run(sarif(report));

      // then
      assertThat(run.get("results")).isEmpty();
      assertThat(run.get("tool").get("driver").get("rules")).hasSize(report.rules().size());
    }
  }

  /** A finding of gpukit/nothing-to-check at {@code checked} and one of a project rule at {@code other}. */
  static PolicyReport atFolders(Path checked, Path other) {
    return PolicyReport.of(
        List.of(),
        List.of(
            new Violation(BuiltInRules.NOTHING_TO_CHECK.id(), Severity.ERROR, SourceLocation.startOf(checked),
                "nothing to check in /repo: no Dockerfile, workflow, Kubernetes manifest, promotion flow or runbook was found there",
                "is the path right?"),
            new Violation("project/configured-paths-exist", Severity.ERROR, SourceLocation.startOf(other),
                "'deploy/**' under project.manifests matches no file", "")),
        ReportFixtures.rules());
  }

  @Nested
  class Findings_at_a_folder {

    @Test
    void point_at_the_folder_checked_as_dot_slash_against_the_source_root_without_a_region() throws Exception {
      // given
      PolicyReport report = atFolders(Path.of("."), Path.of(""));

      // when
      JsonNode results = run(sarif(report)).get("results");

      // then
      assertThat(results).hasSize(2).allSatisfy(result -> {
        JsonNode physical = result.get("locations").get(0).get("physicalLocation");
        assertThat(physical.get("artifactLocation").get("uri").textValue()).isEqualTo("./");
        assertThat(physical.get("artifactLocation").get("uriBaseId").textValue()).isEqualTo("%SRCROOT%");
        assertThat(physical.has("region")).isFalse();
      });
    }

    @Test
    void point_at_another_folder_with_a_trailing_slash(@TempDir Path repo) throws Exception {
      // given
      Path absolute = Files.createDirectories(repo.resolve("services").resolve("llm"));

      // when
      JsonNode results = run(sarif(atFolders(Path.of("."), absolute))).get("results");

      // then
      JsonNode artifact = results.get(1).get("locations").get(0).get("physicalLocation").get("artifactLocation");
      assertThat(artifact.get("uri").textValue()).startsWith("file:/").endsWith("/services/llm/");
      assertThat(Path.of(URI.create(artifact.get("uri").textValue()))).isEqualTo(absolute);
      assertThat(artifact.has("uriBaseId")).isFalse();
    }

    @Test
    void a_file_keeps_its_region() throws Exception {
      // given
      PolicyReport report = ReportFixtures.mixed();

      // when
      JsonNode physical = run(sarif(report)).get("results").get(0).get("locations").get(0).get("physicalLocation");

      // then
      assertThat(physical.get("region").get("startLine").intValue()).isEqualTo(1);
    }
  }

  @Nested
  class Fingerprints {

    private String fingerprint(PolicyReport report, int result) throws Exception {
      return run(sarif(report)).get("results").get(result).get("partialFingerprints").get("gpukit/v1").textValue();
    }

    private PolicyReport oneAt(int line, String message) {
      return PolicyReport.of(
          List.of(ReportFixtures.DOCKERFILE),
          List.of(
              ReportFixtures.violation(
                  ReportFixtures.NON_ROOT, Severity.ERROR, ReportFixtures.DOCKERFILE, line, 1, message, "")),
          ReportFixtures.rules());
    }

    @Test
    void stay_the_same_when_the_line_moves() throws Exception {
      // given
      PolicyReport before = oneAt(3, "runs as 'root'");
      PolicyReport after = oneAt(30, "runs as 'root'");

      // when / then
      assertThat(fingerprint(before, 0)).isEqualTo(fingerprint(after, 0)).matches("[0-9a-f]{32}:1");
    }

    @Test
    void change_with_the_message() throws Exception {
      // given
      PolicyReport one = oneAt(3, "runs as 'root'");
      PolicyReport other = oneAt(3, "runs as 'admin'");

      // when / then
      assertThat(fingerprint(one, 0)).isNotEqualTo(fingerprint(other, 0));
    }

    @Test
    void number_identical_violations_in_a_file() throws Exception {
      // given
      PolicyReport report = oneAt(3, "same").merge(oneAt(9, "same"));

      // when
      String first = fingerprint(report, 0);
      String second = fingerprint(report, 1);

      // then
      assertThat(first).endsWith(":1");
      assertThat(second).endsWith(":2");
      assertThat(first.substring(0, 32)).isEqualTo(second.substring(0, 32));
    }
  }

  @Nested
  class Artifact_uris {

    @Test
    void percent_encode_spaces_and_unicode_in_relative_paths() {
      // given
      Path path = Path.of("my app", "Dockerfile.ünï #1");

      // when
      String uri = SarifReportWriter.uri(path);

      // then
      assertThat(uri).isEqualTo("my%20app/Dockerfile.%C3%BCn%C3%AF%20%231");
      assertThat(URI.create(uri).getPath()).isEqualTo("my app/Dockerfile.ünï #1");
    }

    @Test
    void never_look_like_a_scheme() {
      // given
      Path path = Path.of("c:weird", "file");

      // when
      String uri = SarifReportWriter.uri(path);

      // then
      assertThat(uri).isEqualTo("c%3Aweird/file");
      assertThat(URI.create(uri).isAbsolute()).isFalse();
    }

    @Test
    void drop_dot_segments() {
      // given
      Path path = Path.of(".", "docker", "Dockerfile");

      // when
      String uri = SarifReportWriter.uri(path);

      // then
      assertThat(uri).isEqualTo("docker/Dockerfile");
    }

    @Test
    void end_with_a_slash_for_folders_and_never_are_empty() {
      // when / then
      assertThat(SarifReportWriter.folderUri(Path.of("."))).isEqualTo("./");
      assertThat(SarifReportWriter.folderUri(Path.of(""))).isEqualTo("./");
      assertThat(SarifReportWriter.folderUri(Path.of("services", "llm"))).isEqualTo("services/llm/");
      assertThat(SarifReportWriter.isFolder(Path.of("."))).isTrue();
      assertThat(SarifReportWriter.isFolder(Path.of("no-such-folder", "Dockerfile"))).isFalse();
    }

    @Test
    void are_file_uris_for_absolute_paths() {
      // given
      Path path = Path.of("my app", "Dockerfile").toAbsolutePath();

      // when
      String uri = SarifReportWriter.uri(path);

      // then
      assertThat(uri).startsWith("file:/").endsWith("/my%20app/Dockerfile");
      assertThat(Path.of(URI.create(uri))).isEqualTo(path);
    }
  }
}

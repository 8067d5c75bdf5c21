package io.gpukit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

class GpuKitCommandTests {

  /** Two stages, pinned images, a numeric USER, a GPU probe HEALTHCHECK, exec form: no violation. */
  static final String CLEAN =
      """
      FROM maven:3.9.11-eclipse-temurin-17 AS build
      WORKDIR /src
      RUN mvn -B package

      FROM eclipse-temurin:17.0.16_8-jre-noble
      COPY --from=build /src/target/app.jar /app/app.jar
      USER 10001:10001
      HEALTHCHECK CMD ["java", "-jar", "/opt/gpukit/gpukit-probe.jar"]
      ENTRYPOINT ["java", "-jar", "/app/app.jar"]
      """;

  /** {@link #CLEAN} with an unpinned build image: one dockerfile/base-image-pinned error at 1:1. */
  static final String UNPINNED = CLEAN.replace("FROM maven:3.9.11-eclipse-temurin-17 AS build", "FROM maven AS build");

  /** {@link #CLEAN} with a named user: one dockerfile/numeric-user warning at 7:1. */
  static final String NAMED_USER = CLEAN.replace("USER 10001:10001", "USER app");

  static final ObjectMapper JSON = new ObjectMapper();

  /** What one run printed and returned. */
  record Run(int exitCode, String out, String err) {
    JsonNode json() throws IOException {
      return JSON.readTree(out);
    }

    List<String> ruleIds() throws IOException {
      List<String> ids = new ArrayList<>();
      json().get("violations").forEach(v -> ids.add(v.get("ruleId").asText()));
      return ids;
    }

    List<String> files() throws IOException {
      List<String> files = new ArrayList<>();
      json().get("violations").forEach(v -> files.add(v.get("file").asText()));
      return files;
    }
  }

  static Run gpukit(Object... args) {
    String[] strings = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      strings[i] = args[i].toString();
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GpuKitCommand.execute(new PrintWriter(out), new PrintWriter(err), strings);
    Run run = new Run(code, out.toString(), err.toString());
    assertThat(run.err()).as("stderr of gpukit %s", List.of(strings))
        .doesNotContain("\tat ")
        .doesNotContain("Exception in thread")
        .doesNotContain("internal error");
    return run;
  }

  static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** The usage error contract: exit 2, nothing on stdout, one line on stderr (and at most a "Try" line). */
  static void assertUsageError(Run run, String expectedMessagePart) {
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    List<String> lines = run.err().lines().toList();
    assertThat(lines).isNotEmpty().hasSizeLessThanOrEqualTo(2);
    assertThat(lines.get(0)).startsWith("gpukit: ").contains(expectedMessagePart);
    if (lines.size() == 2) {
      assertThat(lines.get(1)).startsWith("Try '").endsWith("--help' for more information.");
    }
  }

  /** The path as a relative path from the working directory, as a user would type it. */
  static Path relative(Path path) {
    return Path.of("").toAbsolutePath().relativize(path.toAbsolutePath());
  }

  static Element parseXml(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    return document.getDocumentElement();
  }

  @Nested
  class Exit_codes {

    @Test
    void a_clean_repository_exits_0_with_no_violations(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).startsWith("No violations. 1 file checked: 0 errors, 0 warnings, 0 info");
      assertThat(run.err()).isEmpty();
    }

    @Test
    void an_error_exits_1_and_prints_it_located(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out())
          .contains(repo.resolve("Dockerfile") + ":1:1: error: base image 'maven' has no tag")
          .contains("[dockerfile/base-image-pinned]")
          .contains("  hint: ")
          .endsWith("1 file checked: 1 error, 0 warnings, 0 info\n");
    }

    @Test
    void a_warning_does_not_fail_by_default(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), NAMED_USER);

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).contains(":7:1: warning: ").contains("[dockerfile/numeric-user]");
    }

    @Test
    void a_parse_error_is_a_finding(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), "FROM ubuntu:24.04\nRUN <<EOF\necho never closed\n");

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      JsonNode v = run.json().get("violations").get(0);
      assertThat(v.get("ruleId").asText()).isEqualTo("gpukit/parse-error");
      assertThat(v.get("line").asInt()).isEqualTo(2);
      assertThat(v.get("column").asInt()).isEqualTo(5);
    }
  }

  @Nested
  class Fail_on {

    @Test
    void warning_fails_on_a_warning(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), NAMED_USER);

      // when
      Run run = gpukit("check", "--fail-on", "warning", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void never_passes_with_errors(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);

      // when
      Run run = gpukit("check", "--fail-on", "never", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).contains("[dockerfile/base-image-pinned]");
    }

    @Test
    void error_passes_with_warnings_only(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), NAMED_USER);

      // when
      Run run = gpukit("check", "--fail-on", "ERROR", repo);

      // then
      assertThat(run.exitCode()).isZero();
    }

    @Test
    void info_fails_on_an_info(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), NAMED_USER);
      write(repo.resolve("gpukit.yaml"), "severity:\n  dockerfile/numeric-user: info\n");

      // when
      Run atInfo = gpukit("check", "--fail-on", "info", repo);
      Run atWarning = gpukit("check", "--fail-on", "warning", repo);

      // then
      assertThat(atInfo.exitCode()).isEqualTo(1);
      assertThat(atInfo.out()).contains(":7:1: info: ");
      assertThat(atWarning.exitCode()).isZero();
    }

    @Test
    void the_option_overrides_the_configuration(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);
      write(repo.resolve("gpukit.yaml"), "fail-on: never\n");

      // when
      Run fromConfig = gpukit("check", repo);
      Run fromOption = gpukit("check", "--fail-on", "error", repo);

      // then
      assertThat(fromConfig.exitCode()).isZero();
      assertThat(fromOption.exitCode()).isEqualTo(1);
    }

    @Test
    void an_unknown_level_is_a_usage_error() {
      // when
      Run run = gpukit("check", "--fail-on", "fatal", ".");

      // then
      assertUsageError(run, "--fail-on");
    }
  }

  @Nested
  class Formats {

    @Test
    void json_has_the_documented_shape(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);
      write(repo.resolve("api.Dockerfile"), NAMED_USER);

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).isEmpty();
      JsonNode json = run.json();
      assertThat(json.get("files").asInt()).isEqualTo(2);
      assertThat(json.get("violations")).hasSize(2);
      JsonNode error = json.get("violations").get(0);
      assertThat(error.get("ruleId").asText()).isEqualTo("dockerfile/base-image-pinned");
      assertThat(error.get("severity").asText()).isEqualTo("error");
      assertThat(error.get("file").asText()).isEqualTo(repo + "/Dockerfile");
      assertThat(error.get("line").asInt()).isEqualTo(1);
      assertThat(error.get("column").asInt()).isEqualTo(1);
      assertThat(error.get("message").asText()).contains("'maven'");
      assertThat(error.get("hint").asText()).isNotEmpty();
      JsonNode warning = json.get("violations").get(1);
      assertThat(warning.get("severity").asText()).isEqualTo("warning");
      assertThat(warning.get("file").asText()).isEqualTo(repo + "/api.Dockerfile");
      assertThat(warning.get("line").asInt()).isEqualTo(7);
      assertThat(json.get("summary").get("error").asInt()).isEqualTo(1);
      assertThat(json.get("summary").get("warning").asInt()).isEqualTo(1);
      assertThat(json.get("summary").get("info").asInt()).isZero();
    }

    @Test
    void sarif_is_version_2_1_0_with_results(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);

      // when
      Run run = gpukit("check", "--format", "sarif", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      JsonNode sarif = run.json();
      assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
      JsonNode results = sarif.get("runs").get(0).get("results");
      assertThat(results).hasSize(1);
      assertThat(results.get(0).get("ruleId").asText()).isEqualTo("dockerfile/base-image-pinned");
      assertThat(results.get(0).get("level").asText()).isEqualTo("error");
      JsonNode region = results.get(0).get("locations").get(0).get("physicalLocation").get("region");
      assertThat(region.get("startLine").asInt()).isEqualTo(1);
    }

    @Test
    void junit_is_xml_with_a_failure_per_violation(@TempDir Path repo) throws Exception {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);

      // when
      Run run = gpukit("check", "--format", "junit", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      Element root = parseXml(run.out());
      assertThat(root.getTagName()).isEqualTo("testsuites");
      assertThat(root.getAttribute("failures")).isEqualTo("1");
      assertThat(root.getElementsByTagName("failure").getLength()).isEqualTo(1);
    }

    @Test
    void text_on_a_clean_repository_says_so(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);

      // when
      Run run = gpukit("check", "--format", "text", repo);

      // then
      assertThat(run.out()).isEqualTo("No violations. 1 file checked: 0 errors, 0 warnings, 0 info\n");
    }

    @Test
    void format_names_ignore_case(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);

      // when
      Run run = gpukit("check", "--format", "JSON", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.json().get("files").asInt()).isEqualTo(1);
    }

    @Test
    void an_unknown_format_is_a_usage_error(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);

      // when
      Run run = gpukit("check", "--format", "xml", repo);

      // then
      assertUsageError(run, "--format");
      assertThat(run.err()).contains("'xml'");
    }
  }

  @Nested
  class Output {

    @ParameterizedTest
    @ValueSource(strings = {"json", "sarif", "junit", "text"})
    void writes_the_report_to_the_file_and_only_the_summary_to_stderr(String format, @TempDir Path repo)
        throws Exception {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);
      Path report = repo.resolve("reports/nested/gpukit." + format);

      // when
      Run run = gpukit("check", "--format", format, "--output", report, repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).isEqualTo("1 file checked: 1 error, 0 warnings, 0 info\n");
      String written = Files.readString(report);
      switch (format) {
        case "json" -> assertThat(JSON.readTree(written).get("violations")).hasSize(1);
        case "sarif" -> assertThat(JSON.readTree(written).get("version").asText()).isEqualTo("2.1.0");
        case "junit" -> assertThat(parseXml(written).getAttribute("failures")).isEqualTo("1");
        default -> assertThat(written).contains("[dockerfile/base-image-pinned]");
      }
    }

    @Test
    void the_report_is_not_among_the_checked_files(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);

      // when
      gpukit("check", "--output", repo.resolve("Dockerfile.json"), repo);
      Run second = gpukit("check", "--format", "json", repo);

      // then
      assertThat(second.json().get("files").asInt()).isEqualTo(1);
    }

    @Test
    void a_folder_as_output_is_a_usage_error_not_a_crash(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);

      // when
      Run run = gpukit("check", "--output", repo, repo);

      // then
      assertUsageError(run, "cannot write the report to " + repo);
    }
  }

  @Nested
  class Configuration {

    @Test
    void gpukit_yaml_in_the_checked_folder_overrides_a_severity(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), NAMED_USER);
      write(repo.resolve("gpukit.yaml"), "severity:\n  dockerfile/numeric-user: error\n");

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.json().get("violations").get(0).get("severity").asText()).isEqualTo("error");
    }

    @Test
    void a_severity_can_turn_a_rule_off(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);
      write(repo.resolve("gpukit.yaml"), "severity:\n  dockerfile/base-image-pinned: off\n");

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).startsWith("No violations.");
    }

    @Test
    void an_ignore_applies_only_to_paths_matching_its_glob(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("legacy/Dockerfile"), UNPINNED);
      write(repo.resolve("services/api/Dockerfile"), UNPINNED);
      write(
          repo.resolve("gpukit.yaml"),
          """
          ignore:
            - rule: dockerfile/base-image-pinned
              paths: ["legacy/**"]
              reason: rebuilt by the platform team
          """);

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.files()).containsExactly(repo + "/services/api/Dockerfile");
      assertThat(run.json().get("suppressed").asInt()).isEqualTo(1);
    }

    @Test
    void fail_on_comes_from_the_configuration(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), NAMED_USER);
      write(repo.resolve("gpukit.yaml"), "fail-on: warning\n");

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void an_explicit_config_file_is_used(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);
      Path config = write(repo.resolve("ci/strict.yaml"), "severity:\n  dockerfile/base-image-pinned: warning\n");

      // when
      Run run = gpukit("check", "--config", config, repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).contains(":1:1: warning: ");
    }

    @Test
    void a_missing_config_file_is_a_usage_error(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);

      // when
      Run run = gpukit("check", "--config", repo.resolve("nope.yaml"), repo);

      // then
      assertUsageError(run, "configuration file " + repo.resolve("nope.yaml") + " does not exist");
    }

    @Test
    void an_unknown_key_is_a_located_usage_error(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);
      write(repo.resolve("gpukit.yaml"), "fail-on: error\nfial-on: warning\n");

      // when
      Run run = gpukit("check", repo);

      // then
      assertUsageError(run, "gpukit.yaml:2:1: unknown key 'fial-on'");
    }

    @Test
    void an_empty_path_glob_is_a_usage_error_naming_the_file(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);
      write(repo.resolve("gpukit.yaml"), "ignore:\n  - rule: '*'\n    paths: ['']\n    reason: r\n");

      // when
      Run run = gpukit("check", repo);

      // then
      assertUsageError(run, "gpukit.yaml");
      assertThat(run.err()).contains("glob");
    }
  }

  @Nested
  class Inline_ignores {

    @Test
    void an_ignore_with_a_reason_on_the_line_above_silences_the_rule(@TempDir Path repo) throws IOException {
      // given
      write(
          repo.resolve("Dockerfile"),
          "# gpukit:ignore dockerfile/base-image-pinned -- mirrored internally\n" + UNPINNED);

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.json().get("violations")).isEmpty();
      assertThat(run.json().get("suppressed").asInt()).isEqualTo(1);
    }

    @Test
    void an_ignore_without_a_reason_is_itself_a_warning(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), "# gpukit:ignore dockerfile/base-image-pinned\n" + UNPINNED);

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.ruleIds()).containsExactly("gpukit/ignore-without-reason");
    }

    @Test
    void an_ignore_of_another_rule_silences_nothing(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), "# gpukit:ignore dockerfile/multi-stage -- not this one\n" + UNPINNED);

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.ruleIds()).containsExactly("dockerfile/base-image-pinned");
    }
  }

  @Nested
  class Baselines {

    @Test
    void writing_a_baseline_then_checking_with_it_passes(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);
      Path baseline = repo.resolve("gpukit-baseline.txt");

      // when
      Run written = gpukit("check", "--write-baseline", baseline, repo);
      Run checked = gpukit("check", "--baseline", baseline, "--format", "json", repo);

      // then
      assertThat(written.exitCode()).isZero();
      assertThat(written.err()).contains("wrote 1 violations to baseline " + baseline);
      assertThat(Files.readAllLines(baseline))
          .as("paths relative to the baseline's folder")
          .containsExactly("Dockerfile:1:1: error: base image 'maven' has no tag (it means 'latest')"
              + " [dockerfile/base-image-pinned]");
      assertThat(checked.exitCode()).isZero();
      assertThat(checked.json().get("violations")).isEmpty();
      assertThat(checked.json().get("baselined").asInt()).isEqualTo(1);
    }

    @Test
    void only_a_new_violation_fails(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);
      Path baseline = repo.resolve("gpukit-baseline.txt");
      gpukit("check", "--write-baseline", baseline, repo);
      write(repo.resolve("Dockerfile"), UNPINNED.replace("USER 10001:10001", "USER app"));

      // when
      Run run = gpukit("check", "--baseline", baseline, "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.ruleIds()).containsExactly("dockerfile/numeric-user");

      // and a new error fails
      write(repo.resolve("worker.Dockerfile"), UNPINNED);
      Run withError = gpukit("check", "--baseline", baseline, "--format", "json", repo);
      assertThat(withError.exitCode()).isEqualTo(1);
      assertThat(withError.files()).containsExactly(repo + "/Dockerfile", repo + "/worker.Dockerfile");
      assertThat(withError.ruleIds()).containsExactly("dockerfile/numeric-user", "dockerfile/base-image-pinned");
    }

    @Test
    void moved_lines_stay_baselined(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);
      Path baseline = repo.resolve("gpukit-baseline.txt");
      gpukit("check", "--write-baseline", baseline, repo);
      write(repo.resolve("Dockerfile"), "# syntax=docker/dockerfile:1\n# a comment\n\n" + UNPINNED);

      // when
      Run run = gpukit("check", "--baseline", baseline, "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.json().get("baselined").asInt()).isEqualTo(1);
    }

    @Test
    void a_check_never_writes_a_baseline(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);

      // when
      gpukit("check", repo);

      // then
      try (var files = Files.list(repo)) {
        assertThat(files).containsExactly(repo.resolve("Dockerfile"));
      }
    }

    @Test
    void a_missing_baseline_is_a_usage_error_telling_how_to_create_it(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);
      Path baseline = repo.resolve("gpukit-baseline.txt");

      // when
      Run run = gpukit("check", "--baseline", baseline, repo);

      // then
      assertUsageError(run, "--write-baseline " + baseline);
      assertThat(Files.exists(baseline)).isFalse();
    }

    @Test
    void the_baseline_named_in_the_configuration_is_used(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);
      write(repo.resolve("gpukit.yaml"), "baseline: gpukit-baseline.txt\n");
      gpukit("check", "--write-baseline", repo.resolve("gpukit-baseline.txt"), repo);

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).contains("(1 in baseline)");
    }

    @Test
    void a_malformed_baseline_is_a_located_usage_error(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);
      Path baseline = write(repo.resolve("gpukit-baseline.txt"), "# known\nnot a violation\n");

      // when
      Run run = gpukit("check", "--baseline", baseline, repo);

      // then
      assertUsageError(run, "gpukit-baseline.txt:2:1: not a rendered violation");
    }

    @Test
    void a_baseline_with_a_line_break_in_a_message_reads_back(@TempDir Path repo) throws IOException {
      // given: exec-form JSON decodes \n into a real line break, which the message quotes
      write(repo.resolve("Dockerfile"), CLEAN.replace(
          "HEALTHCHECK CMD [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\"]",
          "HEALTHCHECK CMD [\"nvidia-smi\\nfoo\"]"));
      Path baseline = repo.resolve("gpukit-baseline.txt");
      gpukit("check", "--write-baseline", baseline, repo);

      // when
      Run run = gpukit("check", "--baseline", baseline, repo);

      // then
      assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void a_folder_as_baseline_to_write_is_a_usage_error(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);

      // when
      Run run = gpukit("check", "--write-baseline", repo, repo);

      // then
      assertUsageError(run, "cannot write baseline " + repo);
    }
  }

  @Nested
  class Discovery {

    @Test
    void the_walk_finds_every_dockerfile_name(@TempDir Path repo) throws IOException {
      // given
      for (String name : List.of("Dockerfile", "Dockerfile.dev", "api.Dockerfile", "Containerfile", "svc/Dockerfile")) {
        write(repo.resolve(name), CLEAN);
      }

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.json().get("files").asInt()).isEqualTo(5);
    }

    @Test
    void the_walk_skips_sources_and_docs_named_like_dockerfiles(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);
      write(repo.resolve("Dockerfile.java"), "package x;\nclass Dockerfile {}\n");
      write(repo.resolve("Dockerfile.md"), "# Dockerfile\nFROM is the first instruction.\n");
      write(repo.resolve("docs/Dockerfile.html"), "<html><body>FROM</body></html>\n");
      write(repo.resolve("src/Dockerfile.kt"), "package x\n");
      write(repo.resolve("Dockerfile.tmpl"), "FROM {{ .Image }}\n");

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.json().get("files").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"target", ".git", "node_modules"})
    void the_walk_skips_build_output_and_metadata(String folder, @TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);
      write(repo.resolve(folder + "/Dockerfile"), UNPINNED);
      write(repo.resolve("sub/" + folder + "/Dockerfile"), UNPINNED);

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.json().get("files").asInt()).isEqualTo(1);
    }

    @Test
    void a_skipped_folder_named_on_the_command_line_is_checked(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("target/Dockerfile"), UNPINNED);

      // when
      Run run = gpukit("check", "--format", "json", repo.resolve("target"));

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.files()).containsExactly(repo + "/target/Dockerfile");
    }

    @Test
    void a_named_file_whose_first_instruction_is_from_is_a_dockerfile(@TempDir Path repo) throws IOException {
      // given
      Path file = write(repo.resolve("service.txt"), "# syntax=docker/dockerfile:1\n\n" + UNPINNED);

      // when
      Run run = gpukit("check", "--format", "json", file);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.files()).containsExactly(file.toString());
      assertThat(run.ruleIds()).containsExactly("dockerfile/base-image-pinned");
    }

    @Test
    void a_named_dockerfile_java_with_dockerfile_content_is_checked(@TempDir Path repo) throws IOException {
      // given
      Path file = write(repo.resolve("Dockerfile.java"), CLEAN);

      // when
      Run run = gpukit("check", "--format", "json", file);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.json().get("files").asInt()).isEqualTo(1);
    }

    @Test
    void a_named_file_of_unknown_kind_is_a_finding_naming_it(@TempDir Path repo) throws IOException {
      // given
      Path file = write(repo.resolve("notes.txt"), "just some notes\nFROM is not first here\n");

      // when
      Run run = gpukit("check", file);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).contains(file + ":1:1: error: gpukit cannot tell what kind of file this is")
          .contains("[gpukit/unknown-file-kind]");
    }

    @Test
    void a_missing_path_is_a_usage_error_naming_it(@TempDir Path repo) {
      // when
      Run run = gpukit("check", repo.resolve("nope"));

      // then
      assertUsageError(run, "no such file or folder: " + repo.resolve("nope"));
    }

    @Test
    void a_folder_with_nothing_to_check_fails_with_its_summary(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("README.md"), "nothing here\n");

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).contains(repo + ":1:1: error: nothing to check in " + repo.toAbsolutePath().normalize())
          .contains("[gpukit/nothing-to-check]")
          .endsWith("0 files checked: 1 error, 0 warnings, 0 info" + System.lineSeparator());
    }

    @Test
    void a_symbolic_link_to_a_dockerfile_is_found(@TempDir Path repo) throws IOException {
      // given
      Path target = write(repo.resolve("common/base.txt"), UNPINNED);
      try {
        Files.createSymbolicLink(repo.resolve("Dockerfile"), target);
      } catch (UnsupportedOperationException | IOException e) {
        org.junit.jupiter.api.Assumptions.abort("symbolic links are not supported here");
      }

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.files()).containsExactly(repo + "/Dockerfile");
    }

    @Test
    void a_file_named_twice_is_checked_once(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), UNPINNED);

      // when
      Run run = gpukit("check", "--format", "json", repo, repo.resolve("Dockerfile"), repo.resolve("./Dockerfile"));

      // then
      assertThat(run.json().get("files").asInt()).isEqualTo(1);
      assertThat(run.ruleIds()).hasSize(1);
    }
  }

  @Nested
  class Paths_as_given {

    @Test
    void a_relative_folder_prefixes_the_reported_path(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("svc/Dockerfile"), UNPINNED);
      Path given = relative(repo);

      // when
      Run run = gpukit("check", "--format", "json", given);

      // then
      assertThat(run.files()).containsExactly(given + "/svc/Dockerfile");
    }

    @Test
    void a_trailing_slash_and_dot_segments_are_tidied(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("svc/Dockerfile"), UNPINNED);
      Path given = relative(repo);

      // when
      Run run = gpukit("check", "--format", "json", "./" + given + "/svc/../");

      // then
      assertThat(run.files()).containsExactly(given + "/svc/Dockerfile");
    }

    @Test
    void text_reports_are_clickable_file_line_col(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("svc/api.Dockerfile"), UNPINNED);
      Path given = relative(repo);

      // when
      Run run = gpukit("check", given);

      // then
      assertThat(run.out()).startsWith(given + "/svc/api.Dockerfile:1:1: error: ");
    }
  }

  @Nested
  class Determinism {

    @Test
    void two_runs_print_the_same_report(@TempDir Path repo) throws IOException {
      // given
      for (String name : List.of("b/Dockerfile", "a/Dockerfile", "z.Dockerfile", "Containerfile", "a/b/c/Dockerfile.gpu")) {
        write(repo.resolve(name), UNPINNED.replace("USER 10001:10001", "USER app"));
      }

      // when
      List<Run> runs = new ArrayList<>();
      for (String format : List.of("text", "json", "sarif", "junit", "text", "json", "sarif", "junit")) {
        runs.add(gpukit("check", "--format", format, repo));
      }

      // then
      for (int i = 0; i < 4; i++) {
        assertThat(runs.get(i + 4).out()).isEqualTo(runs.get(i).out());
      }
      assertThat(runs.get(1).files()).containsExactly(
          repo + "/Containerfile", repo + "/Containerfile",
          repo + "/a/Dockerfile", repo + "/a/Dockerfile",
          repo + "/a/b/c/Dockerfile.gpu", repo + "/a/b/c/Dockerfile.gpu",
          repo + "/b/Dockerfile", repo + "/b/Dockerfile",
          repo + "/z.Dockerfile", repo + "/z.Dockerfile");
    }

    @Test
    void two_baselines_of_the_same_repository_are_identical(@TempDir Path repo) throws IOException {
      // given
      for (String name : List.of("b/Dockerfile", "a/Dockerfile", "c.Dockerfile")) {
        write(repo.resolve(name), UNPINNED.replace("USER 10001:10001", "USER app"));
      }

      // when
      gpukit("check", "--write-baseline", repo.resolve("one.txt"), repo);
      gpukit("check", "--write-baseline", repo.resolve("two.txt"), repo);

      // then
      assertThat(Files.readString(repo.resolve("two.txt"))).isEqualTo(Files.readString(repo.resolve("one.txt")));
    }
  }

  @Nested
  class Usage_errors {

    @Test
    void an_unknown_option() {
      // when
      Run run = gpukit("check", "--frobnicate");

      // then
      assertUsageError(run, "Unknown option: '--frobnicate'");
    }

    @Test
    void an_unknown_command() {
      // when
      Run run = gpukit("lint");

      // then
      assertUsageError(run, "'lint'");
    }

    @Test
    void no_command() {
      // when
      Run run = gpukit();

      // then
      assertUsageError(run, "a command is required");
    }

    @Test
    void an_option_without_its_value() {
      // when
      Run run = gpukit("check", "--output");

      // then
      assertUsageError(run, "--output");
    }

    @Test
    void help_and_version_exit_0() {
      // when
      Run help = gpukit("check", "--help");
      Run version = gpukit("--version");

      // then
      assertThat(help.exitCode()).isZero();
      assertThat(help.out()).contains("--format", "--output", "--config", "--baseline", "--write-baseline", "--fail-on");
      assertThat(version.exitCode()).isZero();
      assertThat(version.out()).startsWith("gpukit ");
    }

    @Test
    void messages_are_made_one_line() {
      assertThat(GpuKitCommand.oneLine("a\n  b\r\nc\u001b[31m")).isEqualTo("a b c\\u001B[31m");
    }
  }

  @Nested
  class Parse {

    @Test
    void prints_the_model_as_json(@TempDir Path repo) throws IOException {
      // given
      Path file = write(repo.resolve("Dockerfile"), CLEAN);

      // when
      Run run = gpukit("parse", "dockerfile", file, "--format", "json");

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.err()).isEmpty();
      JsonNode model = run.json();
      assertThat(model.toString()).contains("maven:3.9.11-eclipse-temurin-17", "HEALTHCHECK", "ENTRYPOINT");
    }

    @Test
    void json_is_the_default_and_text_lists_instructions(@TempDir Path repo) throws IOException {
      // given
      Path file = write(repo.resolve("Dockerfile"), CLEAN);

      // when
      Run json = gpukit("parse", "dockerfile", file);
      Run text = gpukit("parse", "dockerfile", file, "--format", "text");

      // then
      assertThat(json.exitCode()).isZero();
      assertThat(JSON.readTree(json.out())).isNotNull();
      assertThat(text.exitCode()).isZero();
      assertThat(text.out().lines()).hasSize(8).first().asString().startsWith("1-1 FROM ");
    }

    @Test
    void unparseable_input_exits_1_with_a_located_message(@TempDir Path repo) throws IOException {
      // given
      Path file = write(repo.resolve("Dockerfile"), "FROM ubuntu:24.04\nRUN <<EOF\necho never closed\n");

      // when
      Run run = gpukit("parse", "dockerfile", file);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      assertThat(run.err().lines()).containsExactly(file + ":2:5: unterminated heredoc");
    }

    @Test
    void a_missing_file_is_a_usage_error(@TempDir Path repo) {
      // when
      Run run = gpukit("parse", "dockerfile", repo.resolve("nope"));

      // then
      assertUsageError(run, "no such file: " + repo.resolve("nope"));
    }

    @Test
    void a_folder_is_a_usage_error(@TempDir Path repo) {
      // when
      Run run = gpukit("parse", "dockerfile", repo);

      // then
      assertUsageError(run, repo + " is a folder");
    }

    @Test
    void an_unknown_kind_is_a_usage_error(@TempDir Path repo) throws IOException {
      // given
      Path file = write(repo.resolve("Dockerfile"), CLEAN);

      // when
      Run run = gpukit("parse", "helm", file);

      // then
      assertUsageError(run, "'helm'");
    }
  }

  @Nested
  class Rules_and_explain {

    @Test
    void rules_prints_one_line_per_rule_with_id_severity_and_description() {
      // when
      Run run = gpukit("rules");

      // then
      assertThat(run.exitCode()).isZero();
      List<String> lines = run.out().lines().toList();
      assertThat(lines).hasSizeGreaterThan(10);
      assertThat(lines).allSatisfy(l -> assertThat(l).matches("[a-z][a-z0-9]*/[a-z0-9-]+ +(error|warning|info) +\\S.*"));
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("dockerfile/base-image-pinned "));
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("gpukit/parse-error "));
      assertThat(lines).isSorted();
    }

    @Test
    void explain_prints_the_rationale_and_a_failing_and_fixed_snippet() {
      // when
      Run run = gpukit("explain", "dockerfile/multi-stage");

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out())
          .startsWith("dockerfile/multi-stage (error)\n")
          .contains("Why: ", "Fails:\n    FROM ", "Fixed:\n    FROM ", "# gpukit:ignore dockerfile/multi-stage -- ");
    }

    @Test
    void every_listed_rule_can_be_explained() {
      // given
      List<String> ids = gpukit("rules").out().lines().map(l -> l.split(" ")[0]).toList();

      // when / then
      for (String id : ids) {
        Run run = gpukit("explain", id);
        assertThat(run.exitCode()).as(id).isZero();
        assertThat(run.out()).as(id).startsWith(id + " (");
      }
    }

    @Test
    void an_unknown_rule_exits_2_with_a_suggestion() {
      // when
      Run run = gpukit("explain", "dockerfile/non-root");

      // then
      assertUsageError(run, "unknown rule 'dockerfile/non-root'");
      assertThat(run.err()).contains("did you mean 'dockerfile/");
    }
  }

  @Nested
  class Hostile_input {

    @Test
    void an_empty_dockerfile_is_a_parse_error_at_1_1(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), "");

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      JsonNode v = run.json().get("violations").get(0);
      assertThat(v.get("ruleId").asText()).isEqualTo("gpukit/parse-error");
      assertThat(v.get("file").asText() + ":" + v.get("line") + ":" + v.get("column"))
          .isEqualTo(repo + "/Dockerfile:1:1");
    }

    @Test
    void binary_garbage_is_a_located_parse_error(@TempDir Path repo) throws IOException {
      // given
      byte[] garbage = new byte[4096];
      new java.util.Random(42).nextBytes(garbage);
      garbage[100] = 0;
      Files.write(repo.resolve("Dockerfile"), garbage);

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      JsonNode v = run.json().get("violations").get(0);
      assertThat(v.get("ruleId").asText()).isEqualTo("gpukit/parse-error");
      assertThat(v.get("line").asInt()).isPositive();
      assertThat(v.get("message").asText()).containsAnyOf("NUL", "UTF-8");
    }

    @Test
    void invalid_utf8_is_located_where_it_starts(@TempDir Path repo) throws IOException {
      // given
      byte[] text = "FROM ubuntu:24.04\nRUN echo \u00ff\n".getBytes(StandardCharsets.ISO_8859_1);
      Files.write(repo.resolve("Dockerfile"), text);

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).contains("Dockerfile:2:10: error: not valid UTF-8 text [gpukit/parse-error]");
    }

    @Test
    void a_50_mb_dockerfile_is_refused_with_a_size_message(@TempDir Path repo) throws IOException {
      // given
      Path file = repo.resolve("Dockerfile");
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        w.write("FROM ubuntu:24.04\n");
        String line = "RUN echo " + "x".repeat(90) + "\n";
        for (long written = 0; written < 50L * 1024 * 1024; written += line.length()) {
          w.write(line);
        }
      }

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      JsonNode v = run.json().get("violations").get(0);
      assertThat(v.get("ruleId").asText()).isEqualTo("gpukit/parse-error");
      assertThat(v.get("message").asText()).contains("larger than the limit of 10485760 bytes");
    }

    @Test
    void a_50_mb_file_named_on_the_command_line_is_refused_without_running_out_of_memory(@TempDir Path repo)
        throws IOException {
      // given
      Path file = repo.resolve("service.txt");
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        String line = "FROM ubuntu:24.04 " + "x".repeat(80) + "\n";
        for (long written = 0; written < 50L * 1024 * 1024; written += line.length()) {
          w.write(line);
        }
      }

      // when
      Run run = gpukit("check", "--format", "json", file);

      // then: its first MiB says Dockerfile, so it is reported as one gpukit did not read
      assertThat(run.exitCode()).isEqualTo(1);
      JsonNode v = run.json().get("violations").get(0);
      assertThat(v.get("ruleId").asText()).isEqualTo("gpukit/parse-error");
      assertThat(v.get("message").asText()).contains("larger than the limit of 10485760 bytes");
    }

    @Test
    void an_unterminated_heredoc_is_located_at_the_opener(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), "FROM ubuntu:24.04 AS build\nRUN   <<EOT bash\n  echo hi\n");

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).contains("Dockerfile:2:7: error: unterminated heredoc [gpukit/parse-error]");
    }

    @Test
    void a_20000_line_continuation_ends(@TempDir Path repo) throws IOException {
      // given
      StringBuilder sb = new StringBuilder("FROM ubuntu:24.04\nRUN echo \\\n");
      for (int i = 0; i < 20_000; i++) {
        sb.append("  arg").append(i).append(" \\\n");
      }
      sb.append("  end\n").append("CMD [\"/app/server\"]\n"); // a service, so the image's own rules judge it
      write(repo.resolve("Dockerfile"), sb.toString());

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.json().get("violations")).isNotEmpty();
    }

    @Test
    void a_continuation_that_never_ends_ends(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), "FROM ubuntu:24.04\nRUN echo \\\n" + "  more \\\n".repeat(20_000));

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isIn(0, 1);
    }

    @Test
    void a_malformed_gpukit_yaml_is_a_located_usage_error(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);
      write(repo.resolve("gpukit.yaml"), "fail-on: error\nignore:\n  - rule: [unclosed\n");

      // when
      Run run = gpukit("check", repo);

      // then
      assertUsageError(run, "gpukit.yaml:");
      assertThat(run.err()).containsPattern("gpukit\\.yaml:\\d+:\\d+: invalid YAML");
    }

    @Test
    void a_yaml_bomb_in_gpukit_yaml_is_a_located_usage_error(@TempDir Path repo) throws IOException {
      // given
      StringBuilder bomb = new StringBuilder("ignore:\n  - rule: '*'\n    reason: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
      for (int i = 1; i <= 12; i++) {
        bomb.append("  - rule: &a").append(i).append(" [");
        for (int j = 0; j < 9; j++) {
          bomb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
        }
        bomb.append("]\n");
      }
      write(repo.resolve("Dockerfile"), CLEAN);
      write(repo.resolve("gpukit.yaml"), bomb.toString());

      // when
      Run run = gpukit("check", repo);

      // then
      assertUsageError(run, "gpukit.yaml:");
      assertThat(run.err()).containsPattern("gpukit\\.yaml:\\d+:\\d+: ");
    }

    @Test
    void a_small_yaml_bomb_under_the_alias_limit_is_rejected_by_shape_at_the_anchor(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);
      write(
          repo.resolve("gpukit.yaml"),
          "gpu:\n  runner-labels: &a [x, x, x]\n  probe-commands: [*a, *a, *a]\n");

      // when
      Run run = gpukit("check", repo);

      // then
      assertUsageError(run, "gpukit.yaml:2:18: gpu.probe-commands item should be a single value");
    }
  }

  @Nested
  class Unknown_rule_ids_in_the_configuration {

    @Test
    void are_warnings_located_in_gpukit_yaml_with_a_suggestion(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);
      write(repo.resolve("gpukit.yaml"), "severity:\n  dockerfile/final-stage-nonroot: warning\n");

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out())
          .contains(repo.resolve("gpukit.yaml") + ":2:3: warning: 'dockerfile/final-stage-nonroot' names no gpukit"
              + " rule (did you mean 'dockerfile/final-stage-non-root'?) [gpukit/unknown-rule]");
    }

    @Test
    void fail_a_check_that_fails_on_warnings(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);
      write(repo.resolve("gpukit.yaml"), "ignore:\n  - rule: no/such-rule\n    reason: typo\n");

      // when
      Run run = gpukit("check", "--fail-on", "warning", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).contains("'no/such-rule' names no gpukit rule [gpukit/unknown-rule]");
    }
  }
}

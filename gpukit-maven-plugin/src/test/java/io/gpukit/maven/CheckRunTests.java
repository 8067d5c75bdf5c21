package io.gpukit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.policy.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckRunTests {

  /** A final stage without USER (an error) whose HEALTHCHECK uses the shell form (a warning). */
  static final String ROOT_DOCKERFILE =
      """
      FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04
      COPY target/infer.jar /opt/infer/infer.jar
      HEALTHCHECK CMD java -jar /opt/gpukit/gpukit-probe.jar
      ENTRYPOINT ["java", "-jar", "/opt/infer/infer.jar"]
      """;

  @TempDir Path repo;

  Path service() throws IOException {
    Path service = Files.createDirectories(repo.resolve("service"));
    Files.writeString(service.resolve("Dockerfile"), ROOT_DOCKERFILE);
    return service;
  }

  CheckRun run(Path directory) {
    return new CheckRun(directory, repo, Optional.empty(), Optional.empty(), Optional.empty());
  }

  static String rules(CheckRun.Outcome outcome) {
    return String.join(",", outcome.report().violations().stream().map(Violation::ruleId).sorted().toList());
  }

  @Nested
  class Checking {

    @Test
    void checks_the_folder_as_the_cli_does_and_fails_on_errors_by_default() throws IOException {
      // when
      CheckRun.Outcome outcome = run(service()).check();

      // then
      assertThat(rules(outcome)).isEqualTo("dockerfile/exec-form,dockerfile/final-stage-non-root");
      assertThat(outcome.failOn()).isEqualTo(FailOn.ERROR);
      assertThat(outcome.fails()).isTrue();
    }

    @Test
    void the_poms_fail_on_wins_over_the_configuration() throws IOException {
      // given
      Path service = service();
      Files.writeString(service.resolve("gpukit.yaml"), "fail-on: warning\n");

      // when
      CheckRun.Outcome outcome =
          new CheckRun(service, repo, Optional.empty(), Optional.empty(), Optional.of(FailOn.NONE)).check();

      // then
      assertThat(outcome.failOn()).isEqualTo(FailOn.NONE);
      assertThat(outcome.fails()).isFalse();
    }

    @Test
    void a_missing_folder_is_a_usage_error() {
      assertThatThrownBy(() -> run(repo.resolve("nope")).check())
          .isInstanceOf(CheckRun.UsageException.class)
          .hasMessageEndingWith("nope does not exist or is not a folder");
    }
  }

  @Nested
  class Configuration {

    @Test
    void the_folders_own_gpukit_yaml_comes_before_the_outer_folders() throws IOException {
      // given
      Path service = service();
      Files.writeString(repo.resolve("gpukit.yaml"), "fail-on: never\n");
      Files.writeString(service.resolve("gpukit.yaml"), "fail-on: warning\n");

      // then
      assertThat(run(service).check().failOn()).isEqualTo(FailOn.WARNING);
    }

    @Test
    void the_outer_folders_gpukit_yaml_is_used_when_the_folder_has_none() throws IOException {
      // given
      Path service = service();
      Files.writeString(repo.resolve("gpukit.yaml"), "severity:\n  dockerfile/exec-form: off\n");

      // then
      assertThat(rules(run(service).check())).isEqualTo("dockerfile/final-stage-non-root");
    }

    @Test
    void a_named_file_that_does_not_exist_is_a_usage_error() throws IOException {
      CheckRun run = new CheckRun(service(), repo, Optional.of(repo.resolve("missing.yaml")), Optional.empty(),
          Optional.empty());

      assertThatThrownBy(run::check)
          .isInstanceOf(CheckRun.UsageException.class)
          .hasMessageStartingWith("configuration file ")
          .hasMessageEndingWith("missing.yaml does not exist");
    }

    @Test
    void a_malformed_file_is_a_usage_error_with_its_file_and_line() throws IOException {
      Path service = service();
      Files.writeString(service.resolve("gpukit.yaml"), "fail-on: error\nfail-no: warning\n");

      assertThatThrownBy(() -> run(service).check())
          .isInstanceOf(CheckRun.UsageException.class)
          .hasMessageStartingWith("bad configuration: ")
          .hasMessageContaining("gpukit.yaml:2:");
    }
  }

  @Nested
  class Baselines {

    @Test
    void write_baseline_then_check_passes_with_the_findings_in_the_baseline() throws IOException {
      // given
      Path service = service();

      // when
      CheckRun.Written written = run(service).writeBaseline();
      CheckRun.Outcome outcome = run(service).check();

      // then
      assertThat(written.file()).isEqualTo(service.resolve("gpukit-baseline.txt"));
      assertThat(Files.readAllLines(written.file())).hasSize(2);
      assertThat(outcome.baseline()).contains(service.resolve("gpukit-baseline.txt"));
      assertThat(outcome.report().violations()).isEmpty();
      assertThat(outcome.report().baselined()).hasSize(2);
      assertThat(outcome.fails()).isFalse();
    }

    @Test
    void a_named_baseline_that_does_not_exist_is_a_usage_error_saying_how_to_create_it() throws IOException {
      CheckRun run = new CheckRun(service(), repo, Optional.empty(), Optional.of(repo.resolve("known.txt")),
          Optional.empty());

      assertThatThrownBy(run::check)
          .isInstanceOf(CheckRun.UsageException.class)
          .hasMessageContaining("known.txt does not exist; create it with mvn gpukit:write-baseline");
    }

    @Test
    void a_baseline_line_that_is_not_a_finding_is_a_usage_error_with_its_line() throws IOException {
      Path service = service();
      Files.writeString(service.resolve("gpukit-baseline.txt"), "Dockerfile: something\n");

      assertThatThrownBy(() -> run(service).check())
          .isInstanceOf(CheckRun.UsageException.class)
          .hasMessageStartingWith("bad baseline: ")
          .hasMessageContaining("gpukit-baseline.txt:1:");
    }
  }

  @Nested
  class Paths {

    @Test
    void a_folder_inside_the_working_directory_is_scanned_by_its_relative_path() {
      Path here = Path.of("").toAbsolutePath();

      assertThat(run(here).scanRoot()).isEqualTo(Path.of("."));
      assertThat(run(here.resolve("src")).scanRoot()).isEqualTo(Path.of("src"));
    }

    @Test
    void a_folder_elsewhere_is_scanned_by_its_absolute_path() throws IOException {
      Path service = service();

      assertThat(run(service).scanRoot()).isEqualTo(service.toAbsolutePath().normalize());
    }
  }
}

package io.gpukit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shaded {@code gpukit.jar} as a user would, in its own JVM (after {@code package}). */
class GpuKitJarIT {

  static final Path MODULE = Path.of("").toAbsolutePath();
  static final Path JAR = Path.of(System.getProperty("gpukit.jar", "target/gpukit.jar")).toAbsolutePath();
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  /** What one run of the jar printed and returned. */
  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void the_jar_is_built() {
    assertThat(JAR).as("the shaded jar; run 'mvn verify', not only 'mvn test'").isRegularFile();
  }

  static Run gpukit(Path workingDirectory, List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(JAVA);
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("gpukit-out", ".txt");
    Path err = Files.createTempFile("gpukit-err", ".txt");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(workingDirectory.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("gpukit " + List.of(args) + " did not finish");
      }
      Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
      assertThat(run.err()).as("stderr of gpukit %s", List.of(args))
          .doesNotContain("\tat ")
          .doesNotContain("Exception in thread")
          .doesNotContain("OutOfMemoryError");
      return run;
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static Run gpukit(Path workingDirectory, String... args) throws IOException, InterruptedException {
    return gpukit(workingDirectory, List.of(), args);
  }

  @Test
  void version_prints_the_project_version_from_the_manifest() throws Exception {
    // when
    Run run = gpukit(MODULE, "--version");

    // then
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().strip()).isEqualTo("gpukit " + System.getProperty("project.version", "0.1.0-SNAPSHOT"));
  }

  @Test
  void the_example_service_passes() throws Exception {
    // when
    Run run = gpukit(MODULE, "check", "../gpukit-examples");

    // then
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).matches("No violations\\. \\d+ files? checked: 0 errors, 0 warnings, 0 info( \\(\\d+ suppressed\\))?\\R");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void the_current_folder_is_checked_as_a_project(@TempDir Path repo) throws Exception {
    // given
    ProjectCommandTests.wrongImage(repo);

    // when
    Run run = gpukit(repo, "check");

    // then
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .startsWith("k8s/deployment.yaml:20:11: error: Deployment/llm GPU container 'server' runs 'ghcr.io/acme/llm-old',"
            + " but the workflows push 'ghcr.io/acme/llm' (.github/workflows/ci.yml:16) [project/image-repository-pushed]")
        .endsWith("\n3 files checked: 1 error, 0 warnings, 0 info\n");
  }

  @Test
  void the_timing_property_reports_the_cpu_time_of_the_check() throws Exception {
    // when
    Run run = gpukit(MODULE, List.of("-Dgpukit.timing=true"), "check", "../gpukit-examples");

    // then
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).matches("gpukit: the check took (\\d+ ms of process CPU time, )?\\d+ ms of CPU time on its thread\\R");
  }

  @Test
  void a_violation_exits_1_reported_relative_to_the_working_directory(@TempDir Path repo) throws Exception {
    // given
    Files.writeString(repo.resolve("Dockerfile"), "FROM ubuntu\nCMD [\"/app/server\"]\n");

    // when
    Run dot = gpukit(repo, "check", ".");
    Run implicit = gpukit(repo, "check");

    // then
    assertThat(dot.exitCode()).isEqualTo(1);
    assertThat(dot.out()).startsWith("Dockerfile:1:1: error: ").doesNotContain("./Dockerfile");
    assertThat(implicit.exitCode()).isEqualTo(1);
    assertThat(implicit.out()).isEqualTo(dot.out());
  }

  @Test
  void a_bad_gpukit_yaml_in_the_working_directory_is_named_as_is(@TempDir Path repo) throws Exception {
    // given
    Files.writeString(repo.resolve("Dockerfile"), "FROM ubuntu:24.04\n");
    Files.writeString(repo.resolve("gpukit.yaml"), "fail-on: [\n");

    // when
    Run run = gpukit(repo, "check", ".");

    // then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString().startsWith("gpukit: bad configuration: gpukit.yaml:2:1: ");
  }

  @Test
  void checking_a_subfolder_uses_the_current_folder_s_gpukit_yaml(@TempDir Path repo) throws Exception {
    // given
    Files.createDirectories(repo.resolve("legacy"));
    Files.writeString(repo.resolve("legacy/Dockerfile"), "FROM ubuntu\nCMD [\"/app/server\"]\n");
    Files.writeString(
        repo.resolve("gpukit.yaml"),
        "ignore:\n  - rule: '*'\n    paths: ['legacy/**']\n    reason: frozen, replaced next quarter\n");

    // when
    Run sub = gpukit(repo, "check", "legacy");
    Run root = gpukit(repo, "check");

    // then
    assertThat(sub.exitCode()).as(sub.out()).isZero();
    assertThat(sub.out()).startsWith("No violations. 1 file checked").contains("suppressed");
    assertThat(root.out()).isEqualTo(sub.out());
  }

  @Test
  void a_subfolder_s_own_gpukit_yaml_comes_first(@TempDir Path repo) throws Exception {
    // given
    Files.createDirectories(repo.resolve("svc"));
    Files.writeString(repo.resolve("svc/Dockerfile"), "FROM ubuntu\nCMD [\"/app/server\"]\n");
    Files.writeString(repo.resolve("gpukit.yaml"), "fail-on: never\n");
    Files.writeString(repo.resolve("svc/gpukit.yaml"), "fail-on: error\n");

    // when
    Run run = gpukit(repo, "check", "svc");

    // then
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith("svc/Dockerfile:1:1: error: ");
  }

  @Test
  void a_usage_error_exits_2_with_one_line(@TempDir Path repo) throws Exception {
    // when
    Run run = gpukit(repo, "check", "--format", "pdf");

    // then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).hasSize(2).first().asString().startsWith("gpukit: Invalid value for option '--format'");
  }

  @Test
  void a_50_mb_dockerfile_is_refused_in_a_small_heap(@TempDir Path repo) throws Exception {
    // given
    try (BufferedWriter w = Files.newBufferedWriter(repo.resolve("Dockerfile"), StandardCharsets.UTF_8)) {
      String line = "RUN echo " + "x".repeat(90) + "\n";
      for (long written = 0; written < 50L * 1024 * 1024; written += line.length()) {
        w.write(line);
      }
    }

    // when
    Run run = gpukit(repo, List.of("-Xmx96m"), "check");

    // then
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("Dockerfile:1:1: error: file is larger than the limit of 10485760 bytes");
  }
}

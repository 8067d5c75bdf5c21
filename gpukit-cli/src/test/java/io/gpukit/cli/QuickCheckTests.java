package io.gpukit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The common check command lines, read without picocli: the same output and exit code as through picocli. */
class QuickCheckTests {

  static final String FINDING = "FROM ubuntu\nRUN apt-get update\n";
  static final String CLEAN = "FROM alpine:3.20\nUSER 1000\nCMD [\"true\"]\n";
  static final String WARNINGS_ONLY_CONFIG = "rules:\n  dockerfile/base-image-pinned: warning\n";

  @TempDir static Path repo;

  static String findings;
  static String clean;
  static String spaced;
  static String workflow;
  static String config;
  static String badConfig;
  static String missing;
  static String folder;

  @BeforeAll
  static void a_repository() throws IOException {
    findings = write("Dockerfile", FINDING);
    clean = write("clean.Dockerfile", CLEAN);
    spaced = write("my service's image/Dockerfile", FINDING);
    workflow = write("service/.github/workflows/ci.yml",
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n");
    write("service/Dockerfile", FINDING);
    config = write("gpukit.yaml", WARNINGS_ONLY_CONFIG);
    badConfig = write("bad.yaml", "rules: [unclosed\n");
    missing = repo.resolve("no-such-file").toString();
    folder = repo.resolve("service").toString();
  }

  static String write(String name, String text) throws IOException {
    Path file = repo.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file.toString();
  }

  /** What one run printed and returned. */
  record Run(int exitCode, String out, String err) {}

  static Run run(Function<PrintWriter[], Integer> command) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = command.apply(new PrintWriter[] {new PrintWriter(out), new PrintWriter(err)});
    return new Run(code, out.toString(), err.toString());
  }

  static Run quick(List<String> args) {
    return run(s -> GpuKitCommand.execute(s[0], s[1], args.toArray(String[]::new)));
  }

  static Run picocli(List<String> args) {
    return run(s -> GpuKitCommand.executeWithPicocli(s[0], s[1], args.toArray(String[]::new)));
  }

  /** The command lines of the shape read without picocli. */
  static List<List<String>> common() {
    Path example = Path.of("..", "gpukit-examples");
    return List.of(
        List.of("check", findings),
        List.of("check", clean),
        List.of("check", spaced),
        List.of("check", findings, clean, workflow),
        List.of("check", missing),
        List.of("check", findings, missing),
        List.of("check", folder),
        List.of("check", folder, clean),
        List.of("check", example.toString()),
        List.of("check", example.resolve("Dockerfile").toString()),
        List.of("check", "--format", "json", findings),
        List.of("check", "--format=sarif", findings, clean),
        List.of("check", "--format", "text", findings),
        List.of("check", findings, "--format", "json"),
        List.of("check", "--format", "sarif", folder),
        List.of("check", "--fail-on", "warning", clean),
        List.of("check", "--fail-on", "never", findings),
        List.of("check", "--fail-on=info", findings),
        List.of("check", "--fail-on", "error", findings),
        List.of("check", "--config", config, findings),
        List.of("check", "--config=" + config, "--fail-on", "warning", findings),
        List.of("check", "--config", config, "--fail-on", "error", findings),
        List.of("check", "--config", badConfig, findings),
        List.of("check", "--config", missing, findings),
        List.of("check", "--format", "json", "--fail-on", "never", "--config", config, findings, clean, folder));
  }

  /** Command lines outside the shape: help, typos, other options and values, all left to picocli. */
  static List<List<String>> others() {
    return List.of(
        List.of(),
        List.of("--version"),
        List.of("--help"),
        List.of("chek", findings),
        List.of("CHECK", findings),
        List.of("check", "--help"),
        List.of("check", "-h"),
        List.of("check", "-V"),
        List.of("check", "--format", "JSON", findings),
        List.of("check", "--format", "junit", findings),
        List.of("check", "--format", "html", findings),
        List.of("check", "--format", "yaml", findings),
        List.of("check", "--format"),
        List.of("check", "--format="),
        List.of("check", "--format", "json", "--format", "sarif", findings),
        List.of("check", "--formt", "json", findings),
        List.of("check", "--fail-on", "Warning", findings),
        List.of("check", "--fail-on", "sometimes", findings),
        List.of("check", "--config", "--format", "json", findings),
        List.of("check", "--config", config, "--config", config, findings),
        List.of("check", "--show-scope", findings),
        List.of("check", "--output", repo.resolve("report.txt").toString(), findings),
        List.of("check", "--baseline", missing, findings),
        List.of("check", "--", findings),
        List.of("check", "-", findings),
        List.of("check", "@" + missing),
        List.of("check", "", findings),
        List.of("rules"));
  }

  @Nested
  class The_common_command_lines {

    @Test
    void are_read_without_picocli() {
      for (List<String> args : common()) {
        assertThat(QuickCheck.parse(args.toArray(String[]::new))).as("gpukit %s", args).isNotNull();
      }
    }

    @Test
    void print_and_return_exactly_what_picocli_s_path_does() {
      List<Integer> codes = new ArrayList<>();
      for (List<String> args : common()) {
        // when
        Run quick = quick(args);
        Run picocli = picocli(args);

        // then
        assertThat(quick).as("gpukit %s", args).isEqualTo(picocli);
        codes.add(quick.exitCode());
      }
      assertThat(codes).as("the matrix covers clean runs, findings and usage errors").contains(0, 1, 2);
    }

    @Test
    void take_the_options_as_picocli_does() {
      // when
      CheckCommand check = QuickCheck.parse(
          "check", clean, "--fail-on=warning", "--config", config, "--format", "sarif", findings);
      CheckCommand bare = QuickCheck.parse("check");

      // then
      assertThat(check.paths).containsExactly(Path.of(clean), Path.of(findings));
      assertThat(check.failOn).isEqualTo(CheckCommand.FailOn.WARNING);
      assertThat(check.config).isEqualTo(Path.of(config));
      assertThat(check.format).hasToString("SARIF");
      assertThat(bare.paths).as("no path: the current folder, as picocli leaves it").isNull();
      assertThat(bare.format).hasToString("TEXT");
      assertThat(bare.failOn).isNull();
      assertThat(bare.config).isNull();
    }
  }

  @Nested
  class Every_other_command_line {

    @Test
    void is_left_to_picocli() {
      for (List<String> args : others()) {
        assertThat(QuickCheck.parse(args.toArray(String[]::new))).as("gpukit %s", args).isNull();
      }
    }

    @Test
    void prints_and_returns_what_it_did_before() {
      for (List<String> args : others()) {
        // when
        Run run = quick(args);

        // then
        assertThat(run).as("gpukit %s", args).isEqualTo(picocli(args));
      }
      assertThat(quick(List.of("check", "--formt", "json", findings)).err())
          .startsWith("gpukit: Unknown option: '--formt'");
    }
  }
}

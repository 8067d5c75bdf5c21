package io.gpukit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell steps of {@code action.yml} run with bash against the shaded jar, with the environment
 * and {@code GITHUB_OUTPUT} file the runner gives them: what the Action outputs and how it fails.
 */
class GithubActionIT {

  static final Path JAR = GpuKitJarIT.JAR;

  /** What one step printed and returned, and the outputs it wrote. */
  record Step(int exitCode, String log, Map<String, String> outputs) {}

  @BeforeAll
  static void bash_and_the_jar_are_there() {
    assertThat(JAR).as("the shaded jar; run 'mvn verify', not only 'mvn test'").isRegularFile();
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")),
        "no /bin/bash: the Action's steps are bash scripts, as on GitHub's runners; run this test where bash is installed");
  }

  @SuppressWarnings("unchecked")
  static String script(String stepIdOrName) throws IOException {
    Map<String, Object> runs = (Map<String, Object>) GithubActionTests.parsed(GithubActionTests.action()).get("runs");
    for (Map<String, Object> step : (List<Map<String, Object>>) runs.get("steps")) {
      if (stepIdOrName.equals(step.get("id")) || stepIdOrName.equals(step.get("name"))) {
        return (String) step.get("run");
      }
    }
    throw new AssertionError("no step '" + stepIdOrName + "' in action.yml");
  }

  /** Runs a step's script as the runner does ({@code bash -e}), in the workspace, with its env. */
  static Step run(String step, Path workspace, Map<String, String> env) throws Exception {
    Path output = Files.createTempFile("github-output", ".txt");
    Path log = Files.createTempFile("step-log", ".txt");
    try {
      ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-e", "-c", script(step))
          .directory(workspace.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      pb.environment().putAll(env);
      pb.environment().put("GITHUB_OUTPUT", output.toString());
      Process process = pb.start();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("the step '" + step + "' did not finish");
      }
      Map<String, String> outputs = new LinkedHashMap<>();
      for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        outputs.put(line.substring(0, eq), line.substring(eq + 1));
      }
      return new Step(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), outputs);
    } finally {
      Files.deleteIfExists(output);
      Files.deleteIfExists(log);
    }
  }

  static Map<String, String> checkEnv(String path, String failOn) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GPUKIT_JAR", JAR.toString());
    env.put("GPUKIT_PATH", path);
    env.put("GPUKIT_FAIL_ON", failOn);
    env.put("GPUKIT_CONFIG", "");
    env.put("GPUKIT_BASELINE", "");
    env.put("GPUKIT_SARIF", "gpukit.sarif");
    return env;
  }

  static final String UNPINNED = "FROM ubuntu\nUSER 10001\nCMD [\"/app/server\"]\n";

  @Nested
  class The_check_step {

    @Test
    void passes_with_findings_and_hands_their_exit_code_and_sarif_on(@TempDir Path workspace) throws Exception {
      // given
      GpuKitCommandTests.write(workspace.resolve("Dockerfile"), UNPINNED);

      // when
      Step check = run("check", workspace, checkEnv(".", "error"));

      // then the step itself passes, so that the upload runs
      assertThat(check.exitCode()).as(check.log()).isZero();
      assertThat(check.outputs()).containsExactly(Map.entry("exit-code", "1"), Map.entry("sarif-file", "gpukit.sarif"));
      assertThat(Files.readString(workspace.resolve("gpukit.sarif")))
          .contains("\"ruleId\": \"dockerfile/base-image-pinned\"", "\"uri\": \"Dockerfile\"");
      assertThat(check.log()).contains("Dockerfile:1:1: error: base image 'ubuntu' has no tag");
    }

    @Test
    void follows_fail_on(@TempDir Path workspace) throws Exception {
      // given
      GpuKitCommandTests.write(workspace.resolve("Dockerfile"), UNPINNED);

      // when
      Step check = run("check", workspace, checkEnv(".", "never"));

      // then
      assertThat(check.outputs()).containsEntry("exit-code", "0").containsEntry("sarif-file", "gpukit.sarif");
    }

    @Test
    void names_no_sarif_after_a_usage_error_not_even_an_earlier_one(@TempDir Path workspace) throws Exception {
      // given
      GpuKitCommandTests.write(workspace.resolve("gpukit.sarif"), "{\"runs\": []}\n");

      // when
      Step check = run("check", workspace, checkEnv("no-such-folder", "error"));

      // then
      assertThat(check.outputs()).containsExactly(Map.entry("exit-code", "2"), Map.entry("sarif-file", ""));
      assertThat(workspace.resolve("gpukit.sarif")).doesNotExist();
      assertThat(check.log()).contains("gpukit: no such file or folder: no-such-folder");
    }

    @Test
    void checks_several_paths(@TempDir Path workspace) throws Exception {
      // given
      GpuKitCommandTests.write(workspace.resolve("a/Dockerfile"), UNPINNED);
      GpuKitCommandTests.write(workspace.resolve("b/Dockerfile"), UNPINNED);

      // when
      Step check = run("check", workspace, checkEnv("a b", "error"));

      // then
      assertThat(check.log()).contains("a/Dockerfile:1:1: error:", "b/Dockerfile:1:1: error:");
    }
  }

  @Nested
  class The_last_step {

    @Test
    void fails_with_the_check_s_exit_code_and_says_why() throws Exception {
      // when
      Step fail = run("Fail on findings at or above fail-on", Path.of("."), Map.of("GPUKIT_EXIT", "1", "GPUKIT_FAIL_ON", "warning"));

      // then
      assertThat(fail.exitCode()).isEqualTo(1);
      assertThat(fail.log()).isEqualTo("::error title=gpukit::findings at or above 'warning' (listed in the gpukit check step)\n");
    }

    @Test
    void fails_with_2_on_a_usage_error() throws Exception {
      // when
      Step fail = run("Fail on findings at or above fail-on", Path.of("."), Map.of("GPUKIT_EXIT", "2", "GPUKIT_FAIL_ON", "error"));

      // then
      assertThat(fail.exitCode()).isEqualTo(2);
      assertThat(fail.log()).contains("gpukit check exited 2");
    }
  }
}

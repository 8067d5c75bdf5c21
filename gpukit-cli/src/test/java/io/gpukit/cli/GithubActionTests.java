package io.gpukit.cli;

import static io.gpukit.cli.GpuKitCommandTests.gpukit;
import static io.gpukit.cli.GpuKitCommandTests.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.cli.GpuKitCommandTests.Run;
import io.gpukit.core.workflow.LocalActions;
import io.gpukit.core.workflow.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The repository's {@code action.yml}: gpukit's own rules pass on it, and the README documents it. */
class GithubActionTests {

  /** Maven runs the tests in the module's folder; the action is at the repository root. */
  static final Path ACTION = Path.of("..", "action.yml");
  static final Path README = Path.of("..", "README.md");

  /** A workflow as a user writes it, with the action as a local one so that the project view opens it. */
  static final String WORKFLOW =
      """
      name: gpukit
      on:
        push:
          branches: [main]
        pull_request:
      permissions:
        contents: read
      jobs:
        gpukit:
          runs-on: ubuntu-24.04
          timeout-minutes: 15
          permissions:
            contents: read
            security-events: write
          steps:
            - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
            - uses: ./
              with:
                fail-on: warning
      """;

  static String action() throws IOException {
    return Files.readString(ACTION, StandardCharsets.UTF_8);
  }

  /** A repository holding the action at its root and a workflow that uses it. */
  static Path repositoryUsing(String actionYml, Path repo) throws IOException {
    write(repo.resolve("action.yml"), actionYml);
    write(repo.resolve(".github/workflows/gpukit.yml"), WORKFLOW);
    return repo;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parsed(String yaml) {
    return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> section(String key) throws IOException {
    return (Map<String, Map<String, Object>>) parsed(action()).get(key);
  }

  @Nested
  class Gpukits_own_rules {

    @Test
    void find_nothing_in_the_action(@TempDir Path folder) throws IOException {
      // given
      Path repo = repositoryUsing(action(), folder);

      // when
      Run run = gpukit("check", repo, "--format", "json", "--fail-on", "info");

      // then
      assertThat(run.exitCode()).as(run.out()).isZero();
      assertThat(run.json().get("violations")).as(run.out()).isEmpty();
      assertThat(run.json().get("suppressed").asInt()).isZero();
    }

    @Test
    void read_the_action_s_steps(@TempDir Path folder) throws IOException {
      // when
      List<Step> steps = LocalActions.steps("./", repositoryUsing(action(), folder)).orElseThrow();

      // then the project view judged the action's own steps, not an opaque 'uses: ./'
      assertThat(steps).extracting(s -> s.uses().orElse(s.run().orElse("")))
          .anyMatch(s -> s.startsWith("actions/setup-java@"))
          .anyMatch(s -> s.startsWith("github/codeql-action/upload-sarif@"))
          .anyMatch(s -> s.contains("java -jar \"$GPUKIT_JAR\" check"));
    }

    @Test
    void would_find_a_gpu_step_in_it(@TempDir Path folder) throws IOException {
      // given the action with a GPU step, which its hosted runner cannot run
      String broken = action().replace("    - name: Build gpukit\n",
          "    - name: A GPU smoke test\n      shell: bash\n      run: docker run --rm --gpus all cuda-smoke\n\n"
              + "    - name: Build gpukit\n");
      Path repo = repositoryUsing(broken, folder);

      // when
      Run run = gpukit("check", repo, "--format", "json");

      // then
      assertThat(run.ruleIds()).contains("workflow/gpu-job-on-gpu-runner");
    }
  }

  @Nested
  class The_action {

    private static final Pattern USES = Pattern.compile("(?m)^\\s*(?:-\\s+)?uses:\\s*(\\S+)(.*)$");

    @Test
    void pins_every_action_it_uses_to_a_commit_and_names_the_version() throws IOException {
      // given
      Matcher m = USES.matcher(action());
      List<String> uses = new ArrayList<>();

      // when
      while (m.find()) {
        uses.add(m.group(1) + m.group(2));
      }

      // then
      assertThat(uses).hasSize(3).allMatch(u -> u.matches("[\\w.-]+/[\\w./-]+@[0-9a-f]{40} # v\\d+(\\.\\d+)*"));
    }

    @Test
    void is_composite_with_the_inputs_and_outputs_it_promises() throws IOException {
      // when
      Map<String, Map<String, Object>> inputs = section("inputs");
      Map<String, Map<String, Object>> outputs = section("outputs");

      // then
      assertThat(((Map<?, ?>) parsed(action()).get("runs")).get("using")).isEqualTo("composite");
      Map<String, Object> defaults = new LinkedHashMap<>();
      inputs.forEach((name, input) -> defaults.put(name, input.get("default")));
      assertThat(defaults).containsExactly(
          Map.entry("path", "."), Map.entry("fail-on", "error"), Map.entry("config", ""), Map.entry("baseline", ""),
          Map.entry("sarif-file", "gpukit.sarif"), Map.entry("upload-sarif", "true"), Map.entry("java-version", "17"));
      assertThat(outputs).containsOnlyKeys("sarif-file", "exit-code");
    }
  }

  @Nested
  class The_readme {

    /** The rows of the README table whose header starts with {@code | <first> |}: first cell to second. */
    private Map<String, String> table(String first) throws IOException {
      List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
      int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("| " + first + " |")).findFirst()
          .orElseThrow(() -> new AssertionError("no table '| " + first + " |' in the README")));
      Map<String, String> rows = new LinkedHashMap<>();
      for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
        String[] cells = lines.get(i).split("\\|");
        rows.put(cells[1].strip(), cells[2].strip());
      }
      return rows;
    }

    @Test
    void documents_every_input_with_its_default() throws IOException {
      // given
      Map<String, String> expected = new LinkedHashMap<>();
      section("inputs").forEach((name, input) -> {
        String d = String.valueOf(input.get("default"));
        expected.put("`" + name + "`", d.isEmpty() ? "none" : "`" + d + "`");
      });

      // when
      Map<String, String> documented = table("input");

      // then
      assertThat(documented).containsExactlyEntriesOf(expected);
    }

    @Test
    void documents_every_output() throws IOException {
      // when
      Map<String, String> documented = table("output");

      // then
      assertThat(documented.keySet())
          .containsExactlyElementsOf(section("outputs").keySet().stream().map(n -> "`" + n + "`").toList());
    }

    @Test
    void shows_a_workflow_with_the_permission_the_upload_needs() throws IOException {
      // when
      String readme = Files.readString(README, StandardCharsets.UTF_8);

      // then
      String usage = readme.substring(readme.indexOf("## GitHub Action"));
      assertThat(usage).contains("security-events: write", "uses: gpukit/gpukit@v0.1.0");
    }
  }
}

package io.gpukit.cli;

import static io.gpukit.cli.GpuKitCommandTests.assertUsageError;
import static io.gpukit.cli.GpuKitCommandTests.gpukit;
import static io.gpukit.cli.GpuKitCommandTests.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpukit.cli.GpuKitCommandTests.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code gpukit init}: a GPU service that {@code gpukit check} passes, written without overwriting anything. */
class InitCommandTests {

  static final List<String> FILES = List.of(
      "Dockerfile", ".github/workflows/ci.yml", "k8s/deployment.yaml", "promotion.yaml", "ROLLBACK.md", "gpukit.yaml");

  /** Every file under a folder, by its path relative to it, with its bytes as text. */
  static Map<String, String> contents(Path folder) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    if (!Files.exists(folder)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        files.put(folder.relativize(p).toString().replace('\\', '/'), Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return files;
  }

  /** The check of the scaffold, as JSON, every severity counted (fail-on info). */
  static Run check(Path folder) {
    return gpukit("check", folder, "--format", "json", "--fail-on", "info");
  }

  @Nested
  class The_scaffold_passes_check {

    @Test
    void with_the_default_options_without_a_single_finding(@TempDir Path parent) throws IOException {
      // given
      Path service = parent.resolve("llm-server");

      // when
      Run init = gpukit("init", service);
      Run check = check(service);

      // then
      assertThat(init.exitCode()).as(init.err()).isZero();
      assertThat(contents(service)).containsOnlyKeys(FILES);
      assertThat(check.exitCode()).as(check.out()).isZero();
      assertThat(check.json().get("violations")).as(check.out()).isEmpty();
      assertThat(check.json().get("suppressed").asInt()).isZero();
      assertThat(check.json().get("files").asInt()).isEqualTo(5); // gpukit.yaml configures, it is not checked
      assertThat(gpukit("check", service).out()).isEqualTo("No violations. 5 files checked: 0 errors, 0 warnings, 0 info\n");
    }

    @Test
    void where_gpukit_judges_every_file_as_gpu(@TempDir Path parent) throws IOException {
      // given
      Path service = parent.resolve("llm-server");
      gpukit("init", service);

      // when
      JsonNode scope = check(service).json().get("scope");

      // then the GPU rules judged the Dockerfile, the workflow and the Deployment: the clean result is theirs
      List<String> gpu = new ArrayList<>();
      scope.forEach(s -> {
        if (s.get("gpu").asBoolean()) {
          gpu.add(Path.of(s.get("file").asText()).getFileName().toString());
        }
      });
      assertThat(gpu).containsExactlyInAnyOrder("Dockerfile", "ci.yml", "deployment.yaml");
    }

    @Test
    void with_every_option_set(@TempDir Path parent) throws IOException {
      // given
      Path service = parent.resolve("folder");

      // when
      Run init = gpukit("init", service, "--name", "vllm-7b", "--image", "registry.acme.io:5000/ml/vllm-7b",
          "--gpus", "4", "--runner", "self-hosted,linux,farm-7");
      Run check = check(service);

      // then
      assertThat(init.exitCode()).as(init.err()).isZero();
      assertThat(check.json().get("violations")).as(check.out()).isEmpty();
      Map<String, String> files = contents(service);
      assertThat(files.get("k8s/deployment.yaml"))
          .contains("  name: vllm-7b\n", "nvidia.com/gpu: 4\n", "image: registry.acme.io:5000/ml/vllm-7b:sha-");
      assertThat(files.get(".github/workflows/ci.yml"))
          .contains("  IMAGE: registry.acme.io:5000/ml/vllm-7b\n", "runs-on: [self-hosted, linux, farm-7]\n");
      assertThat(files.get("promotion.yaml")).contains("kubectl rollout undo deployment/vllm-7b -n vllm-7b-prod\n");
      assertThat(files.get("gpukit.yaml")).contains("runner-labels: ['farm-7']");
    }

    @Test
    void with_a_gpu_runner_label_gpukit_knows_and_declares_none(@TempDir Path parent) throws IOException {
      // given
      Path service = parent.resolve("scorer");

      // when
      Run init = gpukit("init", service, "--runner", "[self-hosted, a100]");

      // then
      assertThat(init.exitCode()).as(init.err()).isZero();
      assertThat(check(service).json().get("violations")).isEmpty();
      assertThat(contents(service).get("gpukit.yaml")).doesNotContain("runner-labels").endsWith("fail-on: warning\n");
      assertThat(contents(service).get(".github/workflows/ci.yml")).contains("runs-on: [self-hosted, a100]\n");
    }

    @Test
    void and_check_still_finds_what_breaks_it(@TempDir Path parent) throws IOException {
      // given a scaffold whose rollout then takes a GPU pod away
      Path service = parent.resolve("llm-server");
      gpukit("init", service);
      Path deployment = service.resolve("k8s/deployment.yaml");
      write(deployment, Files.readString(deployment).replace("maxUnavailable: 0", "maxUnavailable: 1"));

      // when
      Run check = check(service);

      // then
      assertThat(check.exitCode()).isEqualTo(1);
      assertThat(check.ruleIds()).contains("k8s/gpu-rollout-keeps-capacity");
    }

    @Test
    void with_every_placeholder_filled(@TempDir Path parent) throws IOException {
      // when
      gpukit("init", parent.resolve("llm-server"));

      // then only the workflow's own expressions are left
      contents(parent.resolve("llm-server")).forEach((file, text) ->
          assertThat(text.replaceAll("\\$\\{\\{[^}]*}}", "")).as(file).doesNotContain("{{").doesNotContain("}}").endsWith("\n"));
    }
  }

  @Nested
  class It_never_overwrites {

    @Test
    void a_file_that_exists_stays_byte_for_byte_and_the_others_are_written(@TempDir Path service) throws IOException {
      // given
      String ours = "FROM nvidia/cuda:12.8.1-runtime-ubuntu24.04\r\nUSER 10001\r\n";
      write(service.resolve("Dockerfile"), ours);

      // when
      Run run = gpukit("init", service, "--name", "scorer");

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(Files.readString(service.resolve("Dockerfile"))).isEqualTo(ours);
      assertThat(run.out()).startsWith("left alone Dockerfile: it exists\nwrote .github/workflows/ci.yml\n")
          .contains("5 of 6 files written into " + service);
      assertThat(contents(service)).containsOnlyKeys(FILES);
    }

    @Test
    void and_exits_1_when_every_file_exists(@TempDir Path service) throws IOException {
      // given
      gpukit("init", service, "--name", "scorer");
      write(service.resolve("gpukit.yaml"), "fail-on: never\n");
      Map<String, String> before = contents(service);

      // when
      Run run = gpukit("init", service, "--name", "scorer", "--gpus", "2");

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(contents(service)).isEqualTo(before);
      assertThat(run.out().lines()).hasSize(6).allMatch(l -> l.startsWith("left alone ") && l.endsWith(": it exists"));
      assertThat(run.err()).isEqualTo("gpukit: nothing written: every file of the scaffold exists in " + service
          + " (gpukit init never overwrites a file)\n");
    }

    @Test
    void nor_writes_through_a_link(@TempDir Path service, @TempDir Path elsewhere) throws IOException {
      // given a dangling link where the Dockerfile goes
      Path target = elsewhere.resolve("not-yet");
      Files.createSymbolicLink(service.resolve("Dockerfile"), target);

      // when
      Run run = gpukit("init", service, "--name", "scorer");

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(target).doesNotExist();
      assertThat(run.out()).startsWith("left alone Dockerfile: it exists\n");
    }

    @Test
    void and_stops_with_exit_2_where_a_file_is_in_the_way_of_a_folder(@TempDir Path service) throws IOException {
      // given
      write(service.resolve("k8s"), "not a folder\n");

      // when
      Run run = gpukit("init", service, "--name", "scorer");

      // then
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).startsWith("gpukit: cannot write k8s/deployment.yaml: " + service.resolve("k8s")
          + " is a file, not a folder (written before it: Dockerfile, .github/workflows/ci.yml)");
      assertThat(Files.readString(service.resolve("k8s"))).isEqualTo("not a folder\n");
    }
  }

  @Nested
  class A_dry_run {

    @Test
    void prints_every_file_and_writes_nothing(@TempDir Path parent) throws IOException {
      // given
      Path service = parent.resolve("llm-server");

      // when
      Run run = gpukit("init", service, "--dry-run");

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(service).doesNotExist();
      for (String file : FILES) {
        assertThat(run.out()).contains("=== " + file + "\n");
      }
      assertThat(run.out()).contains("HEALTHCHECK", "maxUnavailable: 0", "kubectl rollout undo deployment/llm-server");
    }

    @Test
    void prints_what_a_run_would_write(@TempDir Path service) throws IOException {
      // given
      Run dry = gpukit("init", service, "--name", "scorer", "--dry-run");

      // when
      gpukit("init", service, "--name", "scorer");

      // then
      StringBuilder expected = new StringBuilder();
      for (Map.Entry<String, String> e : ordered(contents(service)).entrySet()) {
        expected.append("=== ").append(e.getKey()).append('\n').append(e.getValue());
      }
      assertThat(dry.out()).isEqualTo(expected.toString());
    }

    @Test
    void names_the_files_it_would_leave_alone(@TempDir Path service) throws IOException {
      // given
      write(service.resolve("ROLLBACK.md"), "# ours\n");

      // when
      Run run = gpukit("init", service, "--name", "scorer", "--dry-run");

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).contains("=== ROLLBACK.md (exists: would be left alone)\n=== gpukit.yaml\n");
      assertThat(contents(service)).containsOnlyKeys("ROLLBACK.md");
    }

    private Map<String, String> ordered(Map<String, String> files) {
      Map<String, String> out = new LinkedHashMap<>();
      FILES.forEach(f -> out.put(f, files.get(f)));
      return out;
    }
  }

  @Nested
  class A_usage_error_exits_2_and_writes_nothing {

    @ParameterizedTest
    @ValueSource(strings = {"LLM", "llm_server", "-llm", "llm-", "llm.server", ""})
    void for_a_name_that_is_not_a_dns_label(String name, @TempDir Path service) throws IOException {
      // when
      Run run = gpukit("init", service, "--name", name);

      // then
      assertUsageError(run, "--name '" + name + "' is not a DNS-1123 label");
      assertThat(contents(service)).isEmpty();
    }

    @Test
    void for_a_name_too_long_for_its_namespaces(@TempDir Path service) throws IOException {
      // when
      Run run = gpukit("init", service, "--name", "a".repeat(56));

      // then
      assertUsageError(run, "is 56 characters long; at most 55 keep '" + "a".repeat(56) + "-staging' a namespace name");
      assertThat(contents(service)).isEmpty();
    }

    @Test
    void for_a_folder_name_that_is_not_a_dns_label_and_no_name(@TempDir Path parent) throws IOException {
      // when
      Run run = gpukit("init", parent.resolve("My_Service"));

      // then
      assertUsageError(run, "the service is named after its folder, and 'My_Service' is not a DNS-1123 label");
      assertThat(run.err()).contains("pass --name my-service");
      assertThat(parent.resolve("My_Service")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ghcr.io/acme/llm:1.0", "ghcr.io/acme/llm@sha256:abc", "ghcr.io/Acme/LLM", "ghcr.io/acme/", "a b"})
    void for_an_image_that_is_not_a_repository(String image, @TempDir Path service) throws IOException {
      // when
      Run run = gpukit("init", service, "--name", "llm", "--image", image);

      // then
      assertUsageError(run, "--image '" + image + "'");
      assertThat(contents(service)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ubuntu-24.04", "self-hosted,linux", "self-hosted,gpu box", ","})
    void for_a_runner_that_is_not_a_gpu_runner(String runner, @TempDir Path service) throws IOException {
      // when
      Run run = gpukit("init", service, "--name", "llm", "--runner", runner);

      // then
      assertUsageError(run, "--runner");
      assertThat(contents(service)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "two"})
    void for_gpus_that_are_not_a_positive_count(String gpus, @TempDir Path service) throws IOException {
      // when
      Run run = gpukit("init", service, "--name", "llm", "--gpus", gpus);

      // then
      assertUsageError(run, "--gpus");
      assertThat(contents(service)).isEmpty();
    }

    @Test
    void for_a_dir_that_is_a_file(@TempDir Path parent) throws IOException {
      // given
      Path file = write(parent.resolve("service"), "x\n");

      // when
      Run run = gpukit("init", file);

      // then
      assertUsageError(run, file + " is a file, not a folder to scaffold into");
    }
  }

  @Nested
  class A_template {

    @Test
    void keeps_a_workflow_expression_and_fills_its_placeholders() {
      // when
      String filled = Scaffold.fill("image: {{image}}:sha-${{ github.sha }}\n", Map.of("image", "ghcr.io/acme/llm"), "t");

      // then
      assertThat(filled).isEqualTo("image: ghcr.io/acme/llm:sha-${{ github.sha }}\n");
    }

    @Test
    void drops_a_line_that_only_holds_an_empty_value() {
      // when
      String filled = Scaffold.fill("a: 1\n  {{extra}}\nb: 2\n", Map.of("extra", ""), "t");

      // then
      assertThat(filled).isEqualTo("a: 1\nb: 2\n");
    }

    @Test
    void naming_a_placeholder_without_a_value_is_a_bug_that_says_where() {
      // when
      Throwable thrown = catchThrowable(
          () -> Scaffold.fill("name: {{nmae}}\n", Map.of("name", "llm"), "deployment.yaml.tmpl"));

      // then
      assertThat(thrown).isInstanceOf(IllegalStateException.class)
          .hasMessage("template deployment.yaml.tmpl names {{nmae}}, which has no value");
    }
  }

  @Nested
  class The_help {

    @Test
    void documents_the_exit_codes() {
      // when
      Run run = gpukit("init", "--help");

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).contains("Exit codes:", "nothing written: every file of the scaffold exists in DIR",
          "--dry-run", "--name=NAME", "--image=REPOSITORY", "--gpus=N", "--runner=LABELS");
    }
  }
}

package io.gpukit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesCommandTests {

  /** The seed's Deployment: 2 replicas, maxSurge 1, maxUnavailable 0, one GPU per pod, GPU probes. */
  static final String SEED =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: seed
      spec:
        replicas: 2
        strategy:
          rollingUpdate:
            maxSurge: 1
            maxUnavailable: 0
        template:
          spec:
            securityContext:
              runAsNonRoot: true
            nodeSelector:
              nvidia.com/gpu.present: "true"
            containers:
            - name: server
              image: registry.example.com/seed:1.4.2
              resources:
                limits:
                  nvidia.com/gpu: 1
              readinessProbe:
                exec:
                  command: [python3, /app/smoke_test.py]
              livenessProbe:
                exec:
                  command: [python3, /app/smoke_test.py]
                failureThreshold: 6
      """;

  static final ObjectMapper JSON = new ObjectMapper();

  record Run(int exitCode, String out, String err) {
    JsonNode json() throws IOException {
      return JSON.readTree(out);
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
        .doesNotContain("Exception in thread");
    return run;
  }

  static Path write(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  @Nested
  class Rollout_simulate {

    @Test
    void one_spare_gpu_completes_without_dropping_a_replica(@TempDir Path dir) throws IOException {
      // given
      Path file = write(dir, "seed.yaml", SEED);

      // when
      Run run = gpukit("rollout", "simulate", file, "--gpus-free", "1", "--format", "json");

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out().strip())
          .isEqualTo("{\"completes\":true,\"minAvailable\":2,\"maxPods\":3,\"steps\":4,\"stall\":null}");
    }

    @Test
    void no_spare_gpu_stalls_and_says_why(@TempDir Path dir) throws IOException {
      // given
      Path file = write(dir, "seed.yaml", SEED);

      // when
      Run run = gpukit("rollout", "simulate", file, "--format", "json");

      // then
      assertThat(run.exitCode()).isEqualTo(GpuKitCommand.FINDINGS);
      JsonNode json = run.json();
      assertThat(json.get("completes").asBoolean()).isFalse();
      assertThat(json.get("minAvailable").asInt()).isEqualTo(2);
      assertThat(json.get("stall").asText()).contains("Pending");
    }

    @Test
    void never_ready_pods_stall_in_text(@TempDir Path dir) throws IOException {
      // given
      Path file = write(dir, "seed.yaml", SEED);

      // when
      Run run = gpukit("rollout", "simulate", file, "--gpus-free", "4", "--gpus-per-node", "4", "--never-ready");

      // then
      assertThat(run.exitCode()).isEqualTo(GpuKitCommand.FINDINGS);
      assertThat(run.out()).contains("does not complete").contains("never become Ready");
    }

    @Test
    void a_blue_green_rollout_needs_a_second_set_of_gpus_and_deadlocks_on_a_full_pool(@TempDir Path dir)
        throws IOException {
      // given: 3 replicas of 2 GPUs; the preview set comes up before anything old goes
      Path file = write(dir, "rollout.yaml", """
          apiVersion: argoproj.io/v1alpha1
          kind: Rollout
          metadata: {name: llm}
          spec:
            replicas: 3
            selector: {matchLabels: {app: llm}}
            strategy:
              blueGreen: {activeService: llm, previewService: llm-preview}
            template:
              metadata: {labels: {app: llm}}
              spec:
                containers:
                  - name: llm
                    image: registry.example.com/llm:1.4.2
                    resources: {limits: {nvidia.com/gpu: 2}}
          """);

      // when
      Run full = gpukit("rollout", "simulate", file, "--format", "json");
      Run room = gpukit("rollout", "simulate", file, "--rollout", "llm", "--gpus-free", "6", "--format", "json");

      // then
      assertThat(full.exitCode()).as(full.err()).isEqualTo(GpuKitCommand.FINDINGS);
      assertThat(full.json().get("stall").asText()).contains("deadlocks");
      assertThat(room.exitCode()).as(room.err()).isEqualTo(GpuKitCommand.OK);
      assertThat(room.json().get("completes").asBoolean()).isTrue();
    }

    @Test
    void a_file_without_a_deployment_is_a_usage_error(@TempDir Path dir) throws IOException {
      // given
      Path file = write(dir, "svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n");

      // when
      Run run = gpukit("rollout", "simulate", file);

      // then
      assertThat(run.exitCode()).isEqualTo(GpuKitCommand.USAGE);
      assertThat(run.err()).contains("has no Deployment or Argo Rollout");
    }
  }

  @Nested
  class Parse_k8s {

    @Test
    void prints_the_model_with_locations(@TempDir Path dir) throws IOException {
      // given
      Path file = write(dir, "seed.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\n" + SEED);

      // when
      Run run = gpukit("parse", "k8s", file, "--format", "json");

      // then
      assertThat(run.exitCode()).isZero();
      JsonNode deployment = run.json().get("resources").get(1);
      assertThat(deployment.get("kind").asText()).isEqualTo("Deployment");
      assertThat(deployment.get("line").asInt()).isEqualTo(5);
      JsonNode container = deployment.get("template").get("containers").get(0);
      assertThat(container.get("image").get("tag").asText()).isEqualTo("1.4.2");
      assertThat(container.get("livenessProbe").get("failureThreshold").asInt()).isEqualTo(6);
      assertThat(container.get("readinessProbe").get("periodSeconds").asInt()).isEqualTo(10);
    }
  }

  @Nested
  class Check_finds_manifests {

    @Test
    void a_folder_walk_checks_manifests_skips_other_yaml_and_reads_workflows_as_workflows(@TempDir Path dir)
        throws IOException {
      // given
      write(dir, "seed.yaml", SEED.replace("seed:1.4.2", "seed:latest"));
      write(dir, "gpukit.yaml", "fail-on: error\n");
      write(dir, "values.yaml", "replicaCount: 1\nimage: {tag: latest}\n");
      Files.createDirectories(dir.resolve(".github/workflows"));
      write(dir, ".github/workflows/ci.yml", "apiVersion: v1\nkind: Nonsense\n");

      // when
      Run run = gpukit("check", dir, "--format", "json");

      // then the manifest is checked, values.yaml is not, and the workflow folder's file is a workflow
      assertThat(run.exitCode()).isEqualTo(GpuKitCommand.FINDINGS);
      JsonNode violations = run.json().get("violations");
      assertThat(violations).hasSize(2);
      assertThat(violations.get(0).get("file").asText()).endsWith(".github/workflows/ci.yml");
      assertThat(violations.get(0).get("ruleId").asText()).isEqualTo("gpukit/parse-error");
      assertThat(violations.get(0).get("message").asText()).contains("a workflow needs 'on'");
      assertThat(violations.get(1).get("ruleId").asText()).isEqualTo("k8s/image-tag");
    }
  }

  @Nested
  class Hostile_input {

    @Test
    void a_50_mb_file_is_a_located_error(@TempDir Path dir) throws IOException {
      // given
      Path file = dir.resolve("huge.yaml");
      byte[] line = "# padding padding padding padding padding padding padding padding\n".getBytes(StandardCharsets.UTF_8);
      try (OutputStream out = Files.newOutputStream(file)) {
        out.write("apiVersion: v1\nkind: ConfigMap\n".getBytes(StandardCharsets.UTF_8));
        for (long written = 0; written < 50L * 1024 * 1024; written += line.length) {
          out.write(line);
        }
      }

      // when
      Run check = gpukit("check", file);
      Run simulate = gpukit("rollout", "simulate", file);

      // then
      assertThat(check.exitCode()).isEqualTo(GpuKitCommand.FINDINGS);
      assertThat(check.out()).contains("huge.yaml:1:1").contains("larger than the limit");
      assertThat(simulate.exitCode()).isEqualTo(GpuKitCommand.FINDINGS);
      assertThat(simulate.err()).contains("huge.yaml:1:1").contains("larger than the limit");
    }

    @Test
    void duplicate_keys_in_a_named_file_are_a_located_finding(@TempDir Path dir) throws IOException {
      // given
      Path file = write(dir, "dup.yaml", "apiVersion: v1\nkind: Service\nkind: ConfigMap\n");

      // when
      Run run = gpukit("check", file);

      // then
      assertThat(run.exitCode()).isEqualTo(GpuKitCommand.FINDINGS);
      assertThat(run.out()).contains("dup.yaml:3:1").contains("duplicate key 'kind'");
    }
  }
}

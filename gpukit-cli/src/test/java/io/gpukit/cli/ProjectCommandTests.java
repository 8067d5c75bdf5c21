package io.gpukit.cli;

import static io.gpukit.cli.GpuKitCommandTests.gpukit;
import static io.gpukit.cli.GpuKitCommandTests.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpukit.cli.GpuKitCommandTests.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpukit check} on a folder: the project view, its cross-file rules and report. */
class ProjectCommandTests {

  static final String WORKFLOW =
      """
      on:
        push:
          branches: [main]
      jobs:
        gpu-test:
          runs-on: [self-hosted, gpu]
          timeout-minutes: 30
          steps:
            - run: docker build -t ghcr.io/acme/llm:${{ github.sha }} .
            - run: docker run --rm --gpus all ghcr.io/acme/llm:${{ github.sha }} java -jar /opt/gpukit/gpukit-probe.jar
        push:
          needs: [gpu-test]
          runs-on: [self-hosted, gpu]
          timeout-minutes: 30
          steps:
            - run: docker push ghcr.io/acme/llm:${{ github.sha }}
            - run: cosign sign --yes ghcr.io/acme/llm:${{ github.sha }}
          permissions: {contents: read, packages: write, id-token: write}
      permissions: {contents: read}
      """;

  static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: llm
      spec:
        replicas: 2
        revisionHistoryLimit: 5
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
                image: ghcr.io/acme/llm:1.4.2
                resources:
                  limits:
                    nvidia.com/gpu: 1
                readinessProbe:
                  exec:
                    command: [java, -jar, /opt/gpukit/gpukit-probe.jar, --mode, readiness]
                  timeoutSeconds: 2
                livenessProbe:
                  exec:
                    command: [java, -jar, /opt/gpukit/gpukit-probe.jar, --mode, liveness]
                  timeoutSeconds: 2
                  failureThreshold: 6
      """;

  /** A repository that breaks no rule, per file or across files. */
  static Path repository(Path repo) throws IOException {
    write(repo.resolve("Dockerfile"), GpuKitCommandTests.CLEAN);
    write(repo.resolve(".github/workflows/ci.yml"), WORKFLOW);
    write(repo.resolve("k8s/deployment.yaml"), DEPLOYMENT);
    return repo;
  }

  /** {@link #repository} whose Deployment runs another image than the workflow pushes (line 20). */
  static Path wrongImage(Path repo) throws IOException {
    repository(repo);
    write(repo.resolve("k8s/deployment.yaml"), DEPLOYMENT.replace("ghcr.io/acme/llm:", "ghcr.io/acme/llm-old:"));
    return repo;
  }

  @Nested
  class A_folder_is_a_project {

    @Test
    void a_sound_project_exits_0_with_no_violations(@TempDir Path repo) throws IOException {
      // when
      Run run = gpukit("check", repository(repo));

      // then
      assertThat(run.exitCode()).as(run.out()).isZero();
      assertThat(run.out()).isEqualTo("No violations. 3 files checked: 0 errors, 0 warnings, 0 info\n");
    }

    @Test
    void a_cross_file_error_exits_1_located_in_the_file_to_fix(@TempDir Path repo) throws IOException {
      // when
      Run run = gpukit("check", wrongImage(repo));

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out())
          .startsWith(repo.resolve("k8s/deployment.yaml") + ":20:11: error: Deployment/llm GPU container 'server' runs"
              + " 'ghcr.io/acme/llm-old', but the workflows push 'ghcr.io/acme/llm' ("
              + repo.resolve(".github/workflows/ci.yml") + ":16) [project/image-repository-pushed]\n"
              + "  hint: image: ghcr.io/acme/llm:1.4.2 (or push 'ghcr.io/acme/llm-old' in the workflow)\n")
          .endsWith("\n3 files checked: 1 error, 0 warnings, 0 info\n");
    }

    @Test
    void the_text_report_groups_by_file_and_ends_with_the_summary(@TempDir Path repo) throws IOException {
      // given: a cross-file error in the manifest, a per-file warning in the Dockerfile
      wrongImage(repo);
      write(repo.resolve("Dockerfile"), GpuKitCommandTests.NAMED_USER);

      // when
      Run run = gpukit("check", repo);

      // then
      List<String> blocks = List.of(run.out().split("\n\n"));
      assertThat(blocks).hasSize(3);
      assertThat(blocks.get(0)).startsWith(repo.resolve("Dockerfile") + ":7:1: warning: ");
      assertThat(blocks.get(1)).startsWith(repo.resolve("k8s/deployment.yaml") + ":20:11: error: ");
      assertThat(blocks.get(2)).isEqualTo("3 files checked: 1 error, 1 warning, 0 info\n");
    }

    @Test
    void a_cross_file_warning_fails_only_with_fail_on_warning(@TempDir Path repo) throws IOException {
      // given: the probes only ask the HTTP port, so Kubernetes never runs the GPU HEALTHCHECK
      repository(repo);
      write(repo.resolve("k8s/deployment.yaml"), DEPLOYMENT
          .replace("exec:\n              command: [java, -jar, /opt/gpukit/gpukit-probe.jar, --mode, readiness]",
              "httpGet: {path: /healthz, port: 8080}")
          .replace("exec:\n              command: [java, -jar, /opt/gpukit/gpukit-probe.jar, --mode, liveness]",
              "httpGet: {path: /healthz, port: 8080}"));

      // when
      Run byDefault = gpukit("check", repo);
      Run strict = gpukit("check", "--fail-on", "warning", repo);

      // then
      assertThat(byDefault.exitCode()).as(byDefault.out()).isZero();
      assertThat(byDefault.out()).contains(repo.resolve("Dockerfile") + ":8:1: warning: Kubernetes ignores this HEALTHCHECK");
      assertThat(strict.exitCode()).isEqualTo(1);
    }

    @Test
    void json_and_sarif_list_cross_file_violations_and_sarif_the_project_rules(@TempDir Path repo) throws IOException {
      // when
      Run json = gpukit("check", "--format", "json", wrongImage(repo));
      Run sarif = gpukit("check", "--format", "sarif", repo);

      // then
      assertThat(json.ruleIds()).containsExactly("project/image-repository-pushed");
      List<String> rules = new ArrayList<>();
      sarif.json().get("runs").get(0).get("tool").get("driver").get("rules").forEach(r -> rules.add(r.get("id").asText()));
      assertThat(rules).contains("project/image-repository-pushed", "project/gpu-ci-job", "dockerfile/final-stage-non-root");
    }

    @Test
    void a_folder_without_workflows_or_manifests_is_checked_for_what_it_has(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), GpuKitCommandTests.CLEAN);

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).isEqualTo("No violations. 1 file checked: 0 errors, 0 warnings, 0 info\n");
    }
  }

  @Nested
  class Files_named_on_the_command_line {

    @Test
    void are_checked_on_their_own(@TempDir Path repo) throws IOException {
      // when
      Run run = gpukit("check", wrongImage(repo).resolve("k8s/deployment.yaml"), repo.resolve("Dockerfile"));

      // then
      assertThat(run.exitCode()).as(run.out()).isZero();
      assertThat(run.out()).isEqualTo("No violations. 2 files checked: 0 errors, 0 warnings, 0 info\n");
    }

    @Test
    void do_not_call_project_rule_ids_in_the_configuration_unknown(@TempDir Path repo) throws IOException {
      // given
      wrongImage(repo);
      write(repo.resolve("gpukit.yaml"), "severity:\n  project/image-repository-pushed: warning\n  project/gpu-ci-jobs: off\n");

      // when
      Run run = gpukit("check", "--config", repo.resolve("gpukit.yaml"), repo.resolve("Dockerfile"));

      // then
      assertThat(run.out()).doesNotContain("'project/image-repository-pushed' names no gpukit rule")
          .contains("'project/gpu-ci-jobs' names no gpukit rule");
    }

    @Test
    void and_a_folder_beside_them_is_still_a_project(@TempDir Path repo) throws IOException {
      // given
      wrongImage(repo.resolve("svc"));
      write(repo.resolve("other/Dockerfile"), GpuKitCommandTests.UNPINNED);

      // when
      Run run = gpukit("check", "--format", "json", repo.resolve("svc"), repo.resolve("other/Dockerfile"));

      // then
      assertThat(run.ruleIds()).containsExactlyInAnyOrder("project/image-repository-pushed", "dockerfile/base-image-pinned");
      assertThat(run.exitCode()).isEqualTo(1);
    }
  }

  @Nested
  class Configuration_and_baselines {

    @Test
    void a_severity_override_applies_to_a_project_rule(@TempDir Path repo) throws IOException {
      // given
      wrongImage(repo);
      write(repo.resolve("gpukit.yaml"), "severity:\n  project/image-repository-pushed: warning\n");

      // when
      Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isZero();
      JsonNode v = run.json().get("violations").get(0);
      assertThat(v.get("ruleId").asText()).isEqualTo("project/image-repository-pushed");
      assertThat(v.get("severity").asText()).isEqualTo("warning");
      assertThat(run.ruleIds()).doesNotContain("gpukit/unknown-rule");
    }

    @Test
    void a_baseline_covers_cross_file_violations(@TempDir Path repo) throws IOException {
      // given
      wrongImage(repo);
      Path baseline = repo.resolve("gpukit-baseline.txt");
      Run written = gpukit("check", "--write-baseline", baseline, repo);

      // when
      Run run = gpukit("check", "--baseline", baseline, repo);

      // then
      assertThat(written.exitCode()).isZero();
      assertThat(Files.readString(baseline)).contains("[project/image-repository-pushed]");
      assertThat(run.exitCode()).as(run.out()).isZero();
      assertThat(run.out()).startsWith("No violations. 3 files checked").contains("(1 in baseline)");
    }

    @Test
    void an_inline_ignore_in_the_manifest_silences_a_cross_file_violation(@TempDir Path repo) throws IOException {
      // given
      repository(repo);
      write(repo.resolve("k8s/deployment.yaml"), DEPLOYMENT.replace("image: ghcr.io/acme/llm:1.4.2",
          "image: ghcr.io/acme/llm-old:1.4.2 # gpukit:ignore project/image-repository-pushed -- moved next sprint"));

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).isEqualTo("No violations. 3 files checked: 0 errors, 0 warnings, 0 info (1 suppressed)\n");
    }
  }

  @Nested
  class Rules_and_explain {

    @Test
    void rules_lists_the_project_rules(@TempDir Path repo) {
      // when
      Run run = gpukit("rules");

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out().lines().filter(l -> l.startsWith("project/")))
          .extracting(l -> l.split("\\s+")[0])
          .containsExactly("project/configured-paths-exist", "project/device-claim-exists", "project/gpu-ci-job",
              "project/healthcheck-ignored-by-kubernetes",
              "project/image-repository-pushed", "project/probe-files-in-image", "project/probe-matches-healthcheck",
              "project/promotion-tag-pushed",
              "project/rollback-target-exists", "project/workflow-run-gpu-test");
    }

    @Test
    void explain_explains_a_project_rule_and_suggests_a_misspelt_one() {
      // when
      Run run = gpukit("explain", "project/healthcheck-ignored-by-kubernetes");
      Run misspelt = gpukit("explain", "project/healthcheck-ignored");

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).startsWith("project/healthcheck-ignored-by-kubernetes (warning)\n")
          .contains("kubernetes#50796").contains("Fails:").contains("Fixed:");
      assertThat(misspelt.exitCode()).isEqualTo(2);
      assertThat(misspelt.err()).contains("did you mean 'project/healthcheck-ignored-by-kubernetes'?");
    }
  }

  @Test
  void the_timing_property_prints_the_cpu_time_to_standard_error(@TempDir Path repo) throws IOException {
    // given
    String before = System.getProperty(CheckCommand.TIMING_PROPERTY);
    System.setProperty(CheckCommand.TIMING_PROPERTY, "true");
    try {
      // when
      Run run = gpukit("check", repository(repo));

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.err()).matches("gpukit: the check took (\\d+ ms of process CPU time, )?\\d+ ms of CPU time on its thread\\R");
    } finally {
      if (before == null) {
        System.clearProperty(CheckCommand.TIMING_PROPERTY);
      } else {
        System.setProperty(CheckCommand.TIMING_PROPERTY, before);
      }
    }
  }
}

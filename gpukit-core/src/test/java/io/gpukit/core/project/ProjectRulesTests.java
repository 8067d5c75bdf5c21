package io.gpukit.core.project;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cross-file rules one by one, on the complete repository with one thing changed. */
class ProjectRulesTests {

  private static final String CI = ".github/workflows/ci.yml";
  private static final String DEPLOYMENT = "k8s/deployment.yaml";
  private static final String PROBE_STEP =
      "      - run: docker run --rm --gpus all \"$IMAGE:${{ github.sha }}\" java -jar /opt/gpukit/gpukit-probe.jar --mode deep\n";

  @Nested
  class Image_repository_pushed {

    private static final String RULE = ProjectRules.IMAGE_REPOSITORY_PUSHED.id();

    @Test
    void docker_hub_spellings_of_the_same_repository_agree(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .replace(CI, "IMAGE: ghcr.io/acme/llm", "IMAGE: docker.io/acme/llm")
          .replace(DEPLOYMENT, "image: ghcr.io/acme/llm:", "image: acme/llm:");

      // then
      assertThat(repo.scan()).hasNoViolations();
    }

    @Test
    void a_repository_the_workflow_cannot_know_matches_any(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .replace(CI, "IMAGE: ghcr.io/acme/llm", "IMAGE: ghcr.io/${{ github.repository }}")
          .replace(DEPLOYMENT, "image: ghcr.io/acme/llm:", "image: ghcr.io/acme/llm-server:");

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void the_registry_counts(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .replace(DEPLOYMENT, "image: ghcr.io/acme/llm:", "image: registry.example.com/acme/llm:");

      // then
      assertThat(repo.scan()).hasViolation(RULE).atLine(28)
          .withMessageContaining("runs 'registry.example.com/acme/llm', but the workflows push 'ghcr.io/acme/llm'");
    }

    @Test
    void a_vendor_image_of_another_namespace_and_name_is_not_judged(@TempDir Path folder) {
      // given
      TestRepository vendor = TestRepository.complete(folder)
          .replace(DEPLOYMENT, "image: ghcr.io/acme/llm:", "image: nvcr.io/nvidia/tritonserver:");

      // then
      assertThat(vendor.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void a_templated_image_or_a_kustomization_is_given_the_benefit_of_the_doubt(@TempDir Path folder) {
      // given
      TestRepository templated = TestRepository.complete(folder.resolve("templated"))
          .replace(DEPLOYMENT, "image: ghcr.io/acme/llm:3f786850e387550fdab836ed7e6dc881de23001b", "image: ${IMAGE}");
      TestRepository kustomized = TestRepository.complete(folder.resolve("kustomized"))
          .replace(DEPLOYMENT, "image: ghcr.io/acme/llm:", "image: llm:")
          .with("k8s/kustomization.yaml", "resources: [deployment.yaml]\nimages:\n  - {name: llm, newName: ghcr.io/acme/llm}\n");

      // then
      assertThat(templated.scan()).doesNotHaveViolation(RULE);
      assertThat(kustomized.scan()).doesNotHaveViolation(RULE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ko://github.com/acme/llm/cmd/server", "REGISTRY/acme/llm-server:1.0",
        "ghcr.io/acme/llm-server:IMAGE_TAG", "<your-registry>/llm-server:1.0"})
    void an_image_that_is_a_placeholder_is_given_the_benefit_of_the_doubt(String image, @TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .replace(DEPLOYMENT, "image: ghcr.io/acme/llm:3f786850e387550fdab836ed7e6dc881de23001b", "image: " + image);

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void a_real_tag_in_capitals_is_no_placeholder(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .replace(DEPLOYMENT, "image: ghcr.io/acme/llm:3f786850e387550fdab836ed7e6dc881de23001b",
              "image: registry.example.com/acme/llm:A100_80GB");

      // then
      assertThat(repo.scan()).hasViolation(RULE).atLine(28);
    }

    @Test
    void a_push_gpukit_cannot_read_stops_the_comparison(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .replace(CI, "      - run: docker push \"$IMAGE:${{ github.sha }}\"\n",
              "      - run: docker push \"$IMAGE:${{ github.sha }}\"\n      - run: ./mvnw -B jib:build\n")
          .replace(DEPLOYMENT, "image: ghcr.io/acme/llm:", "image: ghcr.io/acme/llm-server:");

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void a_workload_without_a_gpu_is_not_judged(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder).with("k8s/redis.yaml", """
          apiVersion: apps/v1
          kind: StatefulSet
          metadata: {name: redis}
          spec:
            template:
              spec:
                securityContext: {runAsNonRoot: true}
                containers:
                  - name: redis
                    image: redis:7.4.1
          """);

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }
  }

  @Nested
  class Probe_files_in_image {

    private static final String RULE = ProjectRules.PROBE_FILES_IN_IMAGE.id();
    private static final String READINESS = "command: [java, -jar, /opt/gpukit/gpukit-probe.jar, --mode, readiness]";
    private static final String COPY = "COPY --from=build /src/target/lib/gpukit-probe.jar /opt/gpukit/gpukit-probe.jar";
    private static final String AGENT_READINESS = "command: [java, -agentpath:/opt/gpukit/natives/libgpukitprobe.so,"
        + " -jar, /opt/gpukit/gpukit-probe.jar, --mode, readiness]";
    private static final String TRAINING = COPY + "\nRUN java -Dorg.bytedeco.javacpp.cachedir=/opt/gpukit/natives"
        + " -jar /opt/gpukit/gpukit-probe.jar --cds-training";

    @Test
    void a_probe_jar_the_image_does_not_have_is_reported_at_the_probe_with_the_path_it_has(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder).replace(DEPLOYMENT, READINESS,
          "command: [java, -jar, /opt/probe/gpukit-probe.jar, --mode, readiness]");

      // then
      assertThat(repo.scan()).hasViolation(RULE).atLine(33)
          .withMessageContaining("the readinessProbe runs the probe from /opt/probe/gpukit-probe.jar, which")
          .withMessageContaining("copies the probe to /opt/gpukit/gpukit-probe.jar): the JVM cannot start it (exit 1)");
      assertThat(repo.scan().report().violationsOf(RULE)).singleElement()
          .satisfies(v -> assertThat(v.hint()).isEqualTo("-jar /opt/gpukit/gpukit-probe.jar"));
    }

    @Test
    void an_agent_library_no_run_makes_is_reported_with_the_training_line(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder).replace(DEPLOYMENT, READINESS, AGENT_READINESS);

      // then
      assertThat(repo.scan()).hasViolation(RULE).atLine(33)
          .withMessageContaining("loads the JVM agent /opt/gpukit/natives/libgpukitprobe.so, which")
          .withMessageContaining("the JVM refuses to start without its agent (exit 1)");
      assertThat(repo.scan().report().violationsOf(RULE)).singleElement().satisfies(v -> assertThat(v.hint())
          .startsWith("RUN java -Dorg.bytedeco.javacpp.cachedir=/opt/gpukit/natives -jar /opt/gpukit/gpukit-probe.jar --cds-training"));
    }

    @Test
    void an_agent_library_the_training_makes_is_there(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder).replace(DEPLOYMENT, READINESS, AGENT_READINESS)
          .replace("Dockerfile", COPY, TRAINING);

      // then
      assertThat(repo.scan()).hasNoViolations();
    }

    @Test
    void a_healthcheck_is_judged_against_its_own_image(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder).replace("Dockerfile", COPY,
          "COPY --from=build /src/target/lib/gpukit-probe.jar /opt/probe/gpukit-probe.jar");

      // then the HEALTHCHECK and both probes still name /opt/gpukit/gpukit-probe.jar
      assertThat(repo.scan().report().violationsOf(RULE)).extracting(v -> v.location().line()).containsExactly(27, 33, 38);
    }

    @Test
    void relative_destinations_follow_the_workdir_and_folders_hold_what_is_under_them(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder).replace("Dockerfile", COPY,
          "WORKDIR /opt\nCOPY --from=build /src/target/lib/gpukit-probe.jar gpukit/\nCOPY natives/ ./gpukit/natives/")
          .replace(DEPLOYMENT, READINESS, AGENT_READINESS);

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void destinations_and_training_folders_with_variables_get_the_benefit_of_the_doubt(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder).replace("Dockerfile", COPY,
          "ARG APP=/opt/gpukit\nCOPY --from=build /src/target/lib/gpukit-probe.jar ${APP}/gpukit-probe.jar\n"
              + "RUN java -Dorg.bytedeco.javacpp.cachedir=${APP}/natives -jar ${APP}/gpukit-probe.jar --cds-training")
          .replace(DEPLOYMENT, READINESS, AGENT_READINESS);

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void reads_workdirs_down_the_stages_quotes_heredocs_relative_and_env_cachedirs(@TempDir Path folder) {
      for (String dockerfile : java.util.List.of(
          "WORKDIR \"/opt/gpukit\"\nCOPY --from=build /src/target/lib/gpukit-probe.jar \"gpukit-probe.jar\"\n"
              + "RUN <<EOT\njava -Dorg.bytedeco.javacpp.cachedir=/opt/gpukit/natives -jar gpukit-probe.jar --cds-training\nEOT",
          "WORKDIR /opt/gpukit\nCOPY --from=build /src/target/lib/gpukit-probe.jar .\n"
              + "RUN java -Dorg.bytedeco.javacpp.cachedir=natives -jar gpukit-probe.jar --cds-training",
          "COPY --from=build /src/target/lib/gpukit-probe.jar /opt/gpukit/\n"
              + "ENV JAVA_TOOL_OPTIONS=\"-Dorg.bytedeco.javacpp.cachedir=/opt/gpukit/natives\"\n"
              + "RUN java -jar /opt/gpukit/gpukit-probe.jar --cds-training")) {
        // given
        TestRepository repo = TestRepository.complete(folder.resolve("repo-" + dockerfile.hashCode()))
            .replace("Dockerfile", COPY, dockerfile).replace(DEPLOYMENT, READINESS, AGENT_READINESS);

        // then
        assertThat(repo.scan()).as(dockerfile).doesNotHaveViolation(RULE);
      }
    }

    @Test
    void a_workdir_holds_in_the_stages_built_on_it(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder).replace("Dockerfile", "FROM ${RUNTIME_IMAGE}\n",
          "FROM ${RUNTIME_IMAGE} AS runtime\nWORKDIR /opt/gpukit\nFROM runtime\n").replace("Dockerfile", COPY,
          "COPY --from=build /src/target/lib/gpukit-probe.jar ./");

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void a_jar_copied_into_a_folder_provides_that_jar_and_not_a_misspelt_neighbour(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder).replace("Dockerfile", COPY,
          "COPY --from=build /src/target/lib/gpukit-probe.jar /opt/gpukit/\nCOPY app.jar ${APP_HOME}/service.jar")
          .replace(DEPLOYMENT, READINESS, "command: [timeout, \"5\", java, --add-opens, java.base/java.lang=ALL-UNNAMED,"
              + " -agentpath:/opt/gpukit/natvies/libgpukitprobe.so, -jar, /opt/gpukit/gpukit-probe.jar]");

      // then the jar is there, the agent is not
      assertThat(repo.scan()).hasViolation(RULE).atLine(33)
          .withMessageContaining("loads the JVM agent /opt/gpukit/natvies/libgpukitprobe.so");
      assertThat(repo.scan().report().violationsOf(RULE)).hasSize(1);
    }

    @Test
    void manifests_are_not_judged_while_a_gpu_image_gets_the_probe_where_it_cannot_be_seen(@TempDir Path folder) {
      // given the service's image copies a folder in whole; a test image copies the jar elsewhere
      TestRepository repo = TestRepository.complete(folder).replace("Dockerfile", COPY,
          "COPY --from=build /src/target/dist/ /opt/gpukit/")
          .with("src/test/resources/gpu/Dockerfile", "FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04\n"
              + "COPY gpukit-probe.jar /test/gpukit-probe.jar\nUSER 10001\n"
              + "HEALTHCHECK CMD [\"java\", \"-jar\", \"/test/gpukit-probe.jar\"]\n")
          .replace(DEPLOYMENT, READINESS, AGENT_READINESS);

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void an_image_that_does_not_copy_the_probe_in_is_not_judged(@TempDir Path folder) {
      // given the probe comes with the base image, which cannot be seen
      TestRepository repo = TestRepository.complete(folder).replace("Dockerfile", COPY, "")
          .replace(DEPLOYMENT, READINESS, AGENT_READINESS);

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void relative_paths_variables_and_other_programs_are_left_alone(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder).replace(DEPLOYMENT, READINESS,
          "command: [sh, -c, \"exec java -agentpath:$NATIVES/libgpukitprobe.so -jar gpukit-probe.jar --mode readiness\"]");

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void reads_the_jar_from_a_shell_line_and_the_class_path() {
      // when
      var shell = ProbeFiles.needed(java.util.List.of("sh", "-c",
          "cd /tmp && exec java -agentpath:/opt/n/libgpukitprobe.so=x -jar /opt/p/gpukit-probe-0.1.0.jar --json"));
      var classPath = ProbeFiles.needed(java.util.List.of("java", "-cp", "/opt/a.jar:/opt/p/gpukit-probe.jar",
          "io.gpukit.probe.GpuProbe"));
      var other = ProbeFiles.needed(java.util.List.of("java", "-jar", "/app/service.jar"));

      // then
      assertThat(shell).containsExactly(new ProbeFiles.Needed(ProbeFiles.AGENT, "/opt/n/libgpukitprobe.so"),
          new ProbeFiles.Needed(ProbeFiles.JAR, "/opt/p/gpukit-probe-0.1.0.jar"));
      assertThat(classPath).containsExactly(new ProbeFiles.Needed(ProbeFiles.JAR, "/opt/p/gpukit-probe.jar"));
      assertThat(other).isEmpty();
    }
  }

  @Nested
  class Probe_matches_healthcheck {

    private static final String RULE = ProjectRules.PROBE_MATCHES_HEALTHCHECK.id();

    @Test
    void a_liveness_probe_that_runs_another_program_is_reported_where_it_is(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder).replace(DEPLOYMENT,
          "command: [java, -jar, /opt/gpukit/gpukit-probe.jar, --mode, liveness]", "command: [/opt/bin/gpu-ready]");

      // then
      assertThat(repo.scan()).hasViolation(RULE).atLine(38)
          .withMessageContaining("the livenessProbe runs 'gpu-ready' but the HEALTHCHECK of")
          .singleElement().extracting(Violation::hint)
          .isEqualTo("exec: {command: [java, -jar, /opt/gpukit/gpukit-probe.jar, --mode, liveness]}");
    }

    @Test
    void modes_thresholds_and_paths_may_differ(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder).replace(DEPLOYMENT,
          "command: [java, -jar, /opt/gpukit/gpukit-probe.jar, --mode, liveness]",
          "command: [java, -Xmx64m, -jar, /probe/gpukit-probe-0.1.0.jar, --mode, deep, --timeout-ms, \"4000\"]");

      // then the same probe (that the image has no /probe/gpukit-probe-0.1.0.jar is another rule's business)
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void the_hint_is_the_healthcheck_as_an_exec_command_yaml_reads_back_as_strings() {
      // given
      var exec = io.gpukit.core.dockerfile.Dockerfile.parse(Path.of("Dockerfile"), "FROM scratch\nHEALTHCHECK CMD"
          + " [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\", \"--timeout-ms\", \"4000\", \"--mode\", \"liveness\"]\n");
      var shell = io.gpukit.core.dockerfile.Dockerfile.parse(Path.of("Dockerfile"),
          "FROM scratch\nHEALTHCHECK CMD python3 /app/smoke_test.py || exit 1\n");

      // then
      assertThat(ProjectRules.execCommand(exec.finalStage().healthcheck().get(), "readiness"))
          .isEqualTo("[java, -jar, /opt/gpukit/gpukit-probe.jar, --timeout-ms, \"4000\", --mode, readiness]");
      assertThat(ProjectRules.execCommand(shell.finalStage().healthcheck().get(), "readiness"))
          .isEqualTo("[sh, -c, \"python3 /app/smoke_test.py || exit 1\"]");
    }

    @Test
    void a_healthcheck_that_is_not_a_gpu_probe_sets_no_expectation(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .replace("Dockerfile", "CMD [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\", \"--mode\", \"liveness\"]",
              "CMD [\"curl\", \"-f\", \"http://localhost:8080/healthz\"]")
          .replace(DEPLOYMENT, "command: [java, -jar, /opt/gpukit/gpukit-probe.jar, --mode, liveness]",
              "command: [python3, /app/smoke_test.py]");

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE).hasViolation("dockerfile/final-stage-healthcheck");
    }
  }

  @Nested
  class Gpu_ci_job {

    private static final String RULE = ProjectRules.GPU_CI_JOB.id();

    @Test
    void the_gpu_test_suite_on_a_gpu_runner_counts_unless_it_excludes_the_gpu_tests(@TempDir Path folder) {
      // given
      TestRepository suite = TestRepository.complete(folder.resolve("suite"))
          .replace(CI, PROBE_STEP, "      - run: ./mvnw -B verify\n");
      TestRepository excluded = TestRepository.complete(folder.resolve("excluded"))
          .replace(CI, PROBE_STEP, "      - run: docker run --gpus all app:ci true && ./mvnw -B verify -DexcludedGroups=gpu\n");

      // then
      assertThat(suite.scan()).doesNotHaveViolation(RULE);
      assertThat(excluded.scan()).hasViolation(RULE).atLine(10);
    }

    @Test
    void the_image_run_with_a_gpu_that_computes_counts_but_nvidia_smi_alone_does_not(@TempDir Path folder) {
      // given
      TestRepository computes = TestRepository.complete(folder.resolve("computes"))
          .replace(CI, PROBE_STEP, "      - run: docker run --rm --gpus all --entrypoint python3 \"$IMAGE:${{ github.sha }}\""
              + " -c \"import torch; assert torch.cuda.is_available()\"\n");
      TestRepository answers = TestRepository.complete(folder.resolve("answers"))
          .replace(CI, PROBE_STEP, "      - run: docker run --rm --gpus all \"$IMAGE:${{ github.sha }}\" nvidia-smi -L\n");
      TestRepository twoGpus = TestRepository.complete(folder.resolve("two"))
          .replace(CI, PROBE_STEP, "      - run: docker run --rm --gpus 0,1 \"$IMAGE:${{ github.sha }}\" python3 /app/train_check.py\n");
      TestRepository noGpu = TestRepository.complete(folder.resolve("none"))
          .replace(CI, PROBE_STEP, "      - run: docker run --rm --gpus 0 \"$IMAGE:${{ github.sha }}\" python3 /app/train_check.py\n");

      // then
      assertThat(computes.scan()).doesNotHaveViolation(RULE);
      assertThat(answers.scan()).hasViolation(RULE);
      assertThat(twoGpus.scan()).doesNotHaveViolation(RULE);
      assertThat(noGpu.scan().violations()).as("--gpus 0 attaches no GPU: the image is never tested on one")
          .extracting(Violation::ruleId).containsAnyOf(RULE, "workflow/gpu-test-job");
    }

    @Test
    void a_rocm_image_is_told_to_run_its_own_smoke_test_not_the_nvidia_probe(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.empty(folder)
          .with("Dockerfile", "FROM rocm/pytorch:rocm6.2_ubuntu22.04_py3.10_pytorch_release_2.3.0\nUSER 10001\n"
              + "EXPOSE 8000\nENTRYPOINT [\"python3\", \"-m\", \"server\"]\n")
          .with(".github/workflows/ci.yml", "on:\n  push:\n    branches: [main]\njobs:\n  build:\n"
              + "    runs-on: ubuntu-24.04\n    steps:\n      - run: docker build -t ghcr.io/acme/llm:${{ github.sha }} .\n"
              + "  rocm:\n    needs: [build]\n    runs-on: [self-hosted, mi300x]\n    timeout-minutes: 20\n"
              + "    steps:\n      - run: rocm-smi --showproductname\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project.violations()).filteredOn(v -> v.ruleId().equals(RULE)).singleElement()
          .satisfies(v -> assertThat(v.hint()).contains("[self-hosted, rocm]", "gpukit-probe needs NVIDIA"));
    }

    @Test
    void the_probe_run_on_a_github_hosted_runner_does_not_count(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .replace(CI, PROBE_STEP, "      - run: docker run --rm --gpus all \"$IMAGE:${{ github.sha }}\" nvidia-smi\n")
          .replace(CI, "  push:\n", "  smoke:\n    runs-on: ubuntu-24.04\n    steps:\n"
              + "      - run: docker run --rm \"$IMAGE:${{ github.sha }}\" java -jar /opt/gpukit/gpukit-probe.jar\n  push:\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project).hasViolation(RULE)
          .withMessageContaining("no job on a GPU runner runs the HEALTHCHECK's probe 'gpukit-probe'");
    }

    @Test
    void a_reusable_workflow_of_another_repository_is_given_the_benefit_of_the_doubt(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .replace(CI, PROBE_STEP, "      - run: nvidia-smi\n")
          .replace(CI, "  push:\n", "  gpu-suite:\n    uses: acme/ci/.github/workflows/gpu.yml@v1\n  push:\n");

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void workflows_that_never_build_are_told_at_the_first_workflow(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .without(CI)
          .with(".github/workflows/lint.yml", "on: [pull_request]\njobs:\n  lint:\n    runs-on: ubuntu-24.04\n"
              + "    steps:\n      - run: hadolint Dockerfile\n");

      // when
      GpuProject project = repo.scan();

      // then
      assertThat(project).hasViolation(RULE).atLine(2);
      assertThat(project.report().violationsOf(RULE)).singleElement()
          .satisfies(v -> assertThat(v.location().file()).isEqualTo(repo.path(".github/workflows/lint.yml")));
    }

    @Test
    void a_build_without_any_gpu_job_is_left_to_the_workflow_rule(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .replace(CI, PROBE_STEP, "      - run: ./mvnw -B verify -DskipTests\n");

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE).hasViolation("workflow/gpu-test-job");
    }
  }

  @Nested
  class Healthcheck_ignored_by_kubernetes {

    private static final String RULE = ProjectRules.HEALTHCHECK_IGNORED_BY_KUBERNETES.id();

    @Test
    void a_gpu_backed_http_path_listed_in_gpukit_yaml_counts(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.copyOf("err/healthcheck-ignored", folder)
          .with("gpukit.yaml", "gpu:\n  probe-paths: [\"^/healthz$\"]\n");

      // then
      assertThat(repo.scan()).hasNoViolations();
    }

    @Test
    void is_a_warning_at_the_healthcheck(@TempDir Path folder) {
      // when
      GpuProject project = TestRepository.copyOf("err/healthcheck-ignored", folder).scan();

      // then
      assertThat(project.report().violationsOf(RULE)).singleElement().satisfies(v -> {
        assertThat(v.severity()).isEqualTo(Severity.WARNING);
        assertThat(v.location().file()).isEqualTo(folder.resolve("Dockerfile"));
        assertThat(v.message()).contains("kubernetes#50796");
      });
      assertThat(project).passesCheck();
    }
  }

  @Nested
  class Promotion_tag_pushed {

    private static final String RULE = ProjectRules.PROMOTION_TAG_PUSHED.id();

    @Test
    void release_tags_from_the_git_ref_are_tried(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .replace(CI, "docker push \"$IMAGE:${{ github.sha }}\"",
              "docker tag \"$IMAGE:${{ github.sha }}\" \"$IMAGE:${{ github.ref_name }}\"\n"
                  + "      - run: docker push \"$IMAGE:${{ github.ref_name }}\"")
          .replace("promotion.yaml", "\"[0-9a-f]{40}\"", "'v\\d+\\.\\d+\\.\\d+'")
          .replace(DEPLOYMENT, "llm:3f786850e387550fdab836ed7e6dc881de23001b", "llm:v1.4.2");

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void a_tag_that_cannot_be_known_stops_the_comparison(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .replace(CI, "docker push \"$IMAGE:${{ github.sha }}\"", "docker push \"$IMAGE:${{ inputs.tag }}\"")
          .replace("promotion.yaml", "\"[0-9a-f]{40}\"", "\"release-[0-9]+\"");

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void the_hint_is_a_pattern_for_the_pushed_tags() {
      assertThat(ProjectRules.patternFor(PushedImage.SHA)).isEqualTo("[0-9a-f]{40}");
      assertThat(ProjectRules.patternFor("sha-" + PushedImage.SHA.substring(0, 7))).isEqualTo("sha-[0-9a-f]{7}");
      assertThat(ProjectRules.patternFor("v1.2.3-cuda12.4")).isEqualTo("v\\d+\\.\\d+\\.\\d+-cuda12\\.4");
      assertThat(ProjectRules.patternFor("build-42")).isEqualTo("build-\\d+");
    }
  }

  @Nested
  class Rollback_target_exists {

    private static final String RULE = ProjectRules.ROLLBACK_TARGET_EXISTS.id();

    @Test
    void a_namespace_the_manifests_do_not_use_is_reported_when_the_workload_has_none(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder)
          .replace(DEPLOYMENT, "  namespace: llm-prod\n", "")
          .with("k8s/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: llm-prod}\n")
          .replace("ROLLBACK.md", "status deployment/llm -n llm-prod", "status deployment/llm -n llm-staging");

      // then
      assertThat(repo.scan()).hasViolation(RULE).atLine(8)
          .withMessageContaining("looks in namespace 'llm-staging', which the manifests do not use (they use 'llm-prod')");
    }

    @Test
    void a_command_that_names_no_resource_or_another_kind_is_not_judged(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.complete(folder).replace("ROLLBACK.md",
          "kubectl rollout status deployment/llm -n llm-prod --timeout=10m",
          "kubectl rollout status deployment/llm -n llm-prod --timeout=10m\nkubectl rollout status -l app=llm -n ml"
              + "\nkubectl rollout status replicaset/other");

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void helm_templates_are_given_the_benefit_of_the_doubt(@TempDir Path folder) {
      // given
      TestRepository repo = TestRepository.copyOf("err/rollback-target", folder)
          .with("chart/templates/other.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
              + "  name: {{ .Release.Name }}\n");

      // then
      assertThat(repo.scan()).doesNotHaveViolation(RULE);
    }

    @Test
    void the_hint_keeps_the_other_flags() {
      var command = io.gpukit.core.promotion.RollbackCommand.of(
          "kubectl rollout undo deploy/inference --to-revision=3 --namespace=ml",
          io.gpukit.core.source.SourceLocation.of(Path.of("ROLLBACK.md"), 3));

      assertThat(ProjectRules.renamed(command.text(), command.kubectl().get(), "llm", java.util.Optional.of("llm-prod")))
          .isEqualTo("kubectl rollout undo deploy/llm --to-revision=3 --namespace=llm-prod");
    }
  }
}

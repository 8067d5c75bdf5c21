package io.gpukit.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.GpuEvidence.Strength;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.workflow.JobTraits.Evidence;
import io.gpukit.core.workflow.JobTraits.RunnerKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobTraitsTests {

  private static final GpuKitConfig DEFAULTS = GpuKitConfig.defaults();

  private static Job job(String jobBody) {
    String text = "on: push\njobs:\n  test:\n" + jobBody.indent(4);
    return Workflow.parse(Path.of("ci.yml"), text).job("test").orElseThrow();
  }

  private static Job running(String command) {
    return job("runs-on: [self-hosted, gpu]\nsteps:\n  - run: " + command);
  }

  private static Optional<Evidence> gpuUse(Job job) {
    return JobTraits.gpuUse(job, DEFAULTS);
  }

  @Nested
  class Strong_evidence {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
        strings = {
          "docker run --rm --gpus all ghcr.io/acme/llm:ci python3 -m pytest",
          "docker run --runtime=nvidia ghcr.io/acme/llm:ci",
          "podman run --device nvidia.com/gpu=all ghcr.io/acme/llm:ci",
          "nvidia-smi -L",
          "rocm-smi --showproductname",
          "docker run --device /dev/kfd --device /dev/dri ghcr.io/acme/llm:rocm",
          "CUDA_VISIBLE_DEVICES=0,1 pytest -x tests/distributed",
          "HIP_VISIBLE_DEVICES=0 python3 benchmarks/latency.py",
          "export ROCR_VISIBLE_DEVICES=3",
          "vllm serve facebook/opt-125m --gpu-memory-utilization 0.7",
          "java -jar /opt/gpukit/gpukit-probe.jar --mode readiness",
          "test -f gpukit-probe.jar && java -jar gpukit-probe.jar",
          "docker run --rm --gpus all app:ci java -jar /opt/gpukit/gpukit-probe.jar",
          "sudo PROBE_MODE=deep java -jar ${PROBE_DIR}/gpukit-probe.jar",
          "./mvnw -B verify -Dgroups=gpu",
        })
    void decides_alone(String command) {
      assertThat(gpuUse(running(command))).hasValueSatisfying(e -> assertThat(e.isStrong()).isTrue());
    }

    @Test
    void is_found_in_the_env_of_a_step_or_of_the_job() {
      // given
      Job stepEnv = job("runs-on: self-hosted\nsteps:\n  - run: pytest -x tests/\n    env:\n      CUDA_VISIBLE_DEVICES: \"0\"");
      Job jobEnv = job("runs-on: self-hosted\nenv:\n  HIP_VISIBLE_DEVICES: 0,1\nsteps:\n  - run: pytest -x tests/");

      // then
      assertThat(gpuUse(stepEnv)).hasValueSatisfying(e -> {
        assertThat(e.text()).isEqualTo("env CUDA_VISIBLE_DEVICES=0");
        assertThat(e.isStrong()).isTrue();
      });
      assertThat(gpuUse(jobEnv)).map(Evidence::text).contains("env HIP_VISIBLE_DEVICES=0,1");
    }

    @Test
    void is_a_cuda_or_rocm_runtime_image_as_the_job_container() {
      assertThat(gpuUse(job("runs-on: self-hosted\ncontainer: nvidia/cuda:12.8.1-runtime-ubuntu24.04\nsteps:\n  - run: make")))
          .hasValueSatisfying(e -> assertThat(e.isStrong()).isTrue());
      assertThat(gpuUse(job("runs-on: self-hosted\ncontainer: rocm/pytorch:rocm6.4_ubuntu24.04_py3.12\nsteps:\n  - run: make")))
          .hasValueSatisfying(e -> assertThat(e.isStrong()).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nvidia/cuda:12.4.1-runtime-ubuntu22.04", "nvcr.io/nvidia/cuda:12.4.1-base-ubuntu22.04",
        "rocm/pytorch:rocm6.2_ubuntu22.04_py3.10_pytorch_release_2.3.0"})
    void is_a_gpu_vendors_runtime_image_as_the_job_container(String image) {
      assertThat(gpuUse(job("runs-on: self-hosted\ncontainer: " + image + "\nsteps:\n  - run: make")))
          .hasValueSatisfying(e -> assertThat(e.isStrong()).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime", "nvcr.io/nvidia/pytorch:24.08-py3",
        "ghcr.io/acme/cuda-runner:12.4", "pytorch/pytorch:latest"})
    void is_only_a_hint_for_a_framework_image_whose_cpu_paths_run_tests_on_hosted_runners(String image) {
      assertThat(gpuUse(job("runs-on: ubuntu-latest\ncontainer: " + image + "\nsteps:\n  - run: pytest tests/unit")))
          .hasValueSatisfying(e -> assertThat(e.isStrong()).isFalse());
    }

    @Test
    void is_a_probe_command_declared_in_gpukit_yaml(@TempDir Path dir) throws IOException {
      // given
      Files.writeString(dir.resolve("gpukit.yaml"), "gpu:\n  probe-commands: ['^\\./scripts/rocm-smoke\\b']\n");
      GpuKitConfig config = GpuKitConfig.load(dir.resolve("gpukit.yaml"));

      // when
      Optional<Evidence> use = JobTraits.gpuUse(running("./scripts/rocm-smoke --quick"), config);

      // then
      assertThat(use).hasValueSatisfying(e -> assertThat(e.isStrong()).isTrue());
    }

    @Test
    void wins_over_weak_evidence_found_earlier() {
      // given
      Job job = job("runs-on: self-hosted\nsteps:\n  - run: pytest tests/test_cuda_toolkit.py\n  - run: nvidia-smi");

      // then
      assertThat(gpuUse(job)).map(Evidence::text).contains("'nvidia-smi'");
    }
  }

  @Nested
  class Weak_evidence {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
        strings = {
          "python test_cuda_toolkit.py",
          "pytest tests/test_gpu.py",
          "./gradlew test --tests '*GpuIT'",
          "command -v nvidia-smi && nvidia-smi",
          "nvidia-smi || echo 'no GPU on this runner'",
          "CUDA_VISIBLE_DEVICES=$GPU_ID pytest tests/",
        })
    void only_hints(String command) {
      assertThat(gpuUse(running(command))).hasValueSatisfying(e -> assertThat(e.strength()).isEqualTo(Strength.WEAK));
    }

    @Test
    void is_a_gpu_tool_the_script_tests_for_before_it_runs_it() {
      // given
      Job job = job(
          """
          runs-on: ubuntu-latest
          steps:
            - run: |
                if [ -x "$(command -v nvidia-smi)" ]; then
                  nvidia-smi --query-gpu=name --format=csv
                fi
          """);

      // then
      assertThat(gpuUse(job)).hasValueSatisfying(e -> assertThat(e.isStrong()).isFalse());
    }

    @Test
    void is_a_cuda_development_image_as_the_job_container() {
      assertThat(gpuUse(job("runs-on: ubuntu-latest\ncontainer: nvidia/cuda:12.6.2-devel-ubuntu24.04\nsteps:\n  - run: make")))
          .hasValueSatisfying(e -> assertThat(e.isStrong()).isFalse());
      assertThat(gpuUse(job("runs-on: ubuntu-22.04\ncontainer: rocm/dev-ubuntu-22.04:6.3\nsteps:\n  - run: make")))
          .hasValueSatisfying(e -> assertThat(e.isStrong()).isFalse());
    }

    @Test
    void is_a_development_image_with_a_templated_tag_as_the_job_container() {
      assertThat(gpuUse(job("runs-on: ubuntu-latest\ncontainer: nvidia/cuda:${{ matrix.cuda }}-devel-ubuntu22.04\n"
          + "strategy:\n  matrix:\n    cuda: ['12.4.1']\nsteps:\n  - run: make")))
          .hasValueSatisfying(e -> assertThat(e.isStrong()).isFalse());
    }
  }

  @Nested
  class No_evidence {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
        strings = {
          "CUDA_VISIBLE_DEVICES= pytest tests/cpu",
          "CUDA_VISIBLE_DEVICES=\"\" pytest tests/cpu",
          "CUDA_VISIBLE_DEVICES=-1 python -m unittest",
          "echo 'run nvidia-smi on a GPU box'",
          "# docker run --gpus all app",
          "docker run --gpus 0 ghcr.io/acme/llm:ci",
          "pip install -e '.[cuda]'",
        })
    void is_found_in_hiding_the_gpus_printing_or_commenting(String command) {
      assertThat(gpuUse(running(command))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
        strings = {
          "test -f gpukit-probe.jar",
          "stat target/gpukit-probe.jar || exit 1",
          "if [ ! -f \"${GITHUB_WORKSPACE}/gpukit-probe.jar\" ]; then exit 1; fi",
          "ls -l gpukit-probe/target/gpukit-probe.jar",
          "sha256sum gpukit-probe.jar > gpukit-probe.jar.sha256",
          "curl -fsSLo gpukit-probe.jar https://example.com/gpukit-probe.jar",
          "cp gpukit-probe/target/gpukit-probe.jar docker/",
          "./mvnw -B -q -pl gpukit-core,gpukit-probe package",
        })
    void is_found_in_looking_at_copying_or_building_the_probe_jar(String command) {
      assertThat(gpuUse(running(command))).isEmpty();
    }

    @Test
    void is_found_in_an_env_that_hides_the_gpus() {
      assertThat(gpuUse(job("runs-on: ubuntu-latest\nenv:\n  CUDA_VISIBLE_DEVICES: \"\"\nsteps:\n  - run: pytest")))
          .isEmpty();
    }
  }

  @Nested
  class Matrix_runs {

    private final Job job = job(
        """
        strategy:
          matrix:
            hardware: [ubuntu-latest, [self-hosted, gpu]]
        runs-on: ${{ matrix.hardware }}
        steps:
          - run: docker run --gpus all ghcr.io/acme/llm:ci
            if: false == contains(matrix.hardware, 'ubuntu')
        """);

    @Test
    void a_step_counts_only_on_the_runs_its_condition_allows() {
      // when
      List<JobTraits.Run> runs = JobTraits.runs(job, DEFAULTS);

      // then
      assertThat(runs).extracting(JobTraits.Run::kind).containsExactly(RunnerKind.GITHUB_HOSTED, RunnerKind.GPU);
      assertThat(runs.get(0).evidence()).isEmpty();
      assertThat(runs.get(1).strong()).isPresent();
      assertThat(JobTraits.testsOnGpuRunner(job, DEFAULTS)).isTrue();
    }

    @Test
    void a_step_that_runs_on_no_run_is_no_evidence() {
      // given
      Job never = job(
          """
          strategy:
            matrix:
              gpu: [false]
          runs-on: [self-hosted, gpu]
          steps:
            - run: nvidia-smi
              if: matrix.gpu
          """);

      // then
      assertThat(JobTraits.usesGpu(never, DEFAULTS)).isFalse();
    }
  }

  @Nested
  class Runner_kinds {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"amd", "rocm", "mi200", "mi250", "mi300x", "linux-mi300x-8", "gpu", "a100"})
    void gpu_labels_include_amd_ones(String label) {
      assertThat(JobTraits.runnerKind(List.of("self-hosted", label), Optional.empty(), DEFAULTS)).isEqualTo(RunnerKind.GPU);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"linux-amd64", "amd64", "x64", "linux"})
    void cpu_architectures_are_not_gpu_labels(String label) {
      assertThat(JobTraits.runnerKind(List.of("self-hosted", label), Optional.empty(), DEFAULTS))
          .isEqualTo(RunnerKind.UNLABELLED);
    }

    @Test
    void ubuntu_latest_is_github_hosted() {
      assertThat(JobTraits.runnerKind(List.of("ubuntu-latest"), Optional.empty(), DEFAULTS))
          .isEqualTo(RunnerKind.GITHUB_HOSTED);
    }

    @Test
    void a_runner_group_is_gpu_by_its_name_or_labels_and_unknown_otherwise() {
      assertThat(JobTraits.runnerKind(List.of(), Optional.of("gpu-a100-pool"), DEFAULTS)).isEqualTo(RunnerKind.GPU);
      assertThat(JobTraits.runnerKind(List.of("linux", "h100"), Optional.of("ml"), DEFAULTS)).isEqualTo(RunnerKind.GPU);
      assertThat(JobTraits.runnerKind(List.of(), Optional.of("ml-runners"), DEFAULTS)).isEqualTo(RunnerKind.UNKNOWN);
      assertThat(JobTraits.runnerKind(List.of("linux", "x64"), Optional.of("ml-runners"), DEFAULTS))
          .isEqualTo(RunnerKind.UNKNOWN);
    }
  }

  @Nested
  class Amd {

    @Test
    void a_job_on_an_amd_runner_or_with_rocm_evidence_is_amd() {
      assertThat(JobTraits.isAmd(job("runs-on: [self-hosted, mi300x]\nsteps:\n  - run: pytest"), DEFAULTS)).isTrue();
      assertThat(JobTraits.isAmd(job("runs-on: self-hosted\nsteps:\n  - run: rocm-smi"), DEFAULTS)).isTrue();
    }

    @Test
    void a_job_with_nvidia_evidence_or_an_nvidia_runner_is_not() {
      assertThat(JobTraits.isAmd(job("runs-on: [self-hosted, mi300x]\nsteps:\n  - run: nvidia-smi"), DEFAULTS)).isFalse();
      assertThat(JobTraits.isAmd(job("runs-on: [self-hosted, h100]\nsteps:\n  - run: rocm-smi"), DEFAULTS)).isFalse();
      assertThat(JobTraits.isAmd(job("runs-on: [self-hosted, linux-amd64]\nsteps:\n  - run: make"), DEFAULTS)).isFalse();
    }
  }
}

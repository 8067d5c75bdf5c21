package io.gpukit.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.GpuEvidence;
import io.gpukit.core.policy.GpuKitConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowKindTests {

  private static final String CI =
      """
      on: push
      jobs:
        lint:
          runs-on: ubuntu-latest
          steps:
            - run: ruff check .
        gpu:
          runs-on: [self-hosted, linux, h100]
          timeout-minutes: 30
          steps:
            - run: pytest tests/test_cuda_graphs.py
            - run: docker run --rm --gpus all ghcr.io/acme/serve:ci python3 -m serve.smoke
        pool:
          runs-on:
            group: gpu-a100-pool
          timeout-minutes: 30
          steps:
            - run: make test
        hint:
          runs-on: ubuntu-latest
          steps:
            - run: pytest tests/test_gpu.py
      """;

  private static List<GpuEvidence> evidence(String text, GpuKitConfig config) {
    return WorkflowKind.INSTANCE.gpuEvidence(Workflow.parse(Path.of("ci.yml"), text), config);
  }

  @Nested
  class Gpu_evidence {

    @Test
    void lists_per_job_its_gpu_runner_and_its_best_gpu_use_in_file_order() {
      // when
      List<GpuEvidence> found = evidence(CI, GpuKitConfig.defaults());

      // then
      assertThat(found).extracting(GpuEvidence::render).containsExactly(
          "ci.yml:8:14: job 'gpu' is GPU: it runs on a GPU runner (label 'h100' of [self-hosted, linux, h100])",
          "ci.yml:12:9: job 'gpu' is GPU: it uses a GPU ('--gpus all')",
          "ci.yml:15:7: job 'pool' is GPU: its runner group 'gpu-a100-pool' is a GPU runner pool",
          "ci.yml:22:9: job 'hint' hints at GPU: it may use a GPU ('pytest tests/test_gpu.py')");
    }

    @Test
    void is_strong_for_runners_and_strong_use_and_weak_for_a_name_only() {
      assertThat(evidence(CI, GpuKitConfig.defaults())).extracting(GpuEvidence::isStrong)
          .containsExactly(true, true, true, false);
    }

    @Test
    void names_the_whole_workflow_when_gpukit_yaml_or_the_project_view_says_it_is_gpu(@TempDir Path dir)
        throws IOException {
      // given
      Files.writeString(dir.resolve("gpukit.yaml"), "gpu:\n  paths: ['release.yml']\n");
      GpuKitConfig config = GpuKitConfig.load(dir.resolve("gpukit.yaml"))
          .withGpuFiles(java.util.Map.of("build.yml", "it builds the GPU image of Dockerfile"));
      String cpuOnly = "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build .\n";

      // when
      List<GpuEvidence> release = WorkflowKind.INSTANCE.gpuEvidence(Workflow.parse(dir.resolve("release.yml"), cpuOnly), config);
      List<GpuEvidence> build = WorkflowKind.INSTANCE.gpuEvidence(Workflow.parse(dir.resolve("build.yml"), cpuOnly), config);

      // then
      assertThat(release).singleElement().satisfies(e -> {
        assertThat(e.subject()).isEqualTo("the workflow");
        assertThat(e.reason()).contains("gpu.paths");
      });
      assertThat(build).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("it builds the GPU image of Dockerfile"));
    }

    @Test
    void is_nothing_for_a_file_gpukit_yaml_says_is_not_gpu(@TempDir Path dir) throws IOException {
      // given
      Files.writeString(dir.resolve("gpukit.yaml"), "gpu:\n  not-paths: ['ci.yml']\n");
      GpuKitConfig config = GpuKitConfig.load(dir.resolve("gpukit.yaml"));
      Workflow wf = Workflow.parse(dir.resolve("ci.yml"), CI);

      // then
      assertThat(WorkflowKind.INSTANCE.gpuEvidence(wf, config)).isEmpty();
    }
  }
}

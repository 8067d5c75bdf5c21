package io.gpukit.core.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.GpuEvidence;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerfileScopeTests {

  private static DockerfileScope scopeOf(String text) {
    return scopeOf("Dockerfile", text, GpuKitConfig.defaults());
  }

  private static DockerfileScope scopeOf(String name, String text, GpuKitConfig config) {
    return DockerfileScope.of(Dockerfile.parse(Path.of(name), text), config);
  }

  private static List<String> reasons(DockerfileScope scope) {
    return scope.evidence().stream().map(GpuEvidence::reason).toList();
  }

  @Nested
  class A_gpu_image {

    @Test
    void runs_on_a_cuda_rocm_ngc_or_gpu_serving_base() {
      for (String base : List.of(
          "nvidia/cuda:12.4.1-runtime-ubuntu22.04", "nvcr.io/nvidia/tritonserver:24.08-py3",
          "pytorch/pytorch:2.4.1-cuda12.4-cudnn9-runtime", "vllm/vllm-openai:v0.6.3",
          "ghcr.io/huggingface/text-generation-inference:2.3.1", "rocm/pytorch:rocm6.2_ubuntu22.04_py3.10_pytorch_release_2.3.0",
          "ghcr.io/acme/base:2.1-cu121")) {
        assertThat(scopeOf("FROM " + base + "\nCMD [\"serve\"]\n").gpu()).as(base).isTrue();
      }
    }

    @Test
    void names_the_family_of_its_base() {
      assertThat(reasons(scopeOf("FROM ghcr.io/acme/base:2.1-cu121\nCMD [\"serve\"]\n")))
          .containsExactly("its base image 'ghcr.io/acme/base:2.1-cu121' is a CUDA image");
      assertThat(reasons(scopeOf("FROM acme/rocm-tools:6.2\nCMD [\"serve\"]\n")))
          .containsExactly("its base image 'acme/rocm-tools:6.2' is a ROCm image");
      assertThat(reasons(scopeOf("FROM nvcr.io/nvidia/tritonserver:24.08-py3\nCMD [\"serve\"]\n")))
          .containsExactly("its base image 'nvcr.io/nvidia/tritonserver:24.08-py3' is a GPU image");
    }

    @Test
    void installs_gpu_libraries_or_sets_gpu_env_on_a_plain_base() {
      assertThat(scopeOf("FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y cuda-runtime-12-4\nCMD [\"x\"]\n").gpu())
          .isTrue();
      assertThat(scopeOf("FROM python:3.11-slim\nRUN pip install --index-url https://download.pytorch.org/whl/cu121 torch\n"
          + "CMD [\"x\"]\n").gpu()).isTrue();
      assertThat(scopeOf("FROM python:3.11-slim\nENV NVIDIA_VISIBLE_DEVICES=all\nCMD [\"x\"]\n").gpu()).isTrue();
    }

    @Test
    void builds_on_a_gpu_stage_or_copies_from_one() {
      DockerfileScope inherited = scopeOf(
          "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04 AS base\nFROM base\nCMD [\"x\"]\n");
      DockerfileScope copied = scopeOf(
          "FROM nvidia/cuda:12.4.1-devel-ubuntu22.04 AS build\nRUN make\nFROM ubuntu:22.04\n"
              + "COPY --from=build /out /app\nCMD [\"/app/server\"]\n");

      assertThat(inherited.gpu()).isTrue();
      assertThat(reasons(inherited)).contains("it builds on GPU stage 'base'");
      assertThat(copied.gpu()).isTrue();
    }

    @Test
    void on_rocm_is_amd() {
      assertThat(scopeOf("FROM rocm/dev-ubuntu-22.04:6.2\nCMD [\"x\"]\n").amd()).isTrue();
      assertThat(scopeOf("FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nCMD [\"x\"]\n").amd()).isFalse();
    }

    @Test
    void is_amd_by_what_it_ships_not_by_a_stage_name_or_another_target() {
      DockerfileScope named = scopeOf("FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04 AS rocm-build\nCMD [\"x\"]\n");
      DockerfileScope otherTarget = scopeOf("FROM rocm/pytorch:rocm6.2_ubuntu22.04_py3.10_pytorch_release_2.3.0 AS amd\n"
          + "CMD [\"x\"]\nFROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nCMD [\"x\"]\n");

      assertThat(named.amd()).isFalse();
      assertThat(otherTarget.amd()).as("the final stage is CUDA").isFalse();
    }

    @Test
    void hiding_the_gpus_is_no_evidence() {
      assertThat(scopeOf("FROM python:3.11-slim\nENV CUDA_VISIBLE_DEVICES=\"\"\nCMD [\"x\"]\n").gpu()).isFalse();
      assertThat(scopeOf("FROM python:3.11-slim\nENV CUDA_VISIBLE_DEVICES=-1\nCMD [\"x\"]\n").gpu()).isFalse();
      assertThat(scopeOf("FROM python:3.11-slim\nENV NVIDIA_VISIBLE_DEVICES=void\nCMD [\"x\"]\n").gpu()).isFalse();
      assertThat(scopeOf("FROM python:3.11-slim\nENV CUDA_VISIBLE_DEVICES=0\nCMD [\"x\"]\n").gpu()).isTrue();
    }
  }

  @Nested
  class Not_a_gpu_image {

    @Test
    void is_a_database_docs_or_linter_image() {
      assertThat(scopeOf("FROM postgres:16.4\nCOPY init.sql /docker-entrypoint-initdb.d/\n").gpu()).isFalse();
      assertThat(scopeOf("FROM python:3.12-slim\nRUN pip install mkdocs\nCMD [\"mkdocs\", \"serve\"]\n").gpu()).isFalse();
      assertThat(scopeOf("FROM golang:1.22 AS b\nRUN go build\nFROM gcr.io/distroless/static\nCOPY --from=b /x /x\n"
          + "ENTRYPOINT [\"/x\"]\n").gpu()).isFalse();
    }

    @Test
    void is_only_named_gpu_which_is_weak_evidence() {
      DockerfileScope scope = scopeOf("Dockerfile.gpu", "FROM python:3.11-slim\nCMD [\"x\"]\n", GpuKitConfig.defaults());

      assertThat(scope.gpu()).isFalse();
      assertThat(scope.evidence()).singleElement().satisfies(e -> assertThat(e.isStrong()).isFalse());
    }

    @Test
    void is_on_a_registry_whose_host_name_says_cuda() {
      assertThat(scopeOf("FROM cuda.example.com/acme/api:1.0\nCMD [\"x\"]\n").gpu()).isFalse();
    }

    @Test
    void keeps_an_unresolved_base_out_of_it() {
      assertThat(scopeOf("ARG BASE\nFROM $BASE\nCMD [\"x\"]\n").gpu()).isFalse();
    }
  }

  @Nested
  class A_base_image {

    @Test
    void has_no_cmd_entrypoint_expose_or_healthcheck() {
      DockerfileScope cudaBase = scopeOf("FROM nvidia/cuda:12.4.1-devel-ubuntu22.04\nRUN apt-get install -y git\n");

      assertThat(cudaBase.gpu()).isTrue();
      assertThat(cudaBase.isBaseImage()).isTrue();
      assertThat(cudaBase.isGpuService()).isFalse();
    }

    @Test
    void is_a_service_once_it_runs_something() {
      assertThat(scopeOf("FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nEXPOSE 8000\n").isGpuService()).isTrue();
    }
  }

  @Nested
  class The_configuration {

    @Test
    void decides_outright_with_gpu_paths_and_not_paths(@TempDir Path repo) throws IOException {
      // given
      Files.writeString(repo.resolve("gpukit.yaml"),
          "gpu:\n  paths: [\"services/llm/**\"]\n  not-paths: [\"tools/**\"]\n");
      GpuKitConfig config = GpuKitConfig.discover(repo);
      String plain = "FROM python:3.11-slim\nCMD [\"x\"]\n";
      String cuda = "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nCMD [\"x\"]\n";

      // then
      assertThat(scopeOf(repo.resolve("services/llm/Dockerfile").toString(), plain, config).gpu()).isTrue();
      assertThat(scopeOf(repo.resolve("tools/Dockerfile").toString(), cuda, config).gpu()).isFalse();
      assertThat(scopeOf(repo.resolve("other/Dockerfile").toString(), cuda, config).gpu()).isTrue();
    }

    @Test
    void takes_what_the_project_view_found_across_files(@TempDir Path repo) {
      GpuKitConfig config = GpuKitConfig.defaults(repo)
          .withGpuFiles(Map.of("server/Dockerfile", "GPU Deployment/scorer (k8s/deployment.yaml) runs its image"));

      DockerfileScope scope = scopeOf(repo.resolve("server/Dockerfile").toString(), "FROM python:3.11-slim\n", config);

      assertThat(scope.gpu()).isTrue();
      assertThat(scope.service()).as("a deployed image is a service").isTrue();
      assertThat(reasons(scope)).containsExactly("GPU Deployment/scorer (k8s/deployment.yaml) runs its image");
    }
  }

  @Nested
  class The_amd_hint {

    @Test
    void says_the_nvidia_probe_does_not_fit_a_rocm_image() {
      String text = "FROM rocm/pytorch:rocm6.2_ubuntu22.04_py3.10_pytorch_release_2.3.0 AS b\nRUN make\n"
          + "FROM rocm/pytorch:rocm6.2_ubuntu22.04_py3.10_pytorch_release_2.3.0\nCOPY --from=b /o /o\nUSER 10001\n"
          + "ENTRYPOINT [\"/o/server\"]\n";

      List<Violation> found = PolicyEngine.withDefaults()
          .evaluate(SourceFile.of(Path.of("Dockerfile"), text), DockerfileKind.INSTANCE).violations();

      assertThat(found).filteredOn(v -> v.ruleId().equals("dockerfile/final-stage-healthcheck")).singleElement()
          .satisfies(v -> assertThat(v.hint()).startsWith("gpukit-probe needs an NVIDIA GPU").contains("gpu.probe-commands"));
    }
  }
}

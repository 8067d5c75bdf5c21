package io.gpukit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.internal.GpuImages.Family;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GpuImagesTests {

  @Nested
  class Families {

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource({
      "nvidia/cuda:12.4.1-runtime-ubuntu22.04, CUDA",
      "nvcr.io/nvidia/cuda:12.2.0-devel-ubuntu22.04, CUDA",
      "docker.io/nvidia/cuda:11.8.0-base-ubuntu22.04, CUDA",
      "nvidia/cudnn:8, CUDA",
      "acme/cuda-tools:1.0, CUDA",
      "pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime, CUDA",
      "ghcr.io/acme/trainer:2.1-cu121, CUDA",
      "rocm/pytorch:rocm6.2.3_ubuntu22.04_py3.10_pytorch_release_2.3.0, ROCM",
      "rocm/vllm:latest, ROCM",
      "acme/rocm-tools:1.0, ROCM",
      "ghcr.io/acme/llm:1.2.0-rocm6.2, ROCM",
      "registry.example.com/ml/rocm/trainer:3, ROCM",
      "nvcr.io/nvidia/pytorch:24.08-py3, OTHER_GPU",
      "nvcr.io/nvidia/tritonserver:24.08-py3, OTHER_GPU",
      "vllm/vllm-openai:v0.6.3, OTHER_GPU",
      "ghcr.io/huggingface/text-generation-inference:2.4, OTHER_GPU",
      "pytorch/pytorch:latest, OTHER_GPU",
      "tensorflow/tensorflow:2.15.0-gpu, OTHER_GPU",
      "ghcr.io/acme/llm:latest-gpu, OTHER_GPU",
    })
    void a_gpu_image_is_named_by_its_repository_or_its_tag(String reference, Family family) {
      // when
      var found = GpuImages.family(reference);

      // then
      assertThat(found).contains(family);
      assertThat(GpuImages.isGpu(reference)).isTrue();
      assertThat(GpuImages.isCuda(reference)).isEqualTo(family == Family.CUDA);
      assertThat(GpuImages.isRocm(reference)).isEqualTo(family == Family.ROCM);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {
      "postgres:16.4",
      "python:3.12-slim",
      "ghcr.io/acme/rocmetrics:1.0",
      "ghcr.io/acme/barracuda:1.0",
      "ghcr.io/acme/gpuless:1.0",
      "cuda.example.com/acme/api:1.0",
      "ghcr.io/acme/api:1.0@sha256:cuda12",
      "nvidia/k8s-device-plugin:v0.16.2",
      "",
    })
    void other_images_are_no_gpu_images(String reference) {
      assertThat(GpuImages.family(reference)).isEmpty();
      assertThat(GpuImages.isCuda(reference)).isFalse();
      assertThat(GpuImages.isRocm(reference)).isFalse();
    }
  }

  @Nested
  class Cuda_versions {

    @ParameterizedTest(name = "''{0}'' carries CUDA {1}")
    @CsvSource({
      "nvidia/cuda:12.4.1-runtime-ubuntu22.04, 12.4",
      "nvcr.io/nvidia/cuda:11.8.0-devel-ubuntu22.04, 11.8",
      "pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime, 12.1",
      "ghcr.io/acme/trainer:1.0-cuda-12.2, 12.2",
      "ghcr.io/acme/trainer:2.1-cu118, 11.8",
    })
    void the_version_is_read_from_the_tag(String reference, String version) {
      assertThat(GpuImages.cudaVersion(reference)).contains(version);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"nvidia/cuda:latest", "ghcr.io/acme/api:12.4.1", "ghcr.io/acme/api:cu1234"})
    void no_version_is_guessed(String reference) {
      assertThat(GpuImages.cudaVersion(reference)).isEmpty();
    }
  }

  @Nested
  class Development_images {

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {
      "nvidia/cuda:12.4.1-devel-ubuntu22.04",
      "pytorch/pytorch:2.3.0-cuda12.1-cudnn8-devel",
      "nvidia/cuda:devel",
      "rocm/dev-ubuntu-22.04:6.2",
      "rocm/dev-ubuntu-22.04",
    })
    void a_devel_word_or_a_rocm_dev_repository_is_a_toolchain(String reference) {
      assertThat(GpuImages.development(reference)).isPresent();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"rocm/rocm-terminal:6.2-complete", "ghcr.io/acme/rocm-base:6.2.4-complete"})
    void a_complete_rocm_image_is_a_rocm_toolchain(String reference) {
      assertThat(GpuImages.development(reference)).contains("a ROCm development image carries compilers and headers");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {
      "nvidia/cuda:12.4.1-runtime-ubuntu22.04",
      "ghcr.io/acme/llm:develop",
      "ghcr.io/acme/llm:dev",
      "rocm/vllm-dev:main",
      "ghcr.io/acme/llm:1.0-complete",
      "ghcr.io/acme/developer-portal:1.0",
    })
    void a_branch_tag_or_a_runtime_image_is_not(String reference) {
      assertThat(GpuImages.development(reference)).isEmpty();
    }
  }

  @Nested
  class Placeholders {

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {
      "",
      "  ",
      "<your-image>",
      "registry.example.com/<team>/llm:1.0",
      "{{ .Values.image.repository }}:{{ .Values.image.tag }}",
      "${IMAGE}",
      "$IMAGE",
      "$(IMAGE)",
      "ghcr.io/acme/llm:${TAG}",
      "FILLED BY THE OPERATOR",
      "IMAGE_PLACEHOLDER",
      "REGISTRY/acme/llm:1.0",
      "ghcr.io/acme/llm:IMAGE_TAG",
      "ghcr.io/acme/llm:GIT_SHA",
      "ghcr.io/acme/llm:TAG",
      "ghcr.io/acme/llm:VERSION",
      "ko://github.com/acme/llm/cmd/server",
    })
    void template_syntax_words_and_upper_case_names_are_placeholders(String reference) {
      assertThat(GpuImages.isPlaceholder(reference)).isTrue();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {
      "busybox",
      "nvcr.io/nvidia/pytorch:24.08-py3",
      "ghcr.io/acme/llm:A100_80GB",
      "ghcr.io/acme/llm:V1_0",
      "ghcr.io/acme/llm:V2",
      "ghcr.io/acme/llm:H100",
      "ghcr.io/acme/llm:RC",
      "localhost:5000/llm:1.0.0",
      "Registry.Example.com/acme/llm:1.0",
    })
    void real_references_with_capital_tags_are_not(String reference) {
      assertThat(GpuImages.isPlaceholder(reference)).isFalse();
    }
  }
}

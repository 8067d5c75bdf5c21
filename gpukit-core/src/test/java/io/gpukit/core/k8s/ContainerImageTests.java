package io.gpukit.core.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.GpuKitConfig;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerImageTests {

  private static final GpuKitConfig DEFAULTS = GpuKitConfig.defaults();

  @Nested
  class Placeholders {

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {
      "",
      "   ",
      "FILLED BY THE OPERATOR",
      "{{ .Values.image.repository }}:{{ .Values.image.tag }}",
      "${IMAGE}",
      "$IMAGE",
      "$(IMAGE)",
      "<your-image>",
      "registry.example.com/<team>/llm:1.0",
      "IMAGE_PLACEHOLDER",
      "ghcr.io/acme/llm:${TAG}",
      "ghcr.io/acme/llm:IMAGE_TAG",
      "ghcr.io/acme/llm:TAG",
      "ghcr.io/acme/llm:GIT_SHA",
      "REGISTRY/acme/llm:1.0",
      "ko://github.com/acme/llm/cmd/server",
    })
    void a_placeholder_filled_at_deploy_time_is_never_judged_on_its_tag(String raw) {
      // given
      ContainerImage image = ContainerImage.parse(raw);

      // then
      assertThat(image.isPlaceholder()).isTrue();
      assertThat(image.floatingTag(DEFAULTS)).isEmpty();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {
      "busybox",
      "nvcr.io/nvidia/pytorch:24.08-py3",
      "ghcr.io/acme/llm:v1",
      "ghcr.io/acme/llm:V2",
      "localhost:5000/llm:1.0.0",
      "vllm/vllm-openai:latest",
      "ghcr.io/acme/llm:A100_80GB",
      "ghcr.io/acme/llm:V1_0",
    })
    void a_written_reference_is_no_placeholder(String raw) {
      assertThat(ContainerImage.parse(raw).isPlaceholder()).isFalse();
    }
  }

  @Nested
  class Floating_tags {

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"latest", "latest-gpu", "LATEST", "gpu-latest", "nightly", "Nightly-GPU", "rolling", "edge",
        "main", "master", "dev", "canary"})
    void a_moving_tag_floats_and_is_named(String tag) {
      // given
      ContainerImage image = ContainerImage.parse("ghcr.io/acme/llm:" + tag);

      // then
      assertThat(image.floatingTag(DEFAULTS)).contains("the tag '" + tag + "'");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"ghcr.io/acme/llm:1.4.2", "ghcr.io/acme/llm:nightly-2026-01-05", "ghcr.io/acme/llm:mainline-3",
        "ghcr.io/acme/llm:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void a_version_a_dated_tag_or_a_digest_does_not_float(String raw) {
      assertThat(ContainerImage.parse(raw).floatingTag(DEFAULTS)).isEmpty();
    }

    @Test
    void no_tag_floats_because_it_pulls_latest() {
      assertThat(ContainerImage.parse("busybox").floatingTag(DEFAULTS)).contains("no tag, so it pulls 'latest'");
    }
  }

  @Nested
  class Rocm {

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"rocm/pytorch:rocm6.2.3_ubuntu22.04_py3.10_pytorch_release_2.3.0", "rocm/vllm:latest",
        "docker.io/rocm/vllm-dev:main", "ghcr.io/acme/llm:1.2.0-rocm6.2", "registry.example.com/ml/rocm/trainer:3",
        "acme/rocm-tools:1.0"})
    void rocm_repositories_and_tags_are_rocm_images(String raw) {
      assertThat(ContainerImage.parse(raw).isRocm()).isTrue();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"nvidia/cuda:12.4.1-base-ubuntu22.04", "ghcr.io/acme/rocmetrics:1.0", "postgres:16.4"})
    void other_images_are_not(String raw) {
      assertThat(ContainerImage.parse(raw).isRocm()).isFalse();
    }
  }

  @Nested
  class Cuda {

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"nvidia/cuda:12.4.1-base-ubuntu22.04", "nvcr.io/nvidia/cuda:12.2.0-runtime-ubuntu22.04",
        "nvidia/cudnn:8", "acme/cuda-tools:1.0", "pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime",
        "ghcr.io/acme/trainer:2.1-cu121"})
    void cuda_repositories_and_tags_are_cuda_images(String raw) {
      assertThat(ContainerImage.parse(raw).isCuda()).isTrue();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"rocm/pytorch:latest", "ghcr.io/acme/barracuda:1.0", "nvcr.io/nvidia/pytorch:24.08-py3",
        "postgres:16.4"})
    void other_images_are_not(String raw) {
      assertThat(ContainerImage.parse(raw).isCuda()).isFalse();
    }
  }
}

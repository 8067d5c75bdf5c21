package io.gpukit.core.k8s;

import io.gpukit.core.internal.GpuImages;
import io.gpukit.core.internal.ImageNames;
import io.gpukit.core.policy.GpuKitConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * A container's {@code image}, split with Docker's reference grammar: {@code
 * [registry/]repository[:tag][@digest]}.
 *
 * @param raw the image as written
 * @param registry the registry host, if written
 * @param repository the path without registry, e.g. {@code nvidia/cuda}
 * @param tag the tag, if written
 * @param digest the digest, e.g. {@code sha256:...}, if written
 * @since 0.1.0
 */
public record ContainerImage(
    String raw, Optional<String> registry, String repository, Optional<String> tag, Optional<String> digest) {

  /** Validates the fields. */
  public ContainerImage {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
  }

  /** Splits an image reference. */
  public static ContainerImage parse(String reference) {
    ImageNames.Parts parts = ImageNames.split(reference.strip());
    return new ContainerImage(reference, parts.registry(), parts.repository(), parts.tag(), parts.digest());
  }

  /** Whether the image floats: no tag and no digest, or the tag {@code latest} without a digest. */
  public boolean isFloating() {
    return digest.isEmpty() && (tag.isEmpty() || tag.get().equals("latest"));
  }

  /**
   * Whether the image is, in whole or in part, a placeholder filled at deploy time rather than a
   * reference: empty ({@code image: ""}), template syntax ({@code ${IMAGE}}, {@code $(IMAGE)},
   * {@code {{ .Values.image.tag }}}, {@code <your-image>}), a build tool's reference ({@code
   * ko://github.com/acme/llm/cmd/server}, which {@code ko resolve} replaces), words ({@code FILLED BY THE
   * OPERATOR}), an upper-case repository ({@code IMAGE_PLACEHOLDER}, which no registry accepts)
   * or an all-caps tag of words ({@code ghcr.io/acme/llm:IMAGE_TAG}); a tag with digits ({@code
   * A100_80GB}, {@code V1_0}) is a real tag.
   */
  public boolean isPlaceholder() {
    return GpuImages.isPlaceholder(raw);
  }

  /**
   * Why the image floats under a configuration, if it does: no tag and no digest (Docker pulls
   * {@code latest}), or a tag {@link GpuKitConfig#isFloatingTag} calls floating ({@code latest},
   * {@code latest-gpu}, {@code nightly}, {@code main}…) without a digest. A placeholder never floats:
   * its tag is not known yet.
   */
  public Optional<String> floatingTag(GpuKitConfig config) {
    if (digest.isPresent() || isPlaceholder()) {
      return Optional.empty();
    }
    if (tag.isEmpty()) {
      return Optional.of("no tag, so it pulls 'latest'");
    }
    return config.isFloatingTag(tag.get()) ? Optional.of("the tag '" + tag.get() + "'") : Optional.empty();
  }

  /**
   * Whether this is a CUDA image: {@code nvidia/cuda} (on any registry), a repository or tag word
   * that names CUDA or cuDNN ({@code cuda12.1}, {@code cudnn9}, {@code cu121}), or a CUDA version.
   */
  public boolean isCuda() {
    return GpuImages.isCuda(raw);
  }

  /**
   * Whether this is a ROCm image (AMD GPUs): a {@code rocm/} repository ({@code rocm/pytorch},
   * {@code rocm/vllm}), a repository with a {@code rocm} component or word ({@code acme/rocm-tools}),
   * or a tag that names ROCm ({@code 1.2.0-rocm6.2}).
   */
  public boolean isRocm() {
    return GpuImages.isRocm(raw);
  }

  /** The repository with its registry, if written: {@code nvcr.io/nvidia/pytorch}. */
  public String repositoryWithRegistry() {
    return registry.map(r -> r + "/" + repository).orElse(repository);
  }
}

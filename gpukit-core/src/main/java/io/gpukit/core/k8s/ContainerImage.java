package io.gpukit.core.k8s;

import io.gpukit.core.internal.ImageNames;
import java.util.Locale;
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

  /** Whether this is a CUDA image: {@code nvidia/cuda}, or a tag that names CUDA. */
  public boolean isCuda() {
    String repo = repository.toLowerCase(Locale.ROOT);
    return repo.equals("nvidia/cuda")
        || repo.endsWith("/nvidia/cuda")
        || tag.map(t -> t.toLowerCase(Locale.ROOT).contains("cuda")).orElse(false);
  }

  /** The repository with its registry, if written: {@code nvcr.io/nvidia/pytorch}. */
  public String repositoryWithRegistry() {
    return registry.map(r -> r + "/" + repository).orElse(repository);
  }
}

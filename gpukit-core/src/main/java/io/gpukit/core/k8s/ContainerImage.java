package io.gpukit.core.k8s;

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
    String rest = reference.strip();
    Optional<String> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    Optional<String> registry = Optional.empty();
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")
          || !first.equals(first.toLowerCase(Locale.ROOT))) {
        registry = Optional.of(first);
        rest = rest.substring(slash + 1);
      }
    }
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon >= 0 && colon > rest.lastIndexOf('/')) {
      tag = Optional.of(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
    }
    return new ContainerImage(reference, registry, rest, tag, digest);
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

package io.gpukit.core.dockerfile;

import io.gpukit.core.internal.ImageNames;
import java.util.Objects;
import java.util.Optional;

/**
 * An image reference of a {@code FROM}, split with Docker's reference grammar: {@code
 * [registry/]repository[:tag][@digest]}.
 *
 * <p>The first path component is a registry when it contains {@code .} or {@code :}, is {@code
 * localhost}, or has upper-case letters; {@code docker.io/library/} is not added.
 *
 * @param original the reference as written, variables not substituted
 * @param resolved the reference after global {@code ARG} substitution
 * @param registry the registry host, if written
 * @param repository the path without registry, e.g. {@code nvidia/cuda}
 * @param tag the tag, if written
 * @param digest the digest, e.g. {@code sha256:...}, if written
 * @param unresolved whether a variable could not be resolved (then {@code resolved} keeps it as
 *     written)
 * @since 0.1.0
 */
public record ImageReference(
    String original,
    String resolved,
    Optional<String> registry,
    String repository,
    Optional<String> tag,
    Optional<String> digest,
    boolean unresolved) {

  /** Validates the fields. */
  public ImageReference {
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(resolved, "resolved");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
  }

  /** A reference without variables. */
  public static ImageReference parse(String reference) {
    return parse(reference, reference, false);
  }

  /** Splits {@code resolved} into its parts. */
  public static ImageReference parse(String original, String resolved, boolean unresolved) {
    ImageNames.Parts parts = ImageNames.split(resolved);
    return new ImageReference(
        original, resolved, parts.registry(), parts.repository(), parts.tag(), parts.digest(), unresolved);
  }

  /** Whether this is {@code scratch}, the empty base image. */
  public boolean isScratch() {
    return registry.isEmpty() && repository.equals("scratch") && tag.isEmpty() && digest.isEmpty();
  }

  /** The repository with its registry, if written: {@code nvcr.io/nvidia/pytorch}. */
  public String repositoryWithRegistry() {
    return registry.map(r -> r + "/" + repository).orElse(repository);
  }
}

package io.gpukit.core.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * Docker's image reference grammar, shared by the Dockerfile and Kubernetes models: {@code
 * [registry/]repository[:tag][@digest]}, where the first path component is a registry when it has
 * a {@code .} or {@code :}, is {@code localhost}, or has upper-case letters. Not API.
 */
public final class ImageNames {

  /** The parts of a reference; {@code docker.io/library/} is never added. */
  public record Parts(Optional<String> registry, String repository, Optional<String> tag, Optional<String> digest) {}

  private ImageNames() {}

  /** Splits a reference into its parts. */
  public static Parts split(String reference) {
    String rest = reference;
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
      if (first.contains(".")
          || first.contains(":")
          || first.equals("localhost")
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
    return new Parts(registry, rest, tag, digest);
  }
}

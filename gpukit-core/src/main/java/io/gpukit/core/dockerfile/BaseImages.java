package io.gpukit.core.dockerfile;

import io.gpukit.core.internal.GpuImages;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What an image reference says about its contents. Not API. */
final class BaseImages {

  private static final Set<String> TOOLCHAINS =
      Set.of("maven", "gradle", "golang", "rust", "sbt", "sdk", "buildpack-deps", "gcc");
  private static final Set<String> JDK_FAMILIES =
      Set.of("openjdk", "eclipse-temurin", "amazoncorretto", "zulu-openjdk", "sapmachine", "microsoft-openjdk");

  private BaseImages() {}

  /** The last path component of the repository: {@code nvidia/cuda} → {@code cuda}. */
  static String name(ImageReference image) {
    String repo = image.repository().toLowerCase(Locale.ROOT);
    return repo.substring(repo.lastIndexOf('/') + 1);
  }

  static String tag(ImageReference image) {
    return image.tag().orElse("").toLowerCase(Locale.ROOT);
  }

  /**
   * Whether a resolved reference is a placeholder to be filled before a build ({@code <ubuntu>},
   * {@code {{ base }}}, {@code REPLACE_ME}): it cannot be a real reference, whose repository is
   * lower case and has no brackets or spaces.
   */
  static boolean isPlaceholder(ImageReference image) {
    return GpuImages.isPlaceholder(image.resolved());
  }

  /**
   * Images that start as a non-root user, or whose entrypoint steps down from root before it runs
   * the server, when the Dockerfile built on them sets no USER: distroless and Chainguard images
   * tagged {@code nonroot} (uid 65532), the official database and cache images (their entrypoints
   * switch to the service's own user), Bitnami images (uid 1001) and the Jupyter docker stacks
   * ({@code jovyan}, uid 1000).
   */
  private static final Set<String> STEPS_DOWN_FROM_ROOT =
      Set.of("postgres", "mariadb", "mysql", "redis", "mongo", "rabbitmq", "memcached", "valkey", "cassandra");

  /** Why an image runs its process as a non-root user without a USER of ours, if it does. */
  static Optional<String> nonRootByDefault(ImageReference image) {
    String repo = image.repositoryWithRegistry().toLowerCase(Locale.ROOT);
    String tag = tag(image);
    if (tag.contains("nonroot") && (repo.contains("distroless") || repo.startsWith("cgr.dev/"))) {
      return Optional.of("its base runs as the nonroot user (65532)");
    }
    if (repo.contains("unprivileged") || repo.endsWith("-nonroot")) {
      return Optional.of("its base runs as an unprivileged user");
    }
    if (repo.startsWith("bitnami/") || repo.startsWith("docker.io/bitnami/")) {
      return Optional.of("Bitnami images run as uid 1001");
    }
    if (repo.startsWith("quay.io/jupyter/") || repo.startsWith("jupyter/") || repo.startsWith("docker.io/jupyter/")) {
      return Optional.of("the Jupyter images run as jovyan (uid 1000)");
    }
    boolean official = !repo.contains("/") || repo.startsWith("library/") || repo.startsWith("docker.io/library/");
    if (official && STEPS_DOWN_FROM_ROOT.contains(name(image))) {
      return Optional.of("the official '" + name(image) + "' image's entrypoint steps down from root");
    }
    return Optional.empty();
  }

  /** Whether the image is a CUDA image ({@link GpuImages#isCuda}). */
  static boolean isCuda(ImageReference image) {
    return GpuImages.isCuda(image.resolved());
  }

  /** The CUDA {@code major.minor} an image ships, when its reference says so ({@link GpuImages#cudaVersion}). */
  static Optional<String> cudaVersion(ImageReference image) {
    return GpuImages.cudaVersion(image.resolved());
  }

  /** Why the image is a build toolchain, if it is one. */
  static Optional<String> toolchain(ImageReference image) {
    Optional<String> development = GpuImages.development(image.resolved());
    if (development.isPresent()) {
      return development;
    }
    String name = name(image);
    if (TOOLCHAINS.contains(name)) {
      return Optional.of("'" + name + "' is a build toolchain image");
    }
    return Optional.empty();
  }

  /** Whether the image is a full JDK (a JRE is enough to run a service). */
  static boolean isFullJdk(ImageReference image) {
    String tag = tag(image);
    if (tag.contains("jre")) {
      return false;
    }
    return JDK_FAMILIES.contains(name(image)) || tag.matches(".*(^|[-_.])jdk([-_.\\d]|$).*");
  }
}

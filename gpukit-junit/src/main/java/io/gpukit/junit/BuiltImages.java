package io.gpukit.junit;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The images {@link GpuContainerTest} classes run: the one named, or the one built from the
 * class's Dockerfile and build arguments, built once per run and shared by every class that asks
 * for the same (the engine's root store removes it when the run ends).
 */
final class BuiltImages {

  static final String BUILT_IMAGE_REPOSITORY_PREFIX = "gpukit-junit/";
  /** Numbers the builds of this JVM, so that two runs in one JVM never share a tag either. */
  private static final AtomicInteger BUILDS = new AtomicInteger();

  private BuiltImages() {
  }

  /** The image the class runs, built here or shared with an earlier class of the run. */
  static String image(GpuContainerTest annotation, ExtensionContext context, SetUpTimings timings) {
    if (!annotation.image().isBlank()) {
      timings.note("image", "given");
      return ClassConfiguration.resolve(annotation.image(), context, "image");
    }
    Path buildContext = Path.of(annotation.context()).toAbsolutePath().normalize();
    String dockerfile = buildContext.relativize(buildContext.resolve(annotation.dockerfile()).normalize()).toString();
    Map<String, String> buildArgs = new TreeMap<>();
    ClassConfiguration.parseBuildArgs(annotation.buildArgs(), ClassConfiguration.on(context.getRequiredTestClass()))
        .forEach((key, value) -> buildArgs.put(key, ClassConfiguration.resolve(value, context, "build argument " + key)));
    String key = "image " + buildContext + " " + dockerfile + " " + buildArgs;
    String forClass = context.getRequiredTestClass().getName();
    BuiltImage built = context.getRoot().getStore(GpuContainerExtension.NAMESPACE).getOrComputeIfAbsent(key,
        k -> BuiltImage.build(new BuildRequest(buildContext, dockerfile, buildArgs, imageName(buildContext, k)),
            forClass), BuiltImage.class);
    boolean builtHere = built.forClass().equals(forClass);
    timings.note("image", builtHere ? "built" : "shared");
    GpuContainerExtension.report(context, "gpukit.image", built.name() + (builtHere ? " built in "
        : " shared, built in ") + HealthWait.seconds(built.took()) + " for " + built.forClass()
        + "; removed when the run ends");
    return built.name();
  }

  /** What to build: the context folder, the Dockerfile in it, the build arguments and the image's name. */
  record BuildRequest(Path context, String dockerfile, Map<String, String> buildArgs, String name) {

    BuildRequest {
      buildArgs = Map.copyOf(buildArgs);
    }
  }

  /** An image built for this run, removed when the run ends. */
  record BuiltImage(String name, String forClass, Duration took) implements AutoCloseable {

    static BuiltImage build(BuildRequest request, String forClass) {
      long start = System.nanoTime();
      String built = buildImage(request.context(), request.dockerfile(), request.buildArgs(), request.name());
      return new BuiltImage(built, forClass, Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public void close() {
      removeImage(name);
    }
  }

  /** A fresh name for the image built for a test class, under {@value #BUILT_IMAGE_REPOSITORY_PREFIX}. */
  static String imageName(Class<?> testClass) {
    return BUILT_IMAGE_REPOSITORY_PREFIX + testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        + ":" + UUID.randomUUID().toString().substring(0, 12);
  }

  /**
   * The name of the image built from a context folder in this run: the folder's name, then this
   * JVM's session, a digest of the build's key and the build's number, so that two runs never
   * share a tag.
   */
  static String imageName(Path buildContext, String key) {
    Path folder = buildContext.getFileName();
    String repository = (folder == null ? "root" : folder.toString()).toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return BUILT_IMAGE_REPOSITORY_PREFIX + (repository.isEmpty() ? "context" : repository) + ":"
        + SessionCleanup.ID.substring(0, 8) + "-" + sha256(key).substring(0, 8) + "-" + BUILDS.incrementAndGet();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /**
   * Builds with network mode {@code none} and nothing pulled (the base images must be local),
   * labelled with this JVM's session; the exit hook removes it if it is still there when the JVM
   * exits.
   */
  static String buildImage(Path buildContext, String dockerfile, Map<String, String> buildArgs, String name) {
    SessionCleanup.imageBuilt(name);
    try {
      return new ImageFromDockerfile(name, false)
          .withFileFromPath(".", buildContext)
          .withDockerfilePath(dockerfile)
          .withBuildArgs(buildArgs)
          .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("none").withPull(false)
              .withLabels(SessionCleanup.labels()))
          .get();
    } catch (RuntimeException e) {
      SessionCleanup.imageRemoved(name);
      throw e;
    }
  }

  /** Removes an image this run built; an engine that went away leaves it to the exit hook. */
  static void removeImage(String image) {
    try {
      DockerClientFactory.instance().client().removeImageCmd(image).withForce(true).exec();
      SessionCleanup.imageRemoved(image);
    } catch (NotFoundException e) {
      SessionCleanup.imageRemoved(image);
    } catch (RuntimeException e) {
      // The engine went away: the exit hook tries again.
    }
  }
}

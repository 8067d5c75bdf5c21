package io.gpukit.junit.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds a small, runnable Java base image from files already on this host, without any
 * container registry.
 *
 * <p>Registries-free CI runners, air-gapped networks and offline laptops can build images
 * {@code FROM} the result, because nothing is ever pulled: the image's root filesystem is
 * assembled from a {@code jlink}ed runtime of the host JDK, the host's {@code /bin/sh} and a few
 * utilities ({@code id}, {@code cat}, {@code ls}, {@code env}, {@code sleep}), the shared
 * libraries they need as the host's {@code ldd} reports them (dynamic loader included),
 * {@code /etc/passwd} and {@code /etc/group} with {@code root} and one unprivileged account
 * ({@code app}, uid and gid 10001, by default), and a world-writable {@code /tmp}. The layer is
 * loaded through the Docker Engine API of the client Testcontainers uses.
 *
 * <pre>{@code
 * String base = LocalBaseImage.jre()
 *         .withUser("app", 10001)
 *         .withExtraFile(Path.of("target/probe.jar"), "/opt/probe/probe.jar")
 *         .tag("gpukit-jre-base:17")
 *         .build();
 * new ImageFromDockerfile()
 *         .withFileFromString("Dockerfile", "FROM " + base + "\nUSER 10001\n")
 *         .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("none").withPull(false));
 * }</pre>
 *
 * <p>{@link #shell()} makes the same image without a Java runtime: the tools, their libraries
 * and the accounts only, for images whose service is not Java (and which a probe must therefore
 * check through their own HEALTHCHECK).
 *
 * <p>The runtime is at {@value #JAVA_HOME_IN_IMAGE}; {@code JAVA_HOME} and {@code PATH} point
 * there. The image is only as portable as its host: build it on a glibc-based Linux host of the
 * same architecture as the Docker engine (the usual CI runner). {@link #build()} is idempotent:
 * when the tag already holds an image of the same recipe (JDK, modules, tools, user, extra
 * files) it returns at once; {@code jlink}'s output is also cached on disk, keyed by the JDK
 * version and module set. Instances are mutable builders, not safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class LocalBaseImage {

  /** Where the runtime lives inside the image. */
  public static final String JAVA_HOME_IN_IMAGE = "/opt/java/openjdk";

  /** The image label holding the recipe digest that {@link #build()} compares. */
  public static final String RECIPE_LABEL = "io.gpukit.base-image.recipe";

  /** Modules for a probe or a small service: logging, JMX, HTTP client and server, Unsafe. */
  private static final List<String> DEFAULT_MODULES = List.of("java.base", "java.logging", "java.management",
      "java.net.http", "jdk.httpserver", "jdk.unsupported");
  private static final List<String> DEFAULT_TOOLS = List.of("sh", "id", "cat", "ls", "env", "sleep");
  private static final List<String> HOST_SEARCH_PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
      "/usr/bin", "/sbin", "/bin");
  private static final String SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final String IMAGE_PATH = JAVA_HOME_IN_IMAGE + "/bin:" + SYSTEM_PATH;
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  private static final Pattern TOOL = Pattern.compile("[A-Za-z0-9._+-]+");
  /** Bump when the image layout changes, so cached tags are rebuilt. */
  private static final String FORMAT = "1";
  private static final Logger LOG = LoggerFactory.getLogger(LocalBaseImage.class);

  private Path javaHome = Path.of(System.getProperty("java.home"));
  private final Set<String> modules = new LinkedHashSet<>(DEFAULT_MODULES);
  private final Set<String> tools = new LinkedHashSet<>(DEFAULT_TOOLS);
  private final Map<String, Path> extraFiles = new LinkedHashMap<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private String userName = "app";
  private int uid = 10001;
  private boolean runAsUser;
  private String tag;
  private Path cacheDirectory = Path.of(System.getProperty("java.io.tmpdir"), "gpukit-jlink");
  private boolean force;
  private DockerClient client;
  private final boolean withJava;

  private LocalBaseImage(boolean withJava) {
    this.withJava = withJava;
  }

  /**
   * Starts a base image with a runtime of the running JDK and the default modules
   * ({@code java.base}, {@code java.logging}, {@code java.management}, {@code java.net.http},
   * {@code jdk.httpserver}, {@code jdk.unsupported}), tagged {@code gpukit-jre-base:<feature>}
   * (for example {@code gpukit-jre-base:17}) unless {@link #tag(String)} says otherwise.
   */
  public static LocalBaseImage jre() {
    return new LocalBaseImage(true);
  }

  /**
   * Starts a base image without any Java runtime: the host's {@code /bin/sh}, the tools and their
   * libraries, the accounts and {@code /tmp}, with {@code PATH} the usual system folders and
   * {@code sh} as its command; tagged {@code gpukit-shell-base:latest} unless {@link #tag(String)}
   * says otherwise.
   *
   * @return the builder
   * @since 0.1.0
   */
  public static LocalBaseImage shell() {
    return new LocalBaseImage(false);
  }

  /** Uses another JDK (one with {@code jlink}) for the runtime instead of the running one. */
  public LocalBaseImage withJavaHome(Path jdkHome) {
    requireJava("withJavaHome");
    this.javaHome = Objects.requireNonNull(jdkHome, "jdkHome");
    return this;
  }

  private void requireJava(String method) {
    if (!withJava) {
      throw new IllegalStateException(method + " applies to a Java runtime, and LocalBaseImage.shell() has none:"
          + " use LocalBaseImage.jre()");
    }
  }

  /** Adds modules to the runtime, on top of the defaults listed at {@link #jre()}. */
  public LocalBaseImage withModules(String... moduleNames) {
    requireJava("withModules");
    for (String module : moduleNames) {
      if (module == null || module.isBlank()) {
        throw new IllegalArgumentException("module names must not be blank");
      }
      modules.add(module.strip());
    }
    return this;
  }

  /**
   * Adds host executables, found on the usual {@code /usr/bin}-style directories, at the same
   * path in the image (with their libraries); {@code sh}, {@code id}, {@code cat}, {@code ls},
   * {@code env} and {@code sleep} are always there.
   */
  public LocalBaseImage withTools(String... names) {
    for (String name : names) {
      if (name == null || !TOOL.matcher(name).matches()) {
        throw new IllegalArgumentException("'" + name + "' is not a plain executable name");
      }
      tools.add(name);
    }
    return this;
  }

  /**
   * Names the unprivileged account (uid and gid {@code uid}, home {@code /home/<name>}) and
   * makes it the image's default user. Without this call the account is {@code app} (10001)
   * and the image runs as root, leaving {@code USER} to derived images.
   */
  public LocalBaseImage withUser(String name, int uid) {
    if (name == null || !NAME.matcher(name).matches() || name.equals("root")) {
      throw new IllegalArgumentException("'" + name + "' is not a valid unprivileged user name");
    }
    if (uid <= 0 || uid > 2_147_483_646) {
      throw new IllegalArgumentException("uid must be positive, was " + uid);
    }
    this.userName = name;
    this.uid = uid;
    this.runAsUser = true;
    return this;
  }

  /** Copies a host file (following symlinks, keeping its permissions) to an absolute path in the image. */
  public LocalBaseImage withExtraFile(Path hostPath, String containerPath) {
    Objects.requireNonNull(hostPath, "hostPath");
    if (containerPath == null || !containerPath.startsWith("/")) {
      throw new IllegalArgumentException("container path '" + containerPath + "' must be absolute");
    }
    if (!Files.isRegularFile(hostPath)) {
      throw new IllegalArgumentException("'" + hostPath + "' is not a readable regular file");
    }
    extraFiles.put(containerPath, hostPath.toAbsolutePath());
    return this;
  }

  /** Adds an environment variable to the image configuration. */
  public LocalBaseImage withEnv(String name, String value) {
    if (name == null || name.isEmpty() || name.contains("=") || name.equals("PATH") || name.equals("JAVA_HOME")) {
      throw new IllegalArgumentException("'" + name + "' cannot be set: PATH and JAVA_HOME are fixed");
    }
    env.put(name, Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Sets the image's {@code name:tag}. */
  public LocalBaseImage tag(String imageTag) {
    if (imageTag == null || imageTag.isBlank() || imageTag.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("'" + imageTag + "' is not an image tag");
    }
    this.tag = imageTag;
    return this;
  }

  /** Where {@code jlink} output is cached; defaults to {@code gpukit-jlink} in the temporary directory. */
  public LocalBaseImage withCacheDirectory(Path directory) {
    this.cacheDirectory = Objects.requireNonNull(directory, "directory");
    return this;
  }

  /** Rebuilds even when the tag already holds an image of the same recipe. */
  public LocalBaseImage forceRebuild() {
    this.force = true;
    return this;
  }

  /** Uses this Docker client instead of Testcontainers' shared one. */
  public LocalBaseImage withDockerClient(DockerClient dockerClient) {
    this.client = Objects.requireNonNull(dockerClient, "dockerClient");
    return this;
  }

  /**
   * Builds and loads the image unless the tag already holds one of the same recipe.
   *
   * @return the image tag, ready for {@code FROM}
   * @throws IllegalStateException when this host cannot supply the files, or the engine refuses the image
   */
  public String build() {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
      throw new IllegalStateException("a local base image is assembled from host binaries, so it needs a Linux"
          + " host; this is " + System.getProperty("os.name"));
    }
    try {
      String imageTag = tag != null ? tag
          : withJava ? "gpukit-jre-base:" + JlinkRuntime.featureVersion(javaHome) : "gpukit-shell-base:latest";
      Map<String, Path> resolvedTools = resolveTools();
      String recipe = recipe(resolvedTools);
      DockerClient docker = client != null ? client : DockerClientFactory.instance().client();
      Optional<InspectImageResponse> existing = ImageArchive.inspect(docker, imageTag);
      if (!force && existing.map(i -> recipe.equals(label(i))).orElse(false)) {
        LOG.debug("{} is up to date (recipe {})", imageTag, recipe);
        return imageTag;
      }
      long started = System.nanoTime();
      Path runtime = withJava ? JlinkRuntime.linked(javaHome, List.copyOf(modules), cacheDirectory) : null;
      RootFsLayer layer = RootFsAssembly.assemble(runtime, resolvedTools.values(), extraFiles,
          new RootFsAssembly.Account(userName, uid));
      ImageArchive.load(docker, imageTag, layer, config(recipe));
      existing.map(InspectImageResponse::getId)
          .filter(oldId -> ImageArchive.inspect(docker, imageTag).map(i -> !oldId.equals(i.getId())).orElse(true))
          .ifPresent(oldId -> removeQuietly(docker, oldId));
      LOG.info("Loaded local base image {} in {} ms", imageTag, (System.nanoTime() - started) / 1_000_000);
      return imageTag;
    } catch (IOException e) {
      throw new IllegalStateException("cannot build the local base image: " + e.getMessage(), e);
    } catch (DockerException e) {
      throw new IllegalStateException("the Docker engine refused the local base image: " + e.getMessage(), e);
    }
  }

  private Map<String, Path> resolveTools() throws IOException {
    Map<String, Path> resolved = new LinkedHashMap<>();
    for (String tool : tools) {
      Path found = tool.equals("sh") ? Path.of("/bin/sh") : null;
      for (int i = 0; found == null && i < HOST_SEARCH_PATH.size(); i++) {
        Path candidate = Path.of(HOST_SEARCH_PATH.get(i), tool);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          found = candidate;
        }
      }
      if (found == null || !Files.isExecutable(found)) {
        throw new IOException("no '" + tool + "' executable in " + HOST_SEARCH_PATH + " on this host");
      }
      resolved.put(tool, found);
    }
    return resolved;
  }

  /** Everything that decides the image's content, so an unchanged recipe can skip the rebuild. */
  private String recipe(Map<String, Path> resolvedTools) throws IOException {
    StringBuilder text = new StringBuilder("format=").append(FORMAT);
    if (withJava) {
      text.append("\njdk=").append(javaHome.toRealPath()).append(' ').append(JlinkRuntime.runtimeVersion(javaHome))
          .append("\nmodules=").append(String.join(",", modules));
    } else {
      text.append("\njava=none");
    }
    text.append("\nuser=").append(userName).append(':').append(uid).append(':').append(runAsUser);
    for (Map.Entry<String, Path> tool : resolvedTools.entrySet()) {
      Path real = tool.getValue().toRealPath();
      text.append("\ntool=").append(tool.getKey()).append(' ').append(real).append(' ')
          .append(Files.size(real)).append(' ').append(Files.getLastModifiedTime(real).toMillis());
    }
    for (Map.Entry<String, Path> file : extraFiles.entrySet()) {
      text.append("\nfile=").append(file.getKey()).append(' ').append(ImageArchive.sha256(file.getValue()));
    }
    env.forEach((k, v) -> text.append("\nenv=").append(k).append('=').append(v));
    return JlinkRuntime.sha256(text.toString());
  }

  /** The image's configuration: its variables, user, command, recipe label and history. */
  private ImageArchive.Config config(String recipe) {
    List<String> environment = new ArrayList<>();
    if (withJava) {
      environment.add("PATH=" + IMAGE_PATH);
      environment.add("JAVA_HOME=" + JAVA_HOME_IN_IMAGE);
    } else {
      environment.add("PATH=" + SYSTEM_PATH);
    }
    environment.add("LANG=C.UTF-8");
    env.forEach((k, v) -> environment.add(k + "=" + v));
    return new ImageArchive.Config(environment, runAsUser ? String.valueOf(uid) : "",
        withJava ? List.of("java", "-version") : List.of("sh"), recipe,
        withJava ? "gpukit LocalBaseImage from " + javaHome : "gpukit LocalBaseImage.shell() from host tools");
  }

  private static String label(InspectImageResponse image) {
    if (image.getConfig() == null || image.getConfig().getLabels() == null) {
      return null;
    }
    return image.getConfig().getLabels().get(RECIPE_LABEL);
  }

  private static void removeQuietly(DockerClient docker, String imageId) {
    try {
      docker.removeImageCmd(imageId).withNoPrune(false).exec();
    } catch (DockerException e) {
      // Still used by a derived image or a container: leave it for `docker image prune`.
      LOG.debug("kept the replaced base image {}: {}", imageId, e.getMessage());
    }
  }
}

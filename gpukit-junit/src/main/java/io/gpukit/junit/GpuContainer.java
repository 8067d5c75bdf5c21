package io.gpukit.junit;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Volume;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Testcontainers container with the host's NVIDIA GPUs attached and the gpukit probe run inside.
 *
 * <pre>{@code
 * try (GpuContainer container = new GpuContainer("my-service:1.0")
 *     .withGpus(GpuAttach.DEVICE_NODES)
 *     .withProbeJar(Path.of("target/gpukit-probe.jar"))) {
 *   container.start();
 *   ProbeResultAssert.assertThat(container.probe()).isHealthy();
 *   ProbeResultAssert.assertThat(container.probe(Map.of("CUDA_VISIBLE_DEVICES", "")))
 *       .failedWith(ProbeExitCode.NO_CUDA_DEVICE);
 * }
 * }</pre>
 *
 * <p>The GPU attachment is worked out when the container starts (in {@link #configure()}), never
 * in the constructor or in {@code withGpus}: building the container asks neither Docker nor the
 * host anything.
 *
 * @since 0.1.0
 */
public class GpuContainer extends GenericContainer<GpuContainer> {

  /** Where {@link #withProbeJar(Path)} puts the probe, and where {@link #probe()} runs it from. */
  public static final String PROBE_JAR_IN_CONTAINER = "/opt/gpukit/gpukit-probe.jar";

  /** Where {@link GpuAttach#DEVICE_NODES} mounts the host's driver library folder, read-only. */
  public static final String DRIVER_LIBRARIES_IN_CONTAINER = "/usr/local/nvidia/lib64";

  /** The daemon's answer to a {@code gpu} device request when the NVIDIA Container Toolkit is missing. */
  static final String NO_TOOLKIT_ERROR = "could not select device driver \"\" with capabilities: [[gpu]]";
  /** The same, also when quoted inside the JSON of an error response ({@code \"\"}). */
  private static final Pattern NO_TOOLKIT_PATTERN = Pattern.compile(
      "could not select device driver \\\\?\"\\\\?\" with capabilities: \\[\\[gpu]]");
  static final String NO_TOOLKIT_EXPLANATION = "this Docker host has no NVIDIA Container Toolkit: install it, or use"
      + " GpuAttach.DEVICE_NODES";

  private GpuAttach attach;
  private String gpus = "all";
  private List<String> probeArguments = List.of();
  private GpuHost.View hostView = GpuHost.LOCAL;
  private Supplier<GpuHost.Engine> engine = this::engineHint;
  private GpuHost.Selection selection;
  private Attachment attachment = Attachment.NONE;

  /**
   * Creates a container of an image, which is neither pulled nor inspected until it starts.
   *
   * @param image the image name
   * @since 0.1.0
   */
  public GpuContainer(String image) {
    this(DockerImageName.parse(image));
  }

  /**
   * Creates a container of an image.
   *
   * @param image the image name
   * @since 0.1.0
   */
  public GpuContainer(DockerImageName image) {
    super(image);
    withCreateContainerCmdModifier(this::applyAttachment);
  }

  /**
   * Creates a container of an image that is still being built, such as an
   * {@code ImageFromDockerfile}.
   *
   * @param image the image name, once built
   * @since 0.1.0
   */
  public GpuContainer(Future<String> image) {
    super(image);
    withCreateContainerCmdModifier(this::applyAttachment);
  }

  /**
   * Attaches all of the host's GPUs this way when the container starts.
   *
   * @param how the strategy
   * @return this container
   * @since 0.1.0
   */
  public GpuContainer withGpus(GpuAttach how) {
    return withGpus(how, "all");
  }

  /**
   * Attaches GPUs this way when the container starts.
   *
   * @param how the strategy
   * @param gpus {@code all}, a count ({@code 2}: the first two) or ids ({@code device=0,1}), as
   *     {@code docker run --gpus} takes them
   * @return this container
   * @throws IllegalArgumentException when {@code gpus} is none of these
   * @since 0.1.0
   */
  public GpuContainer withGpus(GpuAttach how, String gpus) {
    this.attach = Objects.requireNonNull(how, "how");
    GpuSelector.parse(gpus);
    this.gpus = gpus.strip();
    return self();
  }

  /**
   * Copies the probe jar into the container at {@value #PROBE_JAR_IN_CONTAINER}, for images that
   * have a {@code java} but no probe.
   *
   * @param jar the shaded {@code gpukit-probe.jar}
   * @return this container
   * @throws IllegalArgumentException when there is no such file
   * @since 0.1.0
   */
  public GpuContainer withProbeJar(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("no probe jar at '" + jar.toAbsolutePath() + "': build gpukit-probe"
          + " (mvn -pl gpukit-probe package) or point at its gpukit-probe.jar");
    }
    return withCopyFileToContainer(MountableFile.forHostPath(jar, 0644), PROBE_JAR_IN_CONTAINER);
  }

  /**
   * Passes more arguments to every probe run, after {@code --json} (for example
   * {@code --mode deep} or {@code --timeout-ms 30000}).
   *
   * @param arguments probe arguments
   * @return this container
   * @since 0.1.0
   */
  public GpuContainer withProbeArguments(String... arguments) {
    this.probeArguments = List.of(arguments);
    return self();
  }

  /**
   * Returns the strategy in use once started: the one asked for, or the one {@link GpuAttach#AUTO}
   * picked; empty when no GPU is attached.
   *
   * @return the strategy
   * @since 0.1.0
   */
  public Optional<GpuAttach> gpuAttach() {
    return selection == null ? Optional.empty() : selection.attach();
  }

  /**
   * Says why the strategy in use was chosen, once started.
   *
   * @return the reason, or empty before the start or when no GPU was asked for
   * @since 0.1.0
   */
  public Optional<String> gpuSelectionReason() {
    return selection == null ? Optional.empty() : Optional.of(selection.reason());
  }

  /**
   * Runs the probe in the started container with no extra environment.
   *
   * @return the parsed result
   * @since 0.1.0
   */
  public ProbeResult probe() {
    return probe(Map.of());
  }

  /**
   * Runs {@code java -jar} {@value #PROBE_JAR_IN_CONTAINER} {@code --json} in the started
   * container with these variables added to its environment ({@code CUDA_VISIBLE_DEVICES=""} hides
   * the GPUs from CUDA: the negative control).
   *
   * @param env variables for this run only
   * @return the parsed result
   * @throws IllegalStateException when the container is not running or the command cannot be run
   * @since 0.1.0
   */
  public ProbeResult probe(Map<String, String> env) {
    List<String> command = probeCommand(env, probeArguments);
    try {
      Container.ExecResult result = execInContainer(command.toArray(String[]::new));
      return ProbeResult.parse(result.getExitCode(), result.getStdout(), result.getStderr());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run the probe in the container: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the probe ran", e);
    }
  }

  static List<String> probeCommand(Map<String, String> env, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add("env");
    env.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      if (e.getKey().isEmpty() || e.getKey().contains("=")) {
        throw new IllegalArgumentException("'" + e.getKey() + "' is not an environment variable name");
      }
      command.add(e.getKey() + "=" + Objects.requireNonNull(e.getValue(), e.getKey()));
    });
    command.addAll(List.of("java", "-jar", PROBE_JAR_IN_CONTAINER, "--json"));
    command.addAll(arguments);
    return command;
  }

  @Override
  public void start() {
    try {
      super.start();
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof AttachmentException attachmentFailure) {
          // Said before any container existed: the launch exception around it adds nothing.
          throw attachmentFailure;
        }
      }
      Optional<String> explained = explain(e);
      if (explained.isPresent()) {
        throw new IllegalStateException(explained.get(), e);
      }
      throw e;
    }
  }

  /** The fix for a known Docker error anywhere in the cause chain, or empty. */
  static Optional<String> explain(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && NO_TOOLKIT_PATTERN.matcher(t.getMessage()).find()) {
        return Optional.of(NO_TOOLKIT_EXPLANATION + " (the daemon said: " + NO_TOOLKIT_ERROR + ")");
      }
    }
    return Optional.empty();
  }

  @Override
  protected void configure() {
    super.configure();
    if (attach == null) {
      selection = null;
      attachment = Attachment.NONE;
      return;
    }
    GpuHost.Evidence evidence = GpuHost.gather(hostView,
        attach == GpuAttach.AUTO ? engine : () -> GpuHost.Engine.UNKNOWN);
    selection = attach == GpuAttach.AUTO ? GpuHost.choose(evidence)
        : new GpuHost.Selection(Optional.of(attach), attach + " as asked");
    GpuAttach resolved = selection.attach().orElseThrow(() -> new AttachmentException(
        "GpuAttach.AUTO found no way to attach a GPU: " + selection.reason(), null));
    try {
      attachment = Attachment.of(resolved, GpuSelector.parse(gpus), evidence);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new AttachmentException(e.getMessage(), e);
    }
  }

  /** Package-private: a fake host for tests. */
  GpuContainer withHost(GpuHost.View view, GpuHost.Engine engineHint) {
    this.hostView = view;
    this.engine = () -> engineHint;
    return self();
  }

  Attachment attachment() {
    return attachment;
  }

  private void applyAttachment(CreateContainerCmd cmd) {
    if (attachment == Attachment.NONE) {
      return;
    }
    cmd.withHostConfig(withAttachment(cmd.getHostConfig(), attachment));
    if (attachment.libraryPath() != null) {
      String[] env = cmd.getEnv() == null ? new String[0] : cmd.getEnv();
      boolean own = Arrays.stream(env).anyMatch(entry -> entry.startsWith("LD_LIBRARY_PATH="));
      // The container's variable replaces the image's, so start from the image's unless overridden.
      cmd.withEnv(envWithLibraryPath(env, own ? null : imageEnv("LD_LIBRARY_PATH"), attachment.libraryPath()));
    }
  }

  /** The host configuration plus the attachment's device requests, devices and binds. */
  static HostConfig withAttachment(HostConfig original, Attachment attachment) {
    HostConfig hostConfig = original != null ? original : HostConfig.newHostConfig();
    if (!attachment.deviceRequests().isEmpty()) {
      List<DeviceRequest> requests = new ArrayList<>(
          hostConfig.getDeviceRequests() == null ? List.of() : hostConfig.getDeviceRequests());
      requests.addAll(attachment.deviceRequests());
      hostConfig.withDeviceRequests(requests);
    }
    if (!attachment.devices().isEmpty()) {
      List<Device> devices = new ArrayList<>(
          hostConfig.getDevices() == null ? List.of() : Arrays.asList(hostConfig.getDevices()));
      devices.addAll(attachment.devices());
      hostConfig.withDevices(devices);
    }
    if (!attachment.binds().isEmpty()) {
      List<Bind> binds = new ArrayList<>(hostConfig.getBinds() == null ? List.of() : Arrays.asList(hostConfig.getBinds()));
      binds.addAll(attachment.binds());
      hostConfig.withBinds(binds);
    }
    return hostConfig;
  }

  /** The container's environment with the library folder first on {@code LD_LIBRARY_PATH}. */
  static List<String> envWithLibraryPath(String[] env, String imageLibraryPath, String folder) {
    List<String> result = new ArrayList<>();
    String current = imageLibraryPath;
    for (String entry : env) {
      if (entry.startsWith("LD_LIBRARY_PATH=")) {
        current = entry.substring("LD_LIBRARY_PATH=".length());
      } else {
        result.add(entry);
      }
    }
    result.add("LD_LIBRARY_PATH=" + prependPath(folder, current));
    return result;
  }

  static String prependPath(String first, String current) {
    if (current == null || current.isBlank()) {
      return first;
    }
    return first + ":" + Stream.of(current.split(":")).filter(p -> !p.isEmpty() && !p.equals(first))
        .reduce((a, b) -> a + ":" + b).orElse("");
  }

  private String imageEnv(String name) {
    try {
      InspectImageResponse image = getDockerClient().inspectImageCmd(getDockerImageName()).exec();
      if (image.getConfig() == null || image.getConfig().getEnv() == null) {
        return null;
      }
      for (String entry : image.getConfig().getEnv()) {
        if (entry.startsWith(name + "=")) {
          return entry.substring(name.length() + 1);
        }
      }
      return null;
    } catch (RuntimeException e) {
      // Not inspectable yet (to be pulled): the container's own variable, if any, is all we know.
      return null;
    }
  }

  private GpuHost.Engine engineHint() {
    try {
      Info info = getDockerClient().infoCmd().exec();
      return GpuHost.Engine.of(info.getRuntimes() == null ? null : info.getRuntimes().keySet(), info.getServerVersion());
    } catch (RuntimeException e) {
      return GpuHost.Engine.UNKNOWN;
    }
  }

  /** The GPUs cannot be attached as asked on this host; thrown at start, before any container exists. */
  static final class AttachmentException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    AttachmentException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Which GPUs: all, the first N, or ids. */
  record GpuSelector(Integer count, List<String> ids) {

    static GpuSelector parse(String gpus) {
      if (gpus == null || gpus.isBlank()) {
        throw new IllegalArgumentException("gpus must be 'all', a count or 'device=ID[,ID...]'");
      }
      String value = gpus.strip();
      if (value.equals("all")) {
        return new GpuSelector(-1, List.of());
      }
      if (value.matches("[0-9]+")) {
        int count = Integer.parseInt(value);
        if (count == 0) {
          throw new IllegalArgumentException("gpus=0 attaches nothing; leave withGpus out instead");
        }
        return new GpuSelector(count, List.of());
      }
      if (value.startsWith("device=") && value.length() > "device=".length()) {
        List<String> ids = Stream.of(value.substring("device=".length()).split(",", -1)).map(String::strip).toList();
        if (ids.stream().anyMatch(String::isEmpty)) {
          throw new IllegalArgumentException("'" + gpus + "' has an empty device id");
        }
        return new GpuSelector(null, ids);
      }
      throw new IllegalArgumentException("'" + gpus + "' is not 'all', a count or 'device=ID[,ID...]'");
    }
  }

  /** What the container gets: device requests, or device nodes with the driver bind and library path. */
  record Attachment(List<DeviceRequest> deviceRequests, List<Device> devices, List<Bind> binds, String libraryPath) {

    static final Attachment NONE = new Attachment(List.of(), List.of(), List.of(), null);

    static Attachment of(GpuAttach how, GpuSelector selector, GpuHost.Evidence evidence) {
      return switch (how) {
        case TOOLKIT -> {
          DeviceRequest request = new DeviceRequest().withCapabilities(List.of(List.of("gpu")));
          request = selector.ids().isEmpty() ? request.withCount(selector.count()) : request.withDeviceIds(selector.ids());
          yield new Attachment(List.of(request), List.of(), List.of(), null);
        }
        case CDI -> {
          if (selector.count() != null && selector.count() > 0) {
            throw new IllegalArgumentException("CDI selects devices by name: use 'all' or 'device=0,1', not a count");
          }
          List<String> names = selector.ids().isEmpty() ? List.of("nvidia.com/gpu=all")
              : selector.ids().stream().map(id -> "nvidia.com/gpu=" + id).toList();
          yield new Attachment(List.of(new DeviceRequest().withDriver("cdi").withDeviceIds(names)), List.of(), List.of(), null);
        }
        case DEVICE_NODES -> deviceNodes(selector, evidence);
        case AUTO -> throw new IllegalArgumentException("AUTO is resolved before attaching");
      };
    }

    private static Attachment deviceNodes(GpuSelector selector, GpuHost.Evidence evidence) {
      List<String> gpuNodes = evidence.deviceNodes().stream().filter(GpuHost::isGpuNode)
          .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.substring("/dev/nvidia".length())))).toList();
      if (gpuNodes.isEmpty()) {
        throw new IllegalStateException("GpuAttach.DEVICE_NODES: no GPU device nodes (/dev/nvidia0, ...) on this host"
            + (evidence.deviceNodes().isEmpty() ? "" : ", only " + evidence.deviceNodes())
            + ": is the NVIDIA driver loaded (nvidia-smi)?");
      }
      if (evidence.driverFolder().isEmpty() || evidence.driverBinds().isEmpty()) {
        throw new IllegalStateException("GpuAttach.DEVICE_NODES: no driver library to mount: "
            + evidence.driverFolderSource());
      }
      List<String> chosen;
      if (!selector.ids().isEmpty()) {
        chosen = new ArrayList<>();
        for (String id : selector.ids()) {
          String node = "/dev/nvidia" + id;
          if (!id.matches("[0-9]+") || !gpuNodes.contains(node)) {
            throw new IllegalArgumentException("GpuAttach.DEVICE_NODES selects GPUs by index; there is no " + node
                + " among " + gpuNodes);
          }
          chosen.add(node);
        }
      } else if (selector.count() > 0) {
        if (selector.count() > gpuNodes.size()) {
          throw new IllegalStateException(selector.count() + " GPUs asked for, this host has " + gpuNodes.size()
              + " " + gpuNodes);
        }
        chosen = gpuNodes.subList(0, selector.count());
      } else {
        chosen = gpuNodes;
      }
      List<Device> devices = new ArrayList<>();
      for (String node : evidence.deviceNodes()) {
        if (!GpuHost.isGpuNode(node) || chosen.contains(node)) {
          devices.add(new Device("rwm", node, node));
        }
      }
      List<Bind> binds = evidence.driverBinds().stream()
          .map(b -> new Bind(b.hostPath(), new Volume(b.containerPath()), AccessMode.ro)).toList();
      return new Attachment(List.of(), List.copyOf(devices), binds, DRIVER_LIBRARIES_IN_CONTAINER);
    }
  }
}

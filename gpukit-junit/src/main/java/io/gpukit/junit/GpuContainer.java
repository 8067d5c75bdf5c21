package io.gpukit.junit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * <p>{@link #probe()} takes the first route that the image allows ({@link #probeRoute()} says which
 * and why): the image's {@code java} with the probe copied in by {@link #withProbeJar(Path)}, or
 * with the image's own probe at {@value #PROBE_JAR_IN_CONTAINER}; where the image has no
 * {@code java} (or no probe), its own HEALTHCHECK command, run inside the container and judged by
 * its exit code.
 *
 * <p>Every container carries the label {@value #SESSION_LABEL} with this JVM's session id.
 * When the JVM exits without the container being stopped (a {@code SIGTERM}, a run cut short),
 * a shutdown hook removes it; after a {@code SIGKILL}, {@code docker rm -f $(docker ps -aq
 * --filter label=io.gpukit.junit.session)} does.
 *
 * @since 0.1.0
 */
public class GpuContainer extends GenericContainer<GpuContainer> {

  /** Where {@link #withProbeJar(Path)} puts the probe, and where {@link #probe()} runs it from. */
  public static final String PROBE_JAR_IN_CONTAINER = "/opt/gpukit/gpukit-probe.jar";

  /** Where {@link GpuAttach#DEVICE_NODES} mounts the host's driver library folder, read-only. */
  public static final String DRIVER_LIBRARIES_IN_CONTAINER = "/usr/local/nvidia/lib64";

  /**
   * The label on every container (and every image {@link GpuContainerTest} builds), with this
   * JVM's session id as its value: {@code docker ps -a --filter label=io.gpukit.junit.session}
   * lists them.
   */
  public static final String SESSION_LABEL = "io.gpukit.junit.session";

  /** How long {@code java -version} may take when the route is worked out. */
  static final Duration JAVA_CHECK_TIMEOUT = Duration.ofSeconds(60);

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
  private boolean probeJarCopied;
  private volatile ProbeRoute route;
  private HealthWait.Healthcheck routeHealthcheck;

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
    withLabel(SESSION_LABEL, SessionCleanup.ID);
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
    withLabel(SESSION_LABEL, SessionCleanup.ID);
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
    probeJarCopied = true;
    return withCopyFileToContainer(MountableFile.forHostPath(jar, 0644), PROBE_JAR_IN_CONTAINER);
  }

  /**
   * The probe's time budget in tests, unless {@link #withProbeArguments(String...)} names one:
   * 10 s. Test classes running in parallel on one GPU create CUDA contexts at once, and the driver
   * serialises them, so the 1 s budget fit for a Kubernetes probe would fail them for contention,
   * not for a broken GPU. Assert on latency explicitly, with {@code
   * assertThat(result).check("tensor.roundtrip").tookLessThan(...)}.
   *
   * @since 0.1.0
   */
  public static final int TEST_PROBE_TIMEOUT_MS = 10_000;

  /**
   * Passes more arguments to every probe run, after {@code --json} (for example
   * {@code --mode deep} or {@code --timeout-ms 30000}); without a {@code --timeout-ms} the probe
   * gets {@link #TEST_PROBE_TIMEOUT_MS}.
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
   * Proves the GPU in the started container, with these variables added to the environment of
   * this run ({@code CUDA_VISIBLE_DEVICES=""} hides the GPUs from CUDA: the negative control), the
   * way {@link #probeRoute()} says: {@code java -jar} {@value #PROBE_JAR_IN_CONTAINER}
   * {@code --json} and the {@linkplain #withProbeArguments probe arguments}, or the image's
   * HEALTHCHECK command, bounded by its timeout (a run that outlasts it gives exit status -1).
   *
   * @param env variables for this run only
   * @return the result, with its {@link ProbeResult#route()}
   * @throws IllegalStateException when the container is not running, the command cannot be run,
   *     or the image has neither {@code java} with a probe nor a HEALTHCHECK
   * @since 0.1.0
   */
  public ProbeResult probe(Map<String, String> env) {
    ProbeRoute how = probeRoute();
    if (!how.runsTheProbe()) {
      ExecOutcome outcome = exec(how.command(), env, routeHealthcheck.timeout());
      String stderr = outcome.timedOut() ? (outcome.stderr() + "\nthe HEALTHCHECK command did not finish within the"
          + " HEALTHCHECK's timeout of " + HealthWait.seconds(routeHealthcheck.timeout())).strip() : outcome.stderr();
      return ProbeResult.ofHealthcheck(outcome.timedOut() ? -1 : outcome.exitCode(), outcome.stdout(), stderr, how);
    }
    List<String> command = probeCommand(env, probeArguments);
    try {
      Container.ExecResult result = execInContainer(command.toArray(String[]::new));
      return ProbeResult.parse(result.getExitCode(), result.getStdout(), result.getStderr()).withRoute(how);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run the probe in the container: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the probe ran", e);
    }
  }

  /**
   * Works out, once per start, how {@link #probe()} proves the GPU: with the image's {@code java}
   * ({@code java -version} exits 0 in the container) and the probe copied in by
   * {@link #withProbeJar(Path)}, or else the image's own at {@value #PROBE_JAR_IN_CONTAINER}; without
   * {@code java} or without a probe, with the image's HEALTHCHECK command ({@code CMD-SHELL} runs
   * through {@code /bin/sh -c}; a {@code SHELL} instruction is not honoured).
   *
   * @return the route and why it was taken
   * @throws IllegalStateException when the container is not running, or the image has neither
   *     {@code java} with a probe nor a HEALTHCHECK (the message says what to add)
   * @since 0.1.0
   */
  public ProbeRoute probeRoute() {
    if (getContainerId() == null || !isRunning()) {
      throw new IllegalStateException("the container is not running: start it before probing");
    }
    ProbeRoute known = route;
    if (known == null) {
      synchronized (this) {
        if (route == null) {
          route = resolveRoute();
        }
        known = route;
      }
    }
    return known;
  }

  private ProbeRoute resolveRoute() {
    ExecOutcome java = exec(List.of("java", "-version"), Map.of(), JAVA_CHECK_TIMEOUT);
    String image = getDockerImageName();
    String withoutProbe;
    if (java.exitCode() == 0 && !java.timedOut()) {
      List<String> command = probeCommand(Map.of(), probeArguments);
      if (probeJarCopied) {
        return new ProbeRoute(ProbeRoute.Kind.COPIED_PROBE, command, "the image's java runs the probe copied to "
            + PROBE_JAR_IN_CONTAINER);
      }
      if (hasFile(PROBE_JAR_IN_CONTAINER)) {
        return new ProbeRoute(ProbeRoute.Kind.IMAGE_PROBE, command, "the image's java runs the image's "
            + PROBE_JAR_IN_CONTAINER);
      }
      withoutProbe = "no gpukit-probe.jar in the image at " + PROBE_JAR_IN_CONTAINER + " and none copied in";
    } else {
      withoutProbe = "no java in the image";
    }
    Optional<HealthWait.Healthcheck> healthcheck = HealthWait.Healthcheck.of(getDockerClient(), image);
    if (healthcheck.isPresent()) {
      routeHealthcheck = healthcheck.get();
      return new ProbeRoute(ProbeRoute.Kind.IMAGE_HEALTHCHECK, healthcheckCommand(healthcheck.get().test()),
          withoutProbe);
    }
    throw new IllegalStateException(neitherProbeNorHealthcheck(image, withoutProbe, java));
  }

  /** Why an image cannot be probed at all, with the fix. */
  static String neitherProbeNorHealthcheck(String image, String withoutProbe, ExecOutcome java) {
    if (withoutProbe.startsWith("no java")) {
      return "the image '" + image + "' has no java to run gpukit-probe.jar (java -version: " + java.describe()
          + ") and no HEALTHCHECK to run in its place: add a JRE to the image (the probe jar is copied in with"
          + " -Dgpukit.probe.jar or GpuContainer.withProbeJar), or a HEALTHCHECK whose command exits non-zero when"
          + " CUDA sees no GPU (it is run with CUDA_VISIBLE_DEVICES= as the negative control)";
    }
    return "the image '" + image + "' has java but no gpukit-probe.jar at " + PROBE_JAR_IN_CONTAINER + ", none was"
        + " copied in, and it has no HEALTHCHECK to run in its place: copy the probe in (-Dgpukit.probe.jar=path/to/"
        + "gpukit-probe.jar, or GpuContainer.withProbeJar), or add it to the image at " + PROBE_JAR_IN_CONTAINER;
  }

  /** The command Docker runs for a HEALTHCHECK test ({@code CMD ...} or {@code CMD-SHELL cmd}). */
  static List<String> healthcheckCommand(List<String> test) {
    if (test.size() >= 2 && test.get(0).equals("CMD")) {
      return List.copyOf(test.subList(1, test.size()));
    }
    if (test.size() == 2 && test.get(0).equals("CMD-SHELL")) {
      return List.of("/bin/sh", "-c", test.get(1));
    }
    throw new IllegalArgumentException("HEALTHCHECK " + test + " is neither CMD nor CMD-SHELL with a command");
  }

  private boolean hasFile(String path) {
    try (InputStream archive = getDockerClient().copyArchiveFromContainerCmd(getContainerId(), path).exec()) {
      return archive.read() >= 0;
    } catch (NotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new IllegalStateException("cannot look for " + path + " in the container: " + e.getMessage(), e);
    }
  }

  /** A command run in the container, bounded by a timeout. */
  record ExecOutcome(int exitCode, String stdout, String stderr, boolean timedOut) {

    String describe() {
      String output = (stdout + " " + stderr).strip();
      return (timedOut ? "no answer in time" : "exit " + exitCode) + (output.isEmpty() ? "" : ": " + output);
    }
  }

  /**
   * Runs a command in the started container through the Engine API, with these variables added to
   * its environment, waiting at most {@code timeout}.
   */
  ExecOutcome exec(List<String> command, Map<String, String> env, Duration timeout) {
    DockerClient docker = getDockerClient();
    ExecCreateCmd create = docker.execCreateCmd(getContainerId()).withCmd(command.toArray(String[]::new))
        .withAttachStdout(true).withAttachStderr(true);
    List<String> variables = environment(env);
    if (!variables.isEmpty()) {
      create.withEnv(variables);
    }
    String execId = create.exec().getId();
    StringBuilder stdout = new StringBuilder();
    StringBuilder stderr = new StringBuilder();
    ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
        synchronized (stdout) {
          (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).append(text);
        }
      }
    };
    boolean finished;
    try {
      docker.execStartCmd(execId).exec(callback);
      finished = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + command + " ran in the container", e);
    } catch (RuntimeException e) {
      // The engine could not start it (no such executable): the exec's exit code says so.
      finished = true;
      synchronized (stdout) {
        stderr.append(e.getMessage() == null ? e.toString() : e.getMessage());
      }
    } finally {
      closeQuietly(callback);
    }
    String out;
    String err;
    synchronized (stdout) {
      out = stdout.toString();
      err = stderr.toString();
    }
    if (!finished) {
      return new ExecOutcome(-1, out, err, true);
    }
    // The stream may end a moment before the engine records the exit code.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    InspectExecResponse inspected = docker.inspectExecCmd(execId).exec();
    while (Boolean.TRUE.equals(inspected.isRunning()) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while " + command + " ran in the container", e);
      }
      inspected = docker.inspectExecCmd(execId).exec();
    }
    Long exitCode = inspected.getExitCodeLong();
    return new ExecOutcome(exitCode == null ? -1 : exitCode.intValue(), out, err, Boolean.TRUE.equals(inspected.isRunning()));
  }

  private static void closeQuietly(ResultCallback.Adapter<Frame> callback) {
    try {
      callback.close();
    } catch (IOException e) {
      // Nothing left to read.
    }
  }

  /** The variables as {@code NAME=value}, sorted, each name checked. */
  static List<String> environment(Map<String, String> env) {
    List<String> variables = new ArrayList<>();
    env.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      if (e.getKey().isEmpty() || e.getKey().contains("=")) {
        throw new IllegalArgumentException("'" + e.getKey() + "' is not an environment variable name");
      }
      variables.add(e.getKey() + "=" + Objects.requireNonNull(e.getValue(), e.getKey()));
    });
    return variables;
  }

  static List<String> probeCommand(Map<String, String> env, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add("env");
    command.addAll(environment(env));
    command.addAll(List.of("java", "-jar", PROBE_JAR_IN_CONTAINER, "--json"));
    command.addAll(arguments);
    if (arguments.stream().noneMatch(a -> a.equals("--timeout-ms") || a.startsWith("--timeout-ms="))) {
      command.addAll(List.of("--timeout-ms", String.valueOf(TEST_PROBE_TIMEOUT_MS)));
    }
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
  protected void containerIsCreated(String containerId) {
    SessionCleanup.containerCreated(containerId);
    super.containerIsCreated(containerId);
  }

  /** Stops and removes the container, which the exit hook then no longer needs to. */
  @Override
  public void stop() {
    String containerId = getContainerId();
    super.stop();
    if (containerId != null) {
      SessionCleanup.containerRemoved(containerId);
    }
  }

  @Override
  protected void configure() {
    super.configure();
    route = null;
    routeHealthcheck = null;
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

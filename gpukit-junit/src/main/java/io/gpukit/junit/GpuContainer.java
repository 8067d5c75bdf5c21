package io.gpukit.junit;

import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * A Testcontainers container with the host's NVIDIA GPUs attached and the gpukit probe run inside.
 *
 * <pre>{@code
 * try (GpuContainer container = new GpuContainer("my-service:1.0")
 *     .withGpus(GpuAttach.DEVICE_NODES)
 *     .withProbeJar(Path.of("target/gpukit-probe.jar"))) {
 *   container.start();
 *   ContainerProbeResultAssert.assertThat(container.probe()).isHealthy();
 *   ContainerProbeResultAssert.assertThat(container.probe(Map.of("CUDA_VISIBLE_DEVICES", "")))
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

  private final GpuAttacher attacher = new GpuAttacher(() -> GpuAttacher.engineHint(this::getDockerClient));
  private List<String> probeArguments = List.of();
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
    withCreateContainerCmdModifier(cmd -> attacher.apply(cmd,
        name -> GpuAttacher.imageEnv(getDockerClient(), getDockerImageName(), name)));
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
    withCreateContainerCmdModifier(cmd -> attacher.apply(cmd,
        name -> GpuAttacher.imageEnv(getDockerClient(), getDockerImageName(), name)));
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
    attacher.ask(how, gpus);
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
    return attacher.selection().flatMap(GpuHost.Selection::attach);
  }

  /**
   * Says why the strategy in use was chosen, once started.
   *
   * @return the reason, or empty before the start or when no GPU was asked for
   * @since 0.1.0
   */
  public Optional<String> gpuSelectionReason() {
    return attacher.selection().map(GpuHost.Selection::reason);
  }

  /**
   * Runs the probe in the started container with no extra environment.
   *
   * @return the parsed result
   * @since 0.1.0
   */
  public ContainerProbeResult probe() {
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
   * @return the result, with its {@link ContainerProbeResult#route()}
   * @throws IllegalStateException when the container is not running, the command cannot be run,
   *     or the image has neither {@code java} with a probe nor a HEALTHCHECK
   * @since 0.1.0
   */
  public ContainerProbeResult probe(Map<String, String> env) {
    ProbeRoute how = probeRoute();
    if (!how.runsTheProbe()) {
      ExecOutcome outcome = exec(how.command(), env, routeHealthcheck.timeout());
      String stderr = outcome.timedOut() ? (outcome.stderr() + "\nthe HEALTHCHECK command did not finish within the"
          + " HEALTHCHECK's timeout of " + HealthWait.seconds(routeHealthcheck.timeout())).strip() : outcome.stderr();
      return ContainerProbeResult.ofHealthcheck(outcome.timedOut() ? -1 : outcome.exitCode(), outcome.stdout(), stderr, how);
    }
    List<String> command = ProbeCommands.probeCommand(env, probeArguments);
    try {
      Container.ExecResult result = execInContainer(command.toArray(String[]::new));
      return ContainerProbeResult.parse(result.getExitCode(), result.getStdout(), result.getStderr()).withRoute(how);
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
          ProbeCommands.Found found = ProbeCommands.findRoute(this, probeArguments, probeJarCopied);
          routeHealthcheck = found.healthcheck().orElse(null);
          route = found.route();
        }
        known = route;
      }
    }
    return known;
  }

  /**
   * Starts the container with its GPUs attached.
   *
   * @throws IllegalStateException when the GPUs cannot be attached as asked (said before any
   *     container exists), or with the fix when the engine gives a known GPU error, such as a
   *     missing NVIDIA Container Toolkit
   * @since 0.1.0
   */
  @Override
  public void start() {
    try {
      super.start();
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof GpuAttacher.AttachmentException attachmentFailure) {
          // Said before any container existed: the launch exception around it adds nothing.
          throw attachmentFailure;
        }
      }
      Optional<String> explained = GpuAttacher.explain(e);
      if (explained.isPresent()) {
        throw new IllegalStateException(explained.get(), e);
      }
      throw e;
    }
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
    attacher.resolve();
  }

  /** Package-private: a fake host for tests. */
  GpuContainer withHost(GpuHost.View view, GpuHost.Engine engineHint) {
    attacher.onHost(view, engineHint);
    return self();
  }

  Attachment attachment() {
    return attacher.attachment();
  }

  /**
   * Runs a command in the started container through the Engine API, with these variables added to
   * its environment, waiting at most {@code timeout}.
   */
  ExecOutcome exec(List<String> command, Map<String, String> env, Duration timeout) {
    return ContainerExec.exec(getDockerClient(), getContainerId(), command, env, timeout);
  }
}

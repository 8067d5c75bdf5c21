package io.gpukit.junit;

import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Info;
import io.gpukit.junit.internal.Placeholders;
import io.gpukit.probe.ProbeExitCode;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The extension behind {@link GpuContainerTest}: detects the GPU, skips or fails without one,
 * builds the image once per run for each Dockerfile and build arguments, starts the container once
 * per class, proves the GPU with the probe (or the image's HEALTHCHECK where it has no
 * {@code java}) and the negative control, proves the image's HEALTHCHECK healthy with the GPU and
 * unhealthy without, and injects {@link GpuContainer} and {@link GpuEnvironment}.
 *
 * <p>The HEALTHCHECK's proof overlaps the rest: the container with CUDA hidden starts, on a thread
 * of its own, together with the service container, and both run the HEALTHCHECK at the interval
 * {@code gpukit.healthcheck.interval} asks (1 s by default) while the probe and the negative
 * control run; the set-up then waits for whichever of {@code healthy} and {@code unhealthy} is
 * still to come.
 */
final class GpuContainerExtension implements ExecutionCondition, BeforeAllCallback, ParameterResolver {

  static final String REQUIRED_PARAMETER = "gpukit.gpu.required";
  static final String PROBE_JAR_PARAMETER = "gpukit.probe.jar";
  /** Overrides every class's {@link GpuContainerTest#attach()}; {@code none} attaches no GPU at all. */
  static final String ATTACH_PARAMETER = "gpukit.gpu.attach";
  /**
   * The interval the verifying containers run the image's HEALTHCHECK at ({@code 1s},
   * {@code 500ms}, or {@code image} for the image's timing); {@link GpuContainerTest#healthcheckInterval()}
   * overrides it for its class.
   */
  static final String HEALTHCHECK_INTERVAL_PARAMETER = "gpukit.healthcheck.interval";
  static final String WITHOUT_GPU_NOTE = "no GPU was attached (-D" + ATTACH_PARAMETER + "=none), so this failure is"
      + " the proof that the class cannot pass without the GPU";
  static final String NEGATIVE_CONTROL_FAILURE = "your probe does not notice a missing GPU";
  static final String HEALTHCHECK_FAILURE = "your HEALTHCHECK does not notice a missing GPU";

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(GpuContainerExtension.class);
  private static final String ENVIRONMENT = "environment";
  private static final String STATE = "state";
  static final String BUILT_IMAGE_REPOSITORY_PREFIX = "gpukit-junit/";
  /** Numbers the builds of this JVM, so that two runs in one JVM never share a tag either. */
  private static final AtomicInteger BUILDS = new AtomicInteger();
  /** The label naming the test class on each container the extension starts. */
  static final String TEST_CLASS_LABEL = "io.gpukit.junit.test-class";
  /** The label saying which container it is: {@code service}, or {@code cuda-hidden} for the HEALTHCHECK's proof. */
  static final String ROLE_LABEL = "io.gpukit.junit.role";

  /** What the extension asks of the world: Docker, the host's GPU facts and the engine's hints. */
  record Seams(BooleanSupplier dockerAvailable, GpuHost.View host, Supplier<GpuHost.Engine> engine) {

    static final Seams LOCAL = new Seams(GpuContainerExtension::dockerAnswers, GpuHost.LOCAL,
        GpuContainerExtension::engineHint);
  }

  /** Seams set by this package's tests for the extension instances JUnit creates on this thread. */
  static final ThreadLocal<Seams> TEST_SEAMS = new ThreadLocal<>();

  /**
   * What detection found, with the engine hint the container reuses; {@code withoutGpu} when
   * {@code -Dgpukit.gpu.attach=none} starts the container with no GPU on purpose.
   */
  private record Detection(GpuEnvironment environment, GpuHost.Engine engine, boolean withoutGpu) {

    /** Whether a container can be started: a GPU can be attached, or none is wanted and Docker answers. */
    boolean startable() {
      return environment.gpuAttachable() || (withoutGpu && environment.dockerAvailable());
    }
  }

  /**
   * The interval asked for the HEALTHCHECK's proof (empty: the image's timing), and where the ask
   * came from, for the report.
   */
  record IntervalChoice(Optional<Duration> interval, String origin) {

    static final IntervalChoice DEFAULT = new IntervalChoice(Optional.of(HealthWait.DEFAULT_VERIFICATION_INTERVAL),
        "the default; -D" + HEALTHCHECK_INTERVAL_PARAMETER + "=" + HealthWait.IMAGE_TIMING + " keeps the image's");

    /**
     * The class's {@code healthcheckInterval}, else the configuration parameter, else 1 s; a value
     * that is not a duration of at least 1 ms or {@code image} is misuse.
     */
    static IntervalChoice of(String annotated, Optional<String> parameter, String on) {
      if (!annotated.isBlank()) {
        return parse(annotated, "healthcheckInterval = \"" + annotated + "\"", on);
      }
      if (parameter.isPresent() && !parameter.get().isBlank()) {
        return parse(parameter.get(), "-D" + HEALTHCHECK_INTERVAL_PARAMETER + "=" + parameter.get(), "");
      }
      return DEFAULT;
    }

    private static IntervalChoice parse(String value, String origin, String on) {
      try {
        return new IntervalChoice(HealthWait.parseInterval(value), origin);
      } catch (IllegalArgumentException e) {
        throw new ExtensionConfigurationException(on + origin + " " + e.getMessage());
      }
    }
  }

  /** What {@code -Dgpukit.gpu.attach} asks of every class: a strategy, or (empty) no GPU at all. */
  record AttachOverride(Optional<GpuAttach> attach) {

    static Optional<AttachOverride> parse(Optional<String> value) {
      if (value.isEmpty() || value.get().isBlank()) {
        return Optional.empty();
      }
      String name = value.get().strip().toUpperCase(Locale.ROOT).replace('-', '_');
      if (name.equals("NONE")) {
        return Optional.of(new AttachOverride(Optional.empty()));
      }
      try {
        return Optional.of(new AttachOverride(Optional.of(GpuAttach.valueOf(name))));
      } catch (IllegalArgumentException e) {
        throw new ExtensionConfigurationException("-D" + ATTACH_PARAMETER + "=" + value.get() + " is none of auto,"
            + " toolkit, cdi, device_nodes and none");
      }
    }
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (context.getTestMethod().isPresent()) {
      return ConditionEvaluationResult.enabled("decided for the class");
    }
    Optional<GpuContainerTest> annotation = context.getTestClass()
        .flatMap(type -> AnnotationSupport.findAnnotation(type, GpuContainerTest.class));
    if (annotation.isEmpty()) {
      return ConditionEvaluationResult.enabled("no @GpuContainerTest on this class itself");
    }
    try {
      validate(annotation.get(), context.getRequiredTestClass());
      attachOverride(context);
      healthcheckInterval(context, annotation.get());
    } catch (ExtensionConfigurationException misuse) {
      // Reported by beforeAll as itself (JUnit would wrap it here), and never skipped away.
      return ConditionEvaluationResult.enabled("misconfigured; the class will fail");
    }
    Detection detection = detection(context, annotation.get());
    GpuEnvironment environment = detection.environment();
    if (detection.startable()) {
      return ConditionEvaluationResult.enabled(environment.attach().map(GpuAttach::name).orElse("no GPU") + ": "
          + environment.reason());
    }
    if (annotation.get().whenNoGpu() == WhenNoGpu.SKIP && !required(context)) {
      return ConditionEvaluationResult.disabled(missing(environment) + " (whenNoGpu = SKIP)");
    }
    return ConditionEvaluationResult.enabled("no GPU; the class will fail");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<GpuContainerTest> found = AnnotationSupport.findAnnotation(context.getRequiredTestClass(),
        GpuContainerTest.class);
    if (found.isEmpty()) {
      return;
    }
    GpuContainerTest annotation = found.get();
    validate(annotation, context.getRequiredTestClass());
    IntervalChoice interval = healthcheckInterval(context, annotation);
    Detection detection = detection(context, annotation);
    GpuEnvironment environment = detection.environment();
    if (!detection.startable()) {
      throw new IllegalStateException(failure(environment, required(context)
          && annotation.whenNoGpu() == WhenNoGpu.SKIP));
    }
    report(context, "gpukit.gpu", environment.attach().map(GpuAttach::name).orElse("no GPU") + ": "
        + environment.reason());
    State state = new State();
    context.getStore(NAMESPACE).put(STATE, state);
    Timings timings = new Timings();
    try {
      setUp(context, annotation, detection, interval, state, timings);
    } finally {
      report(context, "gpukit.timings", timings.toString());
    }
  }

  private static void setUp(ExtensionContext context, GpuContainerTest annotation, Detection detection,
      IntervalChoice interval, State state, Timings timings) {
    GpuEnvironment environment = detection.environment();
    Optional<Path> probeJar = probeJar(context);
    String image = timings.time("image", () -> image(annotation, context, timings));
    String testClass = context.getRequiredTestClass().getName();
    Optional<GpuAttach> attach = environment.attach();
    // Read before any container is created: both verifying containers are created with its timing.
    Optional<HealthWait.Verification> verification = annotation.verifyHealthcheck()
        ? imageHealthcheck(image)
            .map(healthcheck -> HealthWait.Verification.of(healthcheck, interval.interval(), interval.origin()))
        : Optional.empty();
    Optional<HealthCheck> healthConfig = verification.flatMap(HealthWait.Verification::containerConfig);
    GpuContainer container = container(image, testClass, "service", attach, annotation.gpus(), detection.engine(),
        probeJar, Map.of(), healthConfig)
        .withProbeArguments("--mode", annotation.probeMode().cliName());
    state.container = container;
    Map<String, String> hidden = hiddenGpuEnvironment(attach.orElse(null));
    Optional<CudaHiddenCheck> hiddenCheck = verification.map(proof -> new CudaHiddenCheck(container(image, testClass,
        "cuda-hidden", attach, annotation.gpus(), detection.engine(), probeJar, hidden, healthConfig),
        proof.inForce().bound()));
    state.hiddenCheck = hiddenCheck.orElse(null);
    try {
      // Started first, on its own thread: it turns unhealthy while the service is proven here.
      hiddenCheck.ifPresent(check -> check.start(context.getRequiredTestClass().getSimpleName()));
      long started = System.nanoTime();
      timings.time("start", () -> {
        container.start();
        return null;
      });

      ProbeRoute route = timings.time("route", container::probeRoute);
      report(context, "gpukit.probe.route", route.toString());
      ProbeResult result = timings.time("probe", () -> container.probe());
      publish(context, "gpukit.probe", result);
      Optional<String> unhealthy = judgeProbe(result);
      if (unhealthy.isPresent()) {
        report(context, "gpukit.container.logs", container.getLogs());
        throw new AssertionError(detection.withoutGpu() ? unhealthy.get() + "\n(" + WITHOUT_GPU_NOTE + ")"
            : unhealthy.get());
      }
      if (annotation.negativeControl()) {
        ProbeResult control = timings.time("negative-control", () -> container.probe(hidden));
        publish(context, "gpukit.probe.negative-control", control);
        Optional<String> unnoticed = judgeNegativeControl(control, hidden);
        if (unnoticed.isPresent()) {
          report(context, "gpukit.container.logs", container.getLogs());
          throw new AssertionError(unnoticed.get());
        }
      }
      if (annotation.verifyHealthcheck()) {
        timings.time("health", () -> {
          HealthWait.Verification proof = verification.orElseThrow(() -> new AssertionError(noHealthcheck(image)));
          verifyHealthcheck(context, container, started, hiddenCheck.orElseThrow(), proof, hidden, timings);
          return null;
        });
      }
    } finally {
      // Never left to the end of the class: the tests see the service container alone.
      hiddenCheck.ifPresent(CudaHiddenCheck::close);
      state.hiddenCheck = null;
    }
  }

  /** The image's HEALTHCHECK, read from the engine before any container of it is created. */
  private static Optional<HealthWait.Healthcheck> imageHealthcheck(String image) {
    try {
      return HealthWait.Healthcheck.of(DockerClientFactory.instance().client(), image);
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      throw new IllegalStateException("the image '" + image + "' is not on this Docker engine, and nothing is pulled:"
          + " build or load it first (docker build, docker load), or leave image empty to build it from the"
          + " Dockerfile", e);
    }
  }

  /**
   * A container of the image for a test class in a role ({@code service}, or {@code cuda-hidden}
   * with the environment that hides CUDA), labelled with both, with the GPUs attached as detected,
   * the probe jar copied in at create time (an image's HEALTHCHECK may run it at once), and the
   * HEALTHCHECK timing of the verification where it differs from the image's.
   */
  static GpuContainer container(String image, String testClass, String role, Optional<GpuAttach> attach, String gpus,
      GpuHost.Engine engine, Optional<Path> probeJar, Map<String, String> env, Optional<HealthCheck> healthConfig) {
    GpuContainer container = new GpuContainer(image)
        .withHost(seams().host(), engine)
        .withNetworkMode("none")
        .withLabel(TEST_CLASS_LABEL, testClass)
        .withLabel(ROLE_LABEL, role)
        .withEnv(env);
    attach.ifPresent(how -> container.withGpus(how, gpus));
    probeJar.ifPresent(container::withProbeJar);
    healthConfig.ifPresent(config -> container.withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(config)));
    return container;
  }

  /**
   * The image's HEALTHCHECK turned the service container healthy, and the container with CUDA
   * hidden unhealthy; each within {@link HealthWait.Healthcheck#bound()} of the timing in force,
   * counted from its own start. Both ran since their starts: the wait here is what is left of the
   * longer one.
   */
  private static void verifyHealthcheck(ExtensionContext context, GpuContainer container, long started,
      CudaHiddenCheck hiddenCheck, HealthWait.Verification proof, Map<String, String> hidden, Timings timings) {
    HealthWait.Healthcheck healthcheck = proof.inForce();
    report(context, "gpukit.healthcheck", proof.describe());
    HealthWait.Outcome withGpu = HealthWait.await(container.getDockerClient(), container.getContainerId(),
        healthcheck.bound(), started, () -> false);
    report(context, "gpukit.health.log", withGpu.describe() + "\n" + withGpu.describeLog());
    HealthWait.Outcome withoutGpu;
    try {
      withoutGpu = hiddenCheck.outcome();
    } catch (RuntimeException | Error failure) {
      // The CUDA-hidden container did not start: a failure with the GPU still comes first.
      judgeHealthWithGpu(withGpu, healthcheck).ifPresent(notHealthy -> {
        report(context, "gpukit.container.logs", container.getLogs());
        AssertionError first = new AssertionError(notHealthy);
        first.addSuppressed(failure);
        throw first;
      });
      throw failure;
    }
    report(context, "gpukit.health.log.cuda-hidden", withoutGpu.describe() + "\n" + withoutGpu.describeLog());
    timings.note("health", withGpu.describe() + ", CUDA-hidden " + withoutGpu.describe());
    Optional<AssertionError> failure = judgeHealth(withGpu, withoutGpu, hidden, healthcheck);
    if (failure.isPresent()) {
      report(context, "gpukit.container.logs", container.getLogs());
      if (!withoutGpu.unhealthy()) {
        report(context, "gpukit.container.logs.cuda-hidden", hiddenCheck.container().getLogs());
      }
      throw failure.get();
    }
  }

  /**
   * The proof's failure, if any, in a fixed order: not healthy with the GPU first (a CUDA-hidden
   * container that did not turn unhealthy either is suppressed in it), else not unhealthy with CUDA
   * hidden.
   */
  static Optional<AssertionError> judgeHealth(HealthWait.Outcome withGpu, HealthWait.Outcome withoutGpu,
      Map<String, String> hidden, HealthWait.Healthcheck healthcheck) {
    Optional<String> notHealthy = judgeHealthWithGpu(withGpu, healthcheck);
    Optional<String> unnoticed = judgeHealthWithoutGpu(withoutGpu, hidden, healthcheck);
    if (notHealthy.isPresent()) {
      AssertionError failure = new AssertionError(notHealthy.get());
      unnoticed.ifPresent(second -> failure.addSuppressed(new AssertionError(second)));
      return Optional.of(failure);
    }
    return unnoticed.map(AssertionError::new);
  }

  /** The probe jar {@code -Dgpukit.probe.jar} names, if any; one that is not a file is misuse. */
  static Optional<Path> probeJar(ExtensionContext context) {
    Optional<String> named = context.getConfigurationParameter(PROBE_JAR_PARAMETER).filter(value -> !value.isBlank());
    if (named.isPresent() && !Files.isRegularFile(Path.of(named.get()))) {
      throw new ExtensionConfigurationException("-D" + PROBE_JAR_PARAMETER + "=" + named.get() + " is not a file:"
          + " build gpukit-probe (mvn -pl gpukit-probe package) and point it at gpukit-probe/target/gpukit-probe.jar,"
          + " or leave it out for images that bring their own probe");
    }
    return named.map(Path::of);
  }

  /** Why the class fails when the image has no HEALTHCHECK to verify, with the fix. */
  static String noHealthcheck(String image) {
    return "the image '" + image + "' has no HEALTHCHECK (none, or HEALTHCHECK NONE), so it cannot be proven healthy"
        + " with the GPU and unhealthy without: add one that runs the probe, e.g. HEALTHCHECK --interval=10s"
        + " --timeout=30s --retries=3 CMD [\"java\", \"-jar\", \"" + GpuContainer.PROBE_JAR_IN_CONTAINER
        + "\"], or set verifyHealthcheck = false";
  }

  /** Empty when the container turned healthy with the GPU; else the failure, with the health log. */
  static Optional<String> judgeHealthWithGpu(HealthWait.Outcome outcome, HealthWait.Healthcheck healthcheck) {
    if (outcome.healthy()) {
      return Optional.empty();
    }
    return Optional.of("the image's HEALTHCHECK did not turn healthy with the GPU attached within "
        + healthcheck.describeBound() + ": " + outcome.describe() + "; health log:\n" + outcome.describeLog());
  }

  /** Empty when the container turned unhealthy with CUDA hidden, as it must; else the failure. */
  static Optional<String> judgeHealthWithoutGpu(HealthWait.Outcome outcome, Map<String, String> hidden,
      HealthWait.Healthcheck healthcheck) {
    if (outcome.unhealthy()) {
      return Optional.empty();
    }
    return Optional.of(HEALTHCHECK_FAILURE + ": with " + hidden + " it was " + outcome.describe() + " (it must turn"
        + " unhealthy within " + healthcheck.describeBound() + "); health log:\n" + outcome.describeLog());
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == GpuContainer.class || type == GpuEnvironment.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    ExtensionContext.Store store = extensionContext.getStore(NAMESPACE);
    if (parameterContext.getParameter().getType() == GpuEnvironment.class) {
      Detection detection = store.get(ENVIRONMENT, Detection.class);
      if (detection == null) {
        throw new ParameterResolutionException("no GpuEnvironment: the @GpuContainerTest class has not been set up");
      }
      return detection.environment();
    }
    State state = store.get(STATE, State.class);
    if (state == null || state.container == null || !state.container.isRunning()) {
      throw new ParameterResolutionException("no started GpuContainer: the @GpuContainerTest class did not start one");
    }
    return state.container;
  }

  /** Misuse that no host can fix: thrown before anything is detected or started. */
  static void validate(GpuContainerTest annotation, Class<?> testClass) {
    String on = "@GpuContainerTest on " + testClass.getName() + ": ";
    try {
      GpuContainer.GpuSelector.parse(annotation.gpus());
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(on + e.getMessage());
    }
    parseBuildArgs(annotation.buildArgs(), on);
    if (!annotation.image().isBlank()) {
      if (annotation.buildArgs().length > 0) {
        throw new ExtensionConfigurationException(on + "buildArgs apply only when building: leave image empty to build"
            + " from the Dockerfile, or drop buildArgs");
      }
      return;
    }
    Path context = Path.of(annotation.context()).toAbsolutePath().normalize();
    if (!Files.isDirectory(context)) {
      throw new ExtensionConfigurationException(on + "the build context '" + context + "' is not a folder: set context"
          + " to the folder the Dockerfile builds from (relative to " + Path.of("").toAbsolutePath() + "), or set image"
          + " to a local image");
    }
    Path dockerfile = context.resolve(annotation.dockerfile()).normalize();
    if (!dockerfile.startsWith(context)) {
      throw new ExtensionConfigurationException(on + "the Dockerfile '" + dockerfile + "' is outside the build context '"
          + context + "': move it in, or widen context");
    }
    if (!Files.isRegularFile(dockerfile)) {
      throw new ExtensionConfigurationException(on + "no Dockerfile at '" + dockerfile + "' (dockerfile = '"
          + annotation.dockerfile() + "' in context '" + annotation.context() + "'): point dockerfile at it, or set"
          + " image = \"name:tag\" to use a local image instead of building");
    }
  }

  static Map<String, String> parseBuildArgs(String[] buildArgs, String on) {
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String entry : buildArgs) {
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        throw new ExtensionConfigurationException(on + "the build argument '" + entry + "' is not KEY=VALUE");
      }
      parsed.put(entry.substring(0, equals).strip(), entry.substring(equals + 1));
    }
    return parsed;
  }

  /** Empty when healthy, else why not, with the probe's JSON (or the HEALTHCHECK's output). */
  static Optional<String> judgeProbe(ProbeResult result) {
    if (result.isHealthy()) {
      return Optional.empty();
    }
    Optional<ProbeRoute> healthcheck = result.route().filter(route -> !route.runsTheProbe());
    if (healthcheck.isPresent()) {
      return Optional.of("the image's HEALTHCHECK, run in the container in place of the probe ("
          + healthcheck.get().reason() + "), is not healthy (exit " + result.exitStatus() + "): " + jsonOrOutput(result)
          + " [" + healthcheck.get().command() + "]");
    }
    return Optional.of("the probe in the container is not healthy (exit " + result.exitStatus()
        + result.exitCode().map(c -> " " + c).orElse("") + "): " + jsonOrOutput(result)
        + result.route().map(route -> " [" + route.describe() + "]").orElse(""));
  }

  /**
   * Empty when the probe (or the HEALTHCHECK run in its place) failed with the GPU hidden, as it
   * must; else the failure to report.
   */
  static Optional<String> judgeNegativeControl(ProbeResult result, Map<String, String> hidden) {
    if (result.exitStatus() != 0) {
      return Optional.empty();
    }
    Optional<ProbeRoute> healthcheck = result.route().filter(route -> !route.runsTheProbe());
    if (healthcheck.isPresent()) {
      return Optional.of(HEALTHCHECK_FAILURE + ": run in the container in place of the probe ("
          + healthcheck.get().reason() + ") with " + hidden + ", " + healthcheck.get().command() + " still exited 0 (it"
          + " must exit non-zero when CUDA sees no GPU): " + jsonOrOutput(result));
    }
    return Optional.of(NEGATIVE_CONTROL_FAILURE + ": with " + hidden + " it still passed (it must fail, with "
        + ProbeExitCode.NO_CUDA_DEVICE.code() + " " + ProbeExitCode.NO_CUDA_DEVICE + "): " + jsonOrOutput(result));
  }

  /** The environment that hides the GPUs from the probe ({@code attach} null: none attached). */
  static Map<String, String> hiddenGpuEnvironment(GpuAttach attach) {
    return attach == GpuAttach.TOOLKIT ? Map.of("CUDA_VISIBLE_DEVICES", "", "NVIDIA_VISIBLE_DEVICES", "void")
        : Map.of("CUDA_VISIBLE_DEVICES", "");
  }

  /** What is missing and the fix. */
  static String missing(GpuEnvironment environment) {
    if (!environment.dockerAvailable()) {
      return "no Docker engine answers: start Docker (or point DOCKER_HOST at one) to run this GPU test class";
    }
    String reason = environment.reason();
    return "no GPU can be attached: " + reason + (reason.contains("GpuAttach.TOOLKIT") ? ""
        : ". Run it on a host with an NVIDIA GPU and its driver (nvidia-smi works), or set attach to"
        + " GpuAttach.TOOLKIT or GpuAttach.CDI for an engine on another host");
  }

  static String failure(GpuEnvironment environment, boolean forced) {
    return missing(environment) + (forced ? " (-D" + REQUIRED_PARAMETER + "=true makes this a failure)"
        : ". To skip instead, set whenNoGpu = WhenNoGpu.SKIP, or exclude the 'gpu' tag on hosts without GPUs");
  }

  static Seams seams() {
    Seams seams = TEST_SEAMS.get();
    return seams != null ? seams : Seams.LOCAL;
  }

  private static boolean required(ExtensionContext context) {
    return context.getConfigurationParameter(REQUIRED_PARAMETER).map(v -> v.strip().equalsIgnoreCase("true"))
        .orElse(false);
  }

  private static Optional<AttachOverride> attachOverride(ExtensionContext context) {
    return AttachOverride.parse(context.getConfigurationParameter(ATTACH_PARAMETER));
  }

  private static IntervalChoice healthcheckInterval(ExtensionContext context, GpuContainerTest annotation) {
    return IntervalChoice.of(annotation.healthcheckInterval(),
        context.getConfigurationParameter(HEALTHCHECK_INTERVAL_PARAMETER),
        "@GpuContainerTest on " + context.getRequiredTestClass().getName() + ": ");
  }

  private static Detection detection(ExtensionContext context, GpuContainerTest annotation) {
    Optional<AttachOverride> override = attachOverride(context);
    // Kept in the class's own store: once per class, and for its nested classes.
    return context.getStore(NAMESPACE).getOrComputeIfAbsent(ENVIRONMENT, key -> override.isPresent()
        && override.get().attach().isEmpty() ? detectWithoutGpu(seams())
        : detect(override.flatMap(AttachOverride::attach).orElse(annotation.attach()), seams()), Detection.class);
  }

  /** {@code -Dgpukit.gpu.attach=none}: the host is looked at, for the record, but nothing is attached. */
  private static Detection detectWithoutGpu(Seams seams) {
    boolean docker = seams.dockerAvailable().getAsBoolean();
    GpuHost.Evidence evidence = GpuHost.gather(seams.host(), () -> GpuHost.Engine.UNKNOWN);
    List<String> gpus = evidence.deviceNodes().stream().filter(GpuHost::isGpuNode).toList();
    String reason = "no GPU attached on purpose (-D" + ATTACH_PARAMETER + "=none"
        + (gpus.isEmpty() ? "" : ", although this host has " + gpus) + "): the container starts without one, and a"
        + " probe that needs the GPU fails the class";
    return new Detection(new GpuEnvironment(docker, Optional.empty(), reason, evidence.deviceNodes(),
        evidence.driverFolder(), Set.of()), GpuHost.Engine.UNKNOWN, true);
  }

  private static Detection detect(GpuAttach attach, Seams seams) {
    boolean docker = seams.dockerAvailable().getAsBoolean();
    GpuHost.Evidence evidence = GpuHost.gather(seams.host(),
        docker && attach == GpuAttach.AUTO ? seams.engine() : () -> GpuHost.Engine.UNKNOWN);
    GpuHost.Selection selection = switch (attach) {
      case AUTO -> GpuHost.choose(evidence);
      case DEVICE_NODES -> {
        if (evidence.deviceNodes().stream().noneMatch(GpuHost::isGpuNode)) {
          yield new GpuHost.Selection(Optional.empty(), "GpuAttach.DEVICE_NODES: no GPU device nodes (/dev/nvidia0,"
              + " ...) on this host" + (evidence.deviceNodes().isEmpty() ? "" : ", only " + evidence.deviceNodes()));
        }
        if (evidence.driverBinds().isEmpty()) {
          yield new GpuHost.Selection(Optional.empty(), "GpuAttach.DEVICE_NODES: no driver library to mount: "
              + evidence.driverFolderSource());
        }
        yield new GpuHost.Selection(Optional.of(attach), "DEVICE_NODES as asked; the driver libraries from "
            + evidence.driverFolder().get());
      }
      case TOOLKIT, CDI -> new GpuHost.Selection(Optional.of(attach), attach + " as asked (the engine's host is not"
          + " inspected; the probe proves the GPU)");
    };
    GpuEnvironment environment = new GpuEnvironment(docker, selection.attach(), selection.reason(),
        evidence.deviceNodes(), evidence.driverFolder(), evidence.engine().runtimes());
    return new Detection(environment, evidence.engine(), false);
  }

  /**
   * The image the class runs: the one named, or the one built from its Dockerfile and build
   * arguments, built once per run and shared by every class that asks for the same (the engine's
   * root store removes it when the run ends).
   */
  private static String image(GpuContainerTest annotation, ExtensionContext context, Timings timings) {
    if (!annotation.image().isBlank()) {
      timings.note("image", "given");
      return resolve(annotation.image(), context, "image");
    }
    Path buildContext = Path.of(annotation.context()).toAbsolutePath().normalize();
    String dockerfile = buildContext.relativize(buildContext.resolve(annotation.dockerfile()).normalize()).toString();
    Map<String, String> buildArgs = new TreeMap<>();
    parseBuildArgs(annotation.buildArgs(), "@GpuContainerTest on " + context.getRequiredTestClass().getName() + ": ")
        .forEach((key, value) -> buildArgs.put(key, resolve(value, context, "build argument " + key)));
    String key = "image " + buildContext + " " + dockerfile + " " + buildArgs;
    String forClass = context.getRequiredTestClass().getName();
    BuiltImage built = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(key,
        k -> BuiltImage.build(buildContext, dockerfile, buildArgs, imageName(buildContext, k), forClass),
        BuiltImage.class);
    boolean builtHere = built.forClass().equals(forClass);
    timings.note("image", builtHere ? "built" : "shared");
    report(context, "gpukit.image", built.name() + (builtHere ? " built in " : " shared, built in ")
        + HealthWait.seconds(built.took()) + " for " + built.forClass() + "; removed when the run ends");
    return built.name();
  }

  /** An image built for this run, removed when the run ends. */
  record BuiltImage(String name, String forClass, Duration took) implements AutoCloseable {

    static BuiltImage build(Path buildContext, String dockerfile, Map<String, String> buildArgs, String name,
        String forClass) {
      long start = System.nanoTime();
      String built = buildImage(buildContext, dockerfile, buildArgs, name);
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

  /** The value with each {@code ${name}} replaced by that configuration parameter or system property. */
  static String resolve(String value, ExtensionContext context, String what) {
    return resolve(value, name -> context.getConfigurationParameter(name).orElse(null), what);
  }

  static String resolve(String value, UnaryOperator<String> parameters, String what) {
    return Placeholders.resolve(value, parameters, "@GpuContainerTest", what);
  }

  /** The probe's JSON line; for the image's HEALTHCHECK run in its place, its exit status, output and route. */
  private static void publish(ExtensionContext context, String key, ProbeResult result) {
    report(context, key, result.route().map(ProbeRoute::runsTheProbe).orElse(true) ? jsonOrOutput(result)
        : result.toString());
  }

  /** Publishes a report entry; JUnit refuses blank values, so an empty one says so. */
  private static void report(ExtensionContext context, String key, String value) {
    context.publishReportEntry(key, value == null || value.isBlank() ? "(empty)" : value);
  }

  private static String jsonOrOutput(ProbeResult result) {
    return result.jsonLine().orElseGet(() -> "stdout: " + orEmpty(result.stdout()) + "; stderr: "
        + orEmpty(result.stderr()));
  }

  private static String orEmpty(String output) {
    return output == null || output.isBlank() ? "(empty)" : output.strip();
  }

  private static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static GpuHost.Engine engineHint() {
    try {
      Info info = DockerClientFactory.instance().client().infoCmd().exec();
      return GpuHost.Engine.of(info.getRuntimes() == null ? null : info.getRuntimes().keySet(), info.getServerVersion());
    } catch (RuntimeException e) {
      return GpuHost.Engine.UNKNOWN;
    }
  }

  /**
   * The container with CUDA hidden, started and watched on a thread of its own while the service
   * container is started and probed. Closing it cancels the watch, waits for the start to end and
   * removes the container, whatever happened.
   */
  static final class CudaHiddenCheck implements AutoCloseable {

    private final GpuContainer container;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final FutureTask<HealthWait.Outcome> task;
    private Thread thread;

    CudaHiddenCheck(GpuContainer container, Duration bound) {
      this.container = container;
      this.task = new FutureTask<>(() -> {
        long started = System.nanoTime();
        container.start();
        return HealthWait.await(container.getDockerClient(), container.getContainerId(), bound, started,
            cancelled::get);
      });
    }

    void start(String forClass) {
      thread = new Thread(task, "gpukit-cuda-hidden-" + forClass);
      thread.setDaemon(true);
      thread.start();
    }

    GpuContainer container() {
      return container;
    }

    /** Waits for the container's health to be decided or its bound to run out; its start's failure is thrown. */
    HealthWait.Outcome outcome() {
      try {
        return task.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the CUDA-hidden container's health", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException("the CUDA-hidden container failed: " + e.getCause(), e.getCause());
      }
    }

    @Override
    public void close() {
      cancelled.set(true);
      boolean interrupted = false;
      while (thread != null && thread.isAlive()) {
        try {
          // A start under way ends by itself (Testcontainers bounds it); its container is then removed here.
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      try {
        container.stop();
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** The class's containers; closed by JUnit when the class ends. */
  static final class State implements AutoCloseable {

    GpuContainer container;
    CudaHiddenCheck hiddenCheck;

    @Override
    public void close() {
      try {
        if (hiddenCheck != null) {
          hiddenCheck.close();
        }
      } finally {
        if (container != null) {
          container.stop();
        }
      }
    }
  }

  /** How long each step of a class's set-up took, published as {@code gpukit.timings}. */
  static final class Timings {

    private final Map<String, String> phases = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();
    private final long start = System.nanoTime();

    <T> T time(String phase, Supplier<T> step) {
      long begin = System.nanoTime();
      try {
        return step.get();
      } finally {
        phases.put(phase, seconds(System.nanoTime() - begin));
      }
    }

    void note(String phase, String note) {
      notes.put(phase, note);
    }

    private static String seconds(long nanos) {
      return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
    }

    /** {@code image=0.41s(built) start=0.93s route=0.35s probe=2.10s ... total=15.62s}. */
    @Override
    public String toString() {
      StringBuilder text = new StringBuilder();
      phases.forEach((phase, took) -> text.append(phase).append('=').append(took)
          .append(notes.containsKey(phase) ? "(" + notes.get(phase) + ")" : "").append(' '));
      return text.append("total=").append(seconds(System.nanoTime() - start)).toString();
    }
  }

  static void removeImage(String image) {
    try {
      DockerClientFactory.instance().client().removeImageCmd(image).withForce(true).exec();
      SessionCleanup.imageRemoved(image);
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      SessionCleanup.imageRemoved(image);
    } catch (RuntimeException e) {
      // The engine went away: the exit hook tries again.
    }
  }
}

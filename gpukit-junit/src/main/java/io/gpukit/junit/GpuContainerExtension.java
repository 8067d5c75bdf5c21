package io.gpukit.junit;

import com.github.dockerjava.api.model.Info;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The extension behind {@link GpuContainerTest}: detects the GPU, skips or fails without one,
 * builds and starts the container once per class, proves the GPU with the probe and the negative
 * control, proves the image's HEALTHCHECK healthy with the GPU and unhealthy without, and injects {@link GpuContainer} and {@link GpuEnvironment}.
 */
final class GpuContainerExtension implements ExecutionCondition, BeforeAllCallback, ParameterResolver {

  static final String REQUIRED_PARAMETER = "gpukit.gpu.required";
  static final String PROBE_JAR_PARAMETER = "gpukit.probe.jar";
  static final String NEGATIVE_CONTROL_FAILURE = "your probe does not notice a missing GPU";
  static final String HEALTHCHECK_FAILURE = "your HEALTHCHECK does not notice a missing GPU";

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(GpuContainerExtension.class);
  private static final String ENVIRONMENT = "environment";
  private static final String STATE = "state";
  static final String BUILT_IMAGE_REPOSITORY_PREFIX = "gpukit-junit/";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

  /** What the extension asks of the world: Docker, the host's GPU facts and the engine's hints. */
  record Seams(BooleanSupplier dockerAvailable, GpuHost.View host, Supplier<GpuHost.Engine> engine) {

    static final Seams LOCAL = new Seams(GpuContainerExtension::dockerAnswers, GpuHost.LOCAL,
        GpuContainerExtension::engineHint);
  }

  /** Seams set by this package's tests for the extension instances JUnit creates on this thread. */
  static final ThreadLocal<Seams> TEST_SEAMS = new ThreadLocal<>();

  /** What detection found, with the engine hint the container reuses. */
  private record Detection(GpuEnvironment environment, GpuHost.Engine engine) {
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
    } catch (ExtensionConfigurationException misuse) {
      // Reported by beforeAll as itself (JUnit would wrap it here), and never skipped away.
      return ConditionEvaluationResult.enabled("misconfigured; the class will fail");
    }
    GpuEnvironment environment = detection(context, annotation.get()).environment();
    if (environment.gpuAttachable()) {
      return ConditionEvaluationResult.enabled(environment.attach().get() + ": " + environment.reason());
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
    Detection detection = detection(context, annotation);
    GpuEnvironment environment = detection.environment();
    if (!environment.gpuAttachable()) {
      throw new IllegalStateException(failure(environment, required(context)
          && annotation.whenNoGpu() == WhenNoGpu.SKIP));
    }
    State state = new State();
    context.getStore(NAMESPACE).put(STATE, state);
    String image;
    if (annotation.image().isBlank()) {
      image = buildImage(annotation, context);
      state.builtImage = image;
    } else {
      image = resolve(annotation.image(), context, "image");
    }
    GpuContainer container = new GpuContainer(image)
        .withGpus(environment.attach().get(), annotation.gpus())
        .withHost(seams().host(), detection.engine())
        .withNetworkMode("none")
        .withProbeArguments("--mode", annotation.probeMode().cliName());
    Optional<Path> probeJar = context.getConfigurationParameter(PROBE_JAR_PARAMETER).map(Path::of)
        .filter(Files::isRegularFile);
    // Copied in at create time, before the start: an image's HEALTHCHECK may run the probe at once.
    probeJar.ifPresent(container::withProbeJar);
    state.container = container;
    container.start();

    ProbeResult result = container.probe();
    publish(context, "gpukit.probe", result);
    Optional<String> unhealthy = judgeProbe(result);
    if (unhealthy.isPresent()) {
      context.publishReportEntry("gpukit.container.logs", container.getLogs());
      throw new AssertionError(unhealthy.get());
    }
    if (annotation.negativeControl()) {
      Map<String, String> hidden = hiddenGpuEnvironment(environment.attach().get());
      ProbeResult control = container.probe(hidden);
      publish(context, "gpukit.probe.negative-control", control);
      Optional<String> unnoticed = judgeNegativeControl(control, hidden);
      if (unnoticed.isPresent()) {
        context.publishReportEntry("gpukit.container.logs", container.getLogs());
        throw new AssertionError(unnoticed.get());
      }
    }
    if (annotation.verifyHealthcheck()) {
      verifyHealthcheck(context, state, image, annotation, detection, probeJar);
    }
  }

  /**
   * The image's HEALTHCHECK turns the started container healthy, and a second container of the
   * image, with CUDA hidden, unhealthy; each within {@link HealthWait.Healthcheck#bound()}.
   */
  private static void verifyHealthcheck(ExtensionContext context, State state, String image,
      GpuContainerTest annotation, Detection detection, Optional<Path> probeJar) {
    GpuContainer container = state.container;
    HealthWait.Healthcheck healthcheck = HealthWait.Healthcheck.of(container.getDockerClient(), image)
        .orElseThrow(() -> new AssertionError(noHealthcheck(image)));
    context.publishReportEntry("gpukit.healthcheck", healthcheck + "; bound " + healthcheck.describeBound());
    HealthWait.Outcome withGpu = HealthWait.await(container.getDockerClient(), container.getContainerId(),
        healthcheck.bound());
    context.publishReportEntry("gpukit.health.log", withGpu.describe() + "\n" + withGpu.describeLog());
    Optional<String> notHealthy = judgeHealthWithGpu(withGpu, healthcheck);
    if (notHealthy.isPresent()) {
      context.publishReportEntry("gpukit.container.logs", container.getLogs());
      throw new AssertionError(notHealthy.get());
    }

    GpuAttach attach = detection.environment().attach().get();
    Map<String, String> hidden = hiddenGpuEnvironment(attach);
    GpuContainer withoutGpu = new GpuContainer(image)
        .withGpus(attach, annotation.gpus())
        .withHost(seams().host(), detection.engine())
        .withNetworkMode("none")
        .withEnv(hidden);
    probeJar.ifPresent(withoutGpu::withProbeJar);
    state.hiddenGpuContainer = withoutGpu;
    try {
      withoutGpu.start();
      HealthWait.Outcome hiddenOutcome = HealthWait.await(withoutGpu.getDockerClient(), withoutGpu.getContainerId(),
          healthcheck.bound());
      context.publishReportEntry("gpukit.health.log.cuda-hidden", hiddenOutcome.describe() + "\n"
          + hiddenOutcome.describeLog());
      Optional<String> unnoticed = judgeHealthWithoutGpu(hiddenOutcome, hidden, healthcheck);
      if (unnoticed.isPresent()) {
        context.publishReportEntry("gpukit.container.logs", container.getLogs());
        context.publishReportEntry("gpukit.container.logs.cuda-hidden", withoutGpu.getLogs());
        throw new AssertionError(unnoticed.get());
      }
    } finally {
      withoutGpu.stop();
      state.hiddenGpuContainer = null;
    }
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

  /** Empty when healthy, else why not, with the probe's JSON. */
  static Optional<String> judgeProbe(ProbeResult result) {
    if (result.isHealthy()) {
      return Optional.empty();
    }
    return Optional.of("the probe in the container is not healthy (exit " + result.exitStatus()
        + result.exitCode().map(c -> " " + c).orElse("") + "): " + jsonOrOutput(result));
  }

  /** Empty when the probe failed with the GPU hidden, as it must; else the failure to report. */
  static Optional<String> judgeNegativeControl(ProbeResult result, Map<String, String> hidden) {
    if (result.exitStatus() != 0) {
      return Optional.empty();
    }
    return Optional.of(NEGATIVE_CONTROL_FAILURE + ": with " + hidden + " it still passed (it must fail, with "
        + ProbeExitCode.NO_CUDA_DEVICE.code() + " " + ProbeExitCode.NO_CUDA_DEVICE + "): " + jsonOrOutput(result));
  }

  /** The environment that hides the GPUs from the probe. */
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

  private static Detection detection(ExtensionContext context, GpuContainerTest annotation) {
    // Kept in the class's own store: once per class, and for its nested classes.
    return context.getStore(NAMESPACE).getOrComputeIfAbsent(ENVIRONMENT, key -> detect(annotation.attach(), seams()),
        Detection.class);
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
    return new Detection(environment, evidence.engine());
  }

  private static String buildImage(GpuContainerTest annotation, ExtensionContext context) {
    Path buildContext = Path.of(annotation.context()).toAbsolutePath().normalize();
    String dockerfile = buildContext.relativize(buildContext.resolve(annotation.dockerfile()).normalize()).toString();
    Map<String, String> buildArgs = new LinkedHashMap<>();
    parseBuildArgs(annotation.buildArgs(), "@GpuContainerTest on " + context.getRequiredTestClass().getName() + ": ")
        .forEach((key, value) -> buildArgs.put(key, resolve(value, context, "build argument " + key)));
    return buildImage(buildContext, dockerfile, buildArgs, imageName(context.getRequiredTestClass()));
  }

  /** A fresh name for the image built for a test class, under {@value #BUILT_IMAGE_REPOSITORY_PREFIX}. */
  static String imageName(Class<?> testClass) {
    return BUILT_IMAGE_REPOSITORY_PREFIX + testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        + ":" + UUID.randomUUID().toString().substring(0, 12);
  }

  /** Builds with network mode {@code none} and nothing pulled: the base images must be local. */
  static String buildImage(Path buildContext, String dockerfile, Map<String, String> buildArgs, String name) {
    return new ImageFromDockerfile(name, false)
        .withFileFromPath(".", buildContext)
        .withDockerfilePath(dockerfile)
        .withBuildArgs(buildArgs)
        .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("none").withPull(false))
        .get();
  }

  /** The value with each {@code ${name}} replaced by that configuration parameter or system property. */
  static String resolve(String value, ExtensionContext context, String what) {
    return resolve(value, name -> context.getConfigurationParameter(name).orElse(null), what);
  }

  static String resolve(String value, UnaryOperator<String> parameters, String what) {
    Matcher matcher = PLACEHOLDER.matcher(value);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String replacement = parameters.apply(matcher.group(1));
      if (replacement == null) {
        throw new ExtensionConfigurationException("@GpuContainerTest " + what + " '" + value + "' needs ${"
            + matcher.group(1) + "}: set -D" + matcher.group(1) + "=... (or that JUnit configuration parameter)");
      }
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }

  private static void publish(ExtensionContext context, String key, ProbeResult result) {
    context.publishReportEntry(key, jsonOrOutput(result));
  }

  private static String jsonOrOutput(ProbeResult result) {
    return result.jsonLine().orElseGet(() -> ("stdout: " + result.stdout() + " stderr: " + result.stderr()).strip());
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

  /** The class's container and the image built for it; closed by JUnit when the class ends. */
  static final class State implements AutoCloseable {

    GpuContainer container;
    GpuContainer hiddenGpuContainer;
    String builtImage;

    @Override
    public void close() {
      try {
        if (hiddenGpuContainer != null) {
          hiddenGpuContainer.stop();
        }
        if (container != null) {
          container.stop();
        }
      } finally {
        if (builtImage != null) {
          removeImage(builtImage);
        }
      }
    }
  }

  static void removeImage(String image) {
    try {
      DockerClientFactory.instance().client().removeImageCmd(image).withForce(true).exec();
    } catch (RuntimeException e) {
      // Already gone, or the engine went away: nothing left to remove here.
    }
  }
}

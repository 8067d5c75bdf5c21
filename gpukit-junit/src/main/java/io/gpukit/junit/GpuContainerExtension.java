package io.gpukit.junit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.Optional;

/**
 * The extension behind {@link GpuContainerTest}: detects the GPU ({@link GpuDetection}), skips or
 * fails without one, sets the class up once ({@link ClassSetUp}: the image from
 * {@link BuiltImages}, the probe and the negative control judged by {@link ProbeVerdicts}, the
 * {@link HealthcheckProof}), and injects {@link GpuContainer} and {@link GpuEnvironment}.
 *
 * <p>What it asks of the world comes through {@link GpuDetection.Seams}: JUnit creates it on this
 * host's; this package's tests hand it fake hosts through the package-private constructor.
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
  /** The label naming the test class on each container the extension starts. */
  static final String TEST_CLASS_LABEL = "io.gpukit.junit.test-class";
  /** The label saying which container it is: {@code service}, or {@code cuda-hidden} for the HEALTHCHECK's proof. */
  static final String ROLE_LABEL = "io.gpukit.junit.role";

  static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(GpuContainerExtension.class);
  private static final String ENVIRONMENT = "environment";
  private static final String STATE = "state";

  private final GpuDetection.Seams seams;

  /** On this host, with the Docker engine Testcontainers finds: the instance JUnit creates. */
  GpuContainerExtension() {
    this(GpuDetection.Seams.LOCAL);
  }

  /** On the host and engine these seams describe. */
  GpuContainerExtension(GpuDetection.Seams seams) {
    this.seams = seams;
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
      ClassConfiguration.validate(annotation.get(), context.getRequiredTestClass());
      ClassConfiguration.attachOverride(context);
      ClassConfiguration.healthcheckInterval(context, annotation.get());
    } catch (ExtensionConfigurationException misuse) {
      // Reported by beforeAll as itself (JUnit would wrap it here), and never skipped away.
      return ConditionEvaluationResult.enabled("misconfigured; the class will fail");
    }
    GpuDetection detection = detection(context, annotation.get());
    if (detection.startable()) {
      return ConditionEvaluationResult.enabled(detection.describe());
    }
    if (annotation.get().whenNoGpu() == WhenNoGpu.SKIP && !ClassConfiguration.required(context)) {
      return ConditionEvaluationResult.disabled(GpuDetection.missing(detection.environment()) + " (whenNoGpu = SKIP)");
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
    ClassConfiguration.validate(annotation, context.getRequiredTestClass());
    IntervalChoice interval = ClassConfiguration.healthcheckInterval(context, annotation);
    GpuDetection detection = detection(context, annotation);
    if (!detection.startable()) {
      throw new IllegalStateException(GpuDetection.failure(detection.environment(),
          ClassConfiguration.required(context) && annotation.whenNoGpu() == WhenNoGpu.SKIP));
    }
    report(context, "gpukit.gpu", detection.describe());
    ClassSetUp.State state = new ClassSetUp.State();
    context.getStore(NAMESPACE).put(STATE, state);
    SetUpTimings timings = new SetUpTimings();
    try {
      new ClassSetUp(context, annotation, detection, timings).run(interval, seams.host(), state);
    } finally {
      report(context, "gpukit.timings", timings.toString());
    }
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
      GpuDetection detection = store.get(ENVIRONMENT, GpuDetection.class);
      if (detection == null) {
        throw new ParameterResolutionException("no GpuEnvironment: the @GpuContainerTest class has not been set up");
      }
      return detection.environment();
    }
    ClassSetUp.State state = store.get(STATE, ClassSetUp.State.class);
    if (state == null || state.container == null || !state.container.isRunning()) {
      throw new ParameterResolutionException("no started GpuContainer: the @GpuContainerTest class did not start one");
    }
    return state.container;
  }

  /** Detected once per class, kept in the class's own store (for its nested classes too). */
  private GpuDetection detection(ExtensionContext context, GpuContainerTest annotation) {
    Optional<GpuDetection.AttachOverride> override = ClassConfiguration.attachOverride(context);
    return context.getStore(NAMESPACE).getOrComputeIfAbsent(ENVIRONMENT,
        key -> GpuDetection.detect(override, annotation.attach(), seams), GpuDetection.class);
  }

  /** Publishes a report entry; JUnit refuses blank values, so an empty one says so. */
  static void report(ExtensionContext context, String key, String value) {
    context.publishReportEntry(key, value == null || value.isBlank() ? "(empty)" : value);
  }
}

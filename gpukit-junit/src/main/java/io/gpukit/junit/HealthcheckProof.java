package io.gpukit.junit;

import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;
import java.util.Optional;

/**
 * The proof of the image's HEALTHCHECK: healthy with the GPU, unhealthy with CUDA hidden. The
 * container with CUDA hidden ({@link CudaHiddenCheck}) runs while the service container is
 * started and probed; this waits for whichever verdict is still to come, and judges both.
 */
final class HealthcheckProof {

  static final String HEALTHCHECK_FAILURE = "your HEALTHCHECK does not notice a missing GPU";

  private final ExtensionContext context;
  private final Map<String, String> hidden;
  private final SetUpTimings timings;

  HealthcheckProof(ExtensionContext context, Map<String, String> hidden, SetUpTimings timings) {
    this.context = context;
    this.hidden = hidden;
    this.timings = timings;
  }

  /**
   * The image's HEALTHCHECK turned the service container healthy, and the container with CUDA
   * hidden unhealthy; each within {@link HealthWait.Healthcheck#bound()} of the timing in force,
   * counted from its own start. Both ran since their starts: the wait here is what is left of the
   * longer one.
   */
  void verify(GpuContainer container, long started, CudaHiddenCheck hiddenCheck, HealthWait.Verification proof) {
    HealthWait.Healthcheck healthcheck = proof.inForce();
    report("gpukit.healthcheck", proof.describe());
    HealthWait.Outcome withGpu = HealthWait.await(container.getDockerClient(), container.getContainerId(),
        healthcheck.bound(), started, () -> false);
    report("gpukit.health.log", withGpu.describe() + "\n" + withGpu.describeLog());
    HealthWait.Outcome withoutGpu = withoutGpu(container, hiddenCheck, withGpu, healthcheck);
    report("gpukit.health.log.cuda-hidden", withoutGpu.describe() + "\n" + withoutGpu.describeLog());
    timings.note("health", withGpu.describe() + ", CUDA-hidden " + withoutGpu.describe());
    Optional<AssertionError> failure = judgeHealth(withGpu, withoutGpu, hidden, healthcheck);
    if (failure.isPresent()) {
      report("gpukit.container.logs", container.getLogs());
      if (!withoutGpu.unhealthy()) {
        report("gpukit.container.logs.cuda-hidden", hiddenCheck.container().getLogs());
      }
      throw failure.get();
    }
  }

  /** The CUDA-hidden container's outcome; where it did not start, a failure with the GPU still comes first. */
  private HealthWait.Outcome withoutGpu(GpuContainer container, CudaHiddenCheck hiddenCheck,
      HealthWait.Outcome withGpu, HealthWait.Healthcheck healthcheck) {
    try {
      return hiddenCheck.outcome();
    } catch (RuntimeException | Error failure) {
      judgeHealthWithGpu(withGpu, healthcheck).ifPresent(notHealthy -> {
        report("gpukit.container.logs", container.getLogs());
        AssertionError first = new AssertionError(notHealthy);
        first.addSuppressed(failure);
        throw first;
      });
      throw failure;
    }
  }

  private void report(String key, String value) {
    GpuContainerExtension.report(context, key, value);
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
}

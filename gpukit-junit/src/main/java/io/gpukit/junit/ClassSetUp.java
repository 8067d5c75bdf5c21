package io.gpukit.junit;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The set-up of one {@link GpuContainerTest} class: the image, the service container started and
 * proven with the probe and the negative control, and the HEALTHCHECK's proof (healthy with the
 * GPU, unhealthy with CUDA hidden) overlapping the rest.
 *
 * <p>The container with CUDA hidden starts, on a thread of its own, together with the service
 * container, and both run the HEALTHCHECK at the interval asked while the probe and the negative
 * control run; the set-up then waits for whichever of {@code healthy} and {@code unhealthy} is
 * still to come.
 */
final class ClassSetUp {

  private final ExtensionContext context;
  private final GpuContainerTest annotation;
  private final GpuDetection detection;
  private final SetUpTimings timings;
  private final Map<String, String> hidden;

  ClassSetUp(ExtensionContext context, GpuContainerTest annotation, GpuDetection detection, SetUpTimings timings) {
    this.context = context;
    this.annotation = annotation;
    this.detection = detection;
    this.timings = timings;
    this.hidden = ProbeVerdicts.hiddenGpuEnvironment(detection.environment().attach().orElse(null));
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

  /** Starts and proves the class's containers, kept in {@code state} for JUnit to close. */
  void run(IntervalChoice interval, GpuHost.View host, State state) {
    Optional<Path> probeJar = ClassConfiguration.probeJar(context);
    String image = timings.time("image", () -> BuiltImages.image(annotation, context, timings));
    // Read before any container is created: both verifying containers are created with its timing.
    Optional<HealthWait.Verification> verification = annotation.verifyHealthcheck()
        ? imageHealthcheck(image)
            .map(healthcheck -> HealthWait.Verification.of(healthcheck, interval.interval(), interval.origin()))
        : Optional.empty();
    ContainerPlan plan = new ContainerPlan(image, context.getRequiredTestClass().getName(), annotation.gpus(),
        detection, host, probeJar,
        verification.flatMap(HealthWait.Verification::containerConfig));
    GpuContainer container = plan.container("service", Map.of())
        .withProbeArguments("--mode", annotation.probeMode().cliName());
    state.container = container;
    Optional<CudaHiddenCheck> hiddenCheck = verification.map(proof -> new CudaHiddenCheck(
        plan.container("cuda-hidden", hidden), proof.inForce().bound()));
    state.hiddenCheck = hiddenCheck.orElse(null);
    try {
      // Started first, on its own thread: it turns unhealthy while the service is proven here.
      hiddenCheck.ifPresent(check -> check.start(context.getRequiredTestClass().getSimpleName()));
      long started = System.nanoTime();
      timings.run("start", container::start);
      prove(container);
      if (annotation.verifyHealthcheck()) {
        timings.run("health", () -> {
          HealthWait.Verification proof = verification.orElseThrow(
              () -> new AssertionError(HealthcheckProof.noHealthcheck(image)));
          new HealthcheckProof(context, hidden, timings).verify(container, started, hiddenCheck.orElseThrow(), proof);
        });
      }
    } finally {
      // Never left to the end of the class: the tests see the service container alone.
      hiddenCheck.ifPresent(CudaHiddenCheck::close);
      state.hiddenCheck = null;
    }
  }

  /** The probe (or the HEALTHCHECK in its place) healthy with the GPU, and failing with it hidden. */
  private void prove(GpuContainer container) {
    ProbeRoute route = timings.time("route", container::probeRoute);
    GpuContainerExtension.report(context, "gpukit.probe.route", route.toString());
    ContainerProbeResult result = timings.time("probe", () -> container.probe());
    ProbeVerdicts.publish(context, "gpukit.probe", result);
    Optional<String> unhealthy = ProbeVerdicts.judgeProbe(result);
    if (unhealthy.isPresent()) {
      GpuContainerExtension.report(context, "gpukit.container.logs", container.getLogs());
      throw new AssertionError(detection.withoutGpu()
          ? unhealthy.get() + "\n(" + GpuContainerExtension.WITHOUT_GPU_NOTE + ")" : unhealthy.get());
    }
    if (annotation.negativeControl()) {
      ContainerProbeResult control = timings.time("negative-control", () -> container.probe(hidden));
      ProbeVerdicts.publish(context, "gpukit.probe.negative-control", control);
      Optional<String> unnoticed = ProbeVerdicts.judgeNegativeControl(control, hidden);
      if (unnoticed.isPresent()) {
        GpuContainerExtension.report(context, "gpukit.container.logs", container.getLogs());
        throw new AssertionError(unnoticed.get());
      }
    }
  }

  /** The image's HEALTHCHECK, read from the engine before any container of it is created. */
  private static Optional<HealthWait.Healthcheck> imageHealthcheck(String image) {
    try {
      return HealthWait.Healthcheck.of(DockerClientFactory.instance().client(), image);
    } catch (NotFoundException e) {
      throw new IllegalStateException("the image '" + image + "' is not on this Docker engine, and nothing is pulled:"
          + " build or load it first (docker build, docker load), or leave image empty to build it from the"
          + " Dockerfile", e);
    }
  }
}

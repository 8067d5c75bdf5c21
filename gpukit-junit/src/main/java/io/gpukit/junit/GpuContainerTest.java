package io.gpukit.junit;

import io.gpukit.probe.ProbeMode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class against one {@link GpuContainer} with the host's GPUs attached, started once
 * for the class and proven from inside by the probe before any test runs.
 *
 * <pre>{@code
 * @GpuContainerTest(dockerfile = "Dockerfile", context = "service", buildArgs = "VERSION=1.0")
 * class MyServiceGpuTests {
 *
 *   @Test
 *   void answers(GpuContainer container, GpuEnvironment environment) { ... }
 * }
 * }</pre>
 *
 * <p>Before the tests: the image is built from {@link #dockerfile()} in {@link #context()} (network
 * mode {@code none}, nothing pulled; the build's base images must be local) unless {@link #image()}
 * names one; the GPUs are attached as {@link #attach()} says; the container starts with its image's
 * own command; the probe runs with {@code --mode} {@link #probeMode()} and must be healthy; with
 * {@link #negativeControl()} it runs again with CUDA hidden and must fail; with
 * {@link #verifyHealthcheck()} the image's HEALTHCHECK must turn the container healthy, and a second
 * container with CUDA hidden, started alongside, unhealthy, both running it every
 * {@link #healthcheckInterval()}. The probe's JSON lines, the route it took, the health logs
 * and the time each step took ({@code gpukit.timings}) are published as report entries. The
 * containers are removed after the class; an image built here is built once per run for each
 * context, Dockerfile and build arguments, shared by the classes that ask for the same, and removed
 * when the run ends (like {@code ImageFromDockerfile} with {@code deleteOnExit}, but at the end of
 * the run rather than of the JVM). Every container and built image carries the label
 * {@value GpuContainer#SESSION_LABEL}, and a JVM that exits without closing them (a {@code SIGTERM}
 * mid-run) removes them in a shutdown hook.
 *
 * <p>The probe runs as {@code java -jar} {@value GpuContainer#PROBE_JAR_IN_CONTAINER} with the
 * image's {@code java}: the configuration parameter (or system property) {@code gpukit.probe.jar}
 * names a {@code gpukit-probe.jar} to copy in, or the image has it there. An image without
 * {@code java} is proven by its own HEALTHCHECK command instead, run inside the container (exit 0
 * healthy; the negative control must exit non-zero); one with neither fails the class saying what to
 * add. See {@link GpuContainer#probeRoute()}.
 *
 * <p>The configuration parameter {@code gpukit.gpu.attach} ({@code auto}, {@code toolkit},
 * {@code cdi}, {@code device_nodes}, {@code none}) overrides {@link #attach()} for every class of a
 * run; {@code none} starts the containers with no GPU at all, whatever the host has, so that a GPU
 * runner can prove that its GPU classes fail without the GPU. The configuration parameter
 * {@code gpukit.healthcheck.interval} sets {@link #healthcheckInterval()} for the classes that leave
 * it empty.
 *
 * <p>{@link #image()} and the values of {@link #buildArgs()} may name configuration parameters or
 * system properties as {@code ${name}}, resolved when the class starts.
 *
 * <p>Usable as a meta-annotation. Tagged {@code gpu}, so local runs can exclude these classes.
 *
 * @since 0.1.0
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("gpu")
@ExtendWith(GpuContainerExtension.class)
public @interface GpuContainerTest {

  /**
   * The Dockerfile, relative to {@link #context()}.
   *
   * @return the Dockerfile path
   * @since 0.1.0
   */
  String dockerfile() default "Dockerfile";

  /**
   * The build context folder, relative to the working directory.
   *
   * @return the context folder
   * @since 0.1.0
   */
  String context() default ".";

  /**
   * An image to use instead of building one; it must be local (nothing is pulled).
   *
   * @return the image name, or empty to build
   * @since 0.1.0
   */
  String image() default "";

  /**
   * Build arguments, each {@code KEY=VALUE}.
   *
   * @return the build arguments
   * @since 0.1.0
   */
  String[] buildArgs() default {};

  /**
   * Which GPUs: {@code all}, a count, or {@code device=0,1}, as {@code docker run --gpus} takes them.
   *
   * @return the GPUs
   * @since 0.1.0
   */
  String gpus() default "all";

  /**
   * How the GPUs are attached.
   *
   * @return the strategy
   * @since 0.1.0
   */
  GpuAttach attach() default GpuAttach.AUTO;

  /**
   * What to do where no GPU can be attached or no Docker engine answers.
   *
   * @return fail (the default) or skip
   * @since 0.1.0
   */
  WhenNoGpu whenNoGpu() default WhenNoGpu.FAIL;

  /**
   * The probe's {@code --mode}.
   *
   * @return the mode
   * @since 0.1.0
   */
  ProbeMode probeMode() default ProbeMode.READINESS;

  /**
   * Whether to prove that the probe fails with CUDA hidden ({@code CUDA_VISIBLE_DEVICES=}, and
   * {@code NVIDIA_VISIBLE_DEVICES=void} under {@link GpuAttach#TOOLKIT}).
   *
   * @return {@code true} to run the negative control
   * @since 0.1.0
   */
  boolean negativeControl() default true;

  /**
   * Whether to prove the image's own {@code HEALTHCHECK} healthy with the GPU and unhealthy without.
   * The HEALTHCHECK is read from the image config; an image without one (or with
   * {@code HEALTHCHECK NONE}) fails the class unless this is {@code false}. The started container
   * must turn {@code healthy}, and a second container of the image, with CUDA hidden as for
   * {@link #negativeControl()}, {@code unhealthy}; the second starts with the first and is removed
   * before the tests run, and both run the HEALTHCHECK at {@link #healthcheckInterval()}. Each wait
   * is bounded by start period + retries × (interval + timeout) + 5 s (one check more where there is
   * a start period), counted from its container's start, with Docker's defaults (interval 30 s,
   * timeout 30 s, retries 3, start period 0 s) for what the HEALTHCHECK leaves unset. The health
   * logs are published as report entries, and the container logs too on failure; a container that
   * fails both ways fails the class for the GPU-attached one first.
   *
   * @return {@code true} to verify the HEALTHCHECK
   * @since 0.1.0
   */
  boolean verifyHealthcheck() default true;

  /**
   * How often the two containers that verify the HEALTHCHECK run it: a duration such as
   * {@code "1s"}, {@code "500ms"} or {@code "1.5s"} (at least 1 ms, the shortest Docker accepts),
   * or {@code "image"} to keep the image's timing exactly. Empty (the default) takes the
   * configuration parameter {@code gpukit.healthcheck.interval}, else 1 s.
   *
   * <p>Only the interval changes, and only where it is shorter than the image's own: the command,
   * timeout, start period and retries stay the image's, so what is proven is the image's command and
   * its failure threshold, in seconds where an image's {@code --interval=30s} would take minutes. The
   * start period is kept as well (failures inside it do not count, and the service may need it to
   * start): it is the least the wait for {@code unhealthy} takes. The service container keeps this
   * interval while the tests run; set {@code "image"} for a HEALTHCHECK too heavy to run that often.
   *
   * @return the interval, {@code "image"}, or empty for the run's default
   * @since 0.1.0
   */
  String healthcheckInterval() default "";
}

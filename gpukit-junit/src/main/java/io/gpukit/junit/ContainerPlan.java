package io.gpukit.junit;

import com.github.dockerjava.api.model.HealthCheck;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What every container of a {@link GpuContainerTest} class shares: the image, the test class it
 * is labelled with, the GPUs attached as detected (on the host view and engine hint detection
 * used), the probe jar copied in at create time (an image's HEALTHCHECK may run it at once), and
 * the HEALTHCHECK timing of the verification where it differs from the image's.
 *
 * @param image the image to run
 * @param testClass the test class's name, for {@value GpuContainerExtension#TEST_CLASS_LABEL}
 * @param gpus which GPUs, as {@link GpuContainer#withGpus(GpuAttach, String)} takes them
 * @param detection the strategy (none: no GPU) and the engine hint
 * @param host the host the GPU facts come from
 * @param probeJar the probe jar to copy in, if any
 * @param healthcheck the HEALTHCHECK timing to create the container with, if it differs from the image's
 */
record ContainerPlan(String image, String testClass, String gpus, GpuDetection detection, GpuHost.View host,
    Optional<Path> probeJar, Optional<HealthCheck> healthcheck) {

  /** The container in a role ({@code service}, or {@code cuda-hidden} with the environment that hides CUDA). */
  GpuContainer container(String role, Map<String, String> env) {
    GpuContainer container = new GpuContainer(image)
        .withHost(host, detection.engine())
        .withNetworkMode("none")
        .withLabel(GpuContainerExtension.TEST_CLASS_LABEL, testClass)
        .withLabel(GpuContainerExtension.ROLE_LABEL, role)
        .withEnv(env);
    detection.environment().attach().ifPresent(how -> container.withGpus(how, gpus));
    probeJar.ifPresent(container::withProbeJar);
    healthcheck.ifPresent(config -> container.withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(config)));
    return container;
  }
}

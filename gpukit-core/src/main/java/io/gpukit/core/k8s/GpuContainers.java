package io.gpukit.core.k8s;

import io.gpukit.core.policy.GpuKitConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which containers and workloads use a GPU, and why: shared by the rules, the assertions and the
 * rollout simulator.
 *
 * <p>A container uses a GPU when it asks for {@code nvidia.com/gpu} (in limits or requests), when
 * one of its probes runs a GPU probe, when its image is a CUDA image ({@code nvidia/cuda}, or a tag
 * that names CUDA), or when {@code gpukit.yaml} lists its image under {@code gpu.images}.
 *
 * @since 0.1.0
 */
public final class GpuContainers {

  private GpuContainers() {}

  /** Why a container uses a GPU, or empty when it does not. */
  public static Optional<String> why(Container container, GpuKitConfig config) {
    List<String> reasons = new ArrayList<>();
    if (container.resources().asksForGpu()) {
      reasons.add("it asks for " + Resources.NVIDIA_GPU);
    }
    if (probes(container).anyMatch(p -> ProbeKind.of(p, config) == ProbeKind.GPU_PROBE
        && p.action() instanceof ProbeAction.Exec)) {
      reasons.add("a probe runs a GPU probe");
    }
    if (container.image().isCuda()) {
      reasons.add("its image '" + container.image().raw() + "' is a CUDA image");
    }
    if (config.isGpuImage(container.image().raw())) {
      reasons.add("gpukit.yaml lists its image under gpu.images");
    }
    return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", reasons));
  }

  /** Whether a container uses a GPU. */
  public static boolean isGpuContainer(Container container, GpuKitConfig config) {
    return why(container, config).isPresent();
  }

  /** The GPU containers of a workload (init containers excluded), in order. */
  public static List<Container> of(Workload workload, GpuKitConfig config) {
    return workload.template().containers().stream().filter(c -> isGpuContainer(c, config)).toList();
  }

  /** Whether any container of a workload uses a GPU. */
  public static boolean isGpuWorkload(Workload workload, GpuKitConfig config) {
    return !of(workload, config).isEmpty();
  }

  /** The container's probes that are set: readiness, liveness, startup. */
  static Stream<Probe> probes(Container c) {
    return Stream.of(c.readinessProbe(), c.livenessProbe(), c.startupProbe()).flatMap(Optional::stream);
  }
}

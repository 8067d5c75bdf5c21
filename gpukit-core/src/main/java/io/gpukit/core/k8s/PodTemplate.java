package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A pod template ({@code spec.template}, or {@code spec.jobTemplate.spec.template} of a CronJob):
 * its containers and where it may be scheduled.
 *
 * @param containers {@code spec.containers}, in order
 * @param initContainers {@code spec.initContainers}, in order
 * @param nodeSelector {@code spec.nodeSelector}
 * @param affinity where {@code spec.affinity.nodeAffinity} is written, if it is
 * @param tolerations {@code spec.tolerations}
 * @param securityContext the pod's {@code securityContext}, if set
 * @param location where the template's pod spec starts
 * @since 0.1.0
 */
public record PodTemplate(
    List<Container> containers,
    List<Container> initContainers,
    Map<String, String> nodeSelector,
    Optional<SourceLocation> affinity,
    List<Toleration> tolerations,
    Optional<SecurityContext> securityContext,
    SourceLocation location) {

  /** Copies the collections. */
  public PodTemplate {
    containers = List.copyOf(containers);
    initContainers = List.copyOf(initContainers);
    nodeSelector = Map.copyOf(nodeSelector);
    Objects.requireNonNull(affinity, "affinity");
    tolerations = List.copyOf(tolerations);
    Objects.requireNonNull(securityContext, "securityContext");
    Objects.requireNonNull(location, "location");
  }

  /** The GPUs one pod of this template holds: the sum of its containers' {@code nvidia.com/gpu}. */
  public int gpusPerPod() {
    int app = containers.stream().mapToInt(c -> c.resources().gpus()).sum();
    int init = initContainers.stream().mapToInt(c -> c.resources().gpus()).max().orElse(0);
    return Math.max(app, init);
  }
}

package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A pod spec: a workload's pod template ({@code spec.template.spec}, or {@code
 * spec.jobTemplate.spec.template.spec} of a CronJob), or a bare Pod's own {@code spec}; its
 * containers and where it may be scheduled.
 *
 * @param containers {@code spec.containers}, in order
 * @param initContainers {@code spec.initContainers}, in order
 * @param nodeSelector {@code spec.nodeSelector}
 * @param nodeSelectorLocations where each {@code nodeSelector} key is written
 * @param affinity where {@code spec.affinity.nodeAffinity} is written, if it is
 * @param requiredNodeAffinity the terms of {@code
 *     nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms} (a node must
 *     match one term, and every requirement of it), each term's {@code matchExpressions} in order
 * @param tolerations {@code spec.tolerations}
 * @param securityContext the pod's {@code securityContext}, if set
 * @param restartPolicy {@code spec.restartPolicy}, if set ({@code Always} by default)
 * @param activeDeadlineSeconds {@code spec.activeDeadlineSeconds} of the pod, if set
 * @param resourceClaims {@code spec.resourceClaims} (Dynamic Resource Allocation), in order
 * @param annotations the pod's {@code metadata.annotations} (of the template, or of a bare Pod)
 * @param annotationLocations where each annotation is written
 * @param location where the pod spec starts
 * @since 0.1.0
 */
public record PodTemplate(
    List<Container> containers,
    List<Container> initContainers,
    Map<String, String> nodeSelector,
    Map<String, SourceLocation> nodeSelectorLocations,
    Optional<SourceLocation> affinity,
    List<List<NodeRequirement>> requiredNodeAffinity,
    List<Toleration> tolerations,
    Optional<SecurityContext> securityContext,
    Optional<String> restartPolicy,
    Optional<Integer> activeDeadlineSeconds,
    List<PodResourceClaim> resourceClaims,
    Map<String, String> annotations,
    Map<String, SourceLocation> annotationLocations,
    SourceLocation location) {

  /**
   * The pod annotations with which a GPU-sharing scheduler gives the pod a share of a GPU: NVIDIA
   * Run:ai's and the KAI scheduler's {@code gpu-fraction} (a share such as {@code "0.5"}) and {@code
   * gpu-memory} (an amount of GPU memory).
   */
  public static final List<String> GPU_SHARE_ANNOTATIONS = List.of("gpu-fraction", "gpu-memory");

  /** Copies the collections. */
  public PodTemplate {
    containers = List.copyOf(containers);
    initContainers = List.copyOf(initContainers);
    nodeSelector = Map.copyOf(nodeSelector);
    nodeSelectorLocations = Map.copyOf(nodeSelectorLocations);
    Objects.requireNonNull(affinity, "affinity");
    requiredNodeAffinity = requiredNodeAffinity.stream().map(List::copyOf).toList();
    tolerations = List.copyOf(tolerations);
    Objects.requireNonNull(securityContext, "securityContext");
    Objects.requireNonNull(restartPolicy, "restartPolicy");
    Objects.requireNonNull(activeDeadlineSeconds, "activeDeadlineSeconds");
    resourceClaims = List.copyOf(resourceClaims);
    annotations = Map.copyOf(annotations);
    annotationLocations = Map.copyOf(annotationLocations);
    Objects.requireNonNull(location, "location");
  }

  /**
   * The GPU-sharing annotations ({@link #GPU_SHARE_ANNOTATIONS}) the pod sets, in that order, with
   * their values; empty when it sets none (or sets one to {@code "0"} or nothing).
   *
   * @since 0.2.0
   */
  public Map<String, String> gpuShareAnnotations() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : GPU_SHARE_ANNOTATIONS) {
      String value = annotations.getOrDefault(key, "").strip();
      if (!value.isEmpty() && !value.matches("0+(\\.0*)?")) {
        out.put(key, value);
      }
    }
    return out;
  }

  /**
   * The GPUs one pod of this template holds: the sum of its containers' GPU resources ({@code
   * nvidia.com/gpu}, {@code amd.com/gpu}), or the most any init container holds. MIG slices, shares
   * and DRA devices are counted by {@link #gpuUnits(List)}.
   */
  public int gpusPerPod() {
    int app = containers.stream().mapToInt(c -> c.resources().gpus()).sum();
    int init = initContainers.stream().mapToInt(c -> c.resources().gpus()).max().orElse(0);
    return Math.max(app, init);
  }

  /**
   * The GPU-pool units one pod of this template holds, per resource: each GPU resource of its
   * containers ({@link Resources#gpuUnits()}: {@code nvidia.com/gpu}, {@code amd.com/gpu}, a MIG
   * slice, a time-sliced share), summed over the containers, or the most any init container holds;
   * and per GPU device class ({@code gpu.nvidia.com}, {@code mig.nvidia.com}) the {@code count} of
   * the GPU requests of the claim templates its {@code resourceClaims} name, found among {@code
   * claims} (of a request's {@code firstAvailable} alternatives, the first). A named {@code
   * ResourceClaim} is allocated once and shared by every pod that names it, so a new pod needs no
   * device of it. Resources in order of first appearance; none when the pod holds no GPU.
   *
   * @param claims the claims and claim templates of the pod's namespace, as read from the manifests
   * @since 0.2.0
   */
  public Map<String, Integer> gpuUnits(List<DeviceClaim> claims) {
    Map<String, Integer> app = new LinkedHashMap<>();
    containers.forEach(c -> c.resources().gpuUnits().forEach((r, n) -> app.merge(r, n, Integer::sum)));
    Map<String, Integer> units = new LinkedHashMap<>(app);
    initContainers.forEach(c -> c.resources().gpuUnits().forEach((r, n) -> units.merge(r, n, Math::max)));
    for (PodResourceClaim podClaim : resourceClaims) {
      if (podClaim.templateName().isEmpty()) {
        continue;
      }
      String template = podClaim.templateName().get();
      claims.stream()
          .filter(c -> c instanceof ResourceClaimTemplate && c.name().equals(template))
          .findFirst()
          .ifPresent(t -> {
            Set<String> counted = new HashSet<>();
            for (DeviceRequest r : t.gpuRequests()) {
              if (counted.add(r.name())) { // firstAvailable: the scheduler tries the alternatives in order
                units.merge(r.deviceClassName(), r.count(), Integer::sum);
              }
            }
          });
    }
    units.values().removeIf(n -> n == 0);
    return units;
  }

  /** The same pod spec with other main containers (a KServe model, a TrainJob's trainer). */
  public PodTemplate withContainers(List<Container> main) {
    return new PodTemplate(main, initContainers, nodeSelector, nodeSelectorLocations, affinity, requiredNodeAffinity,
        tolerations, securityContext, restartPolicy, activeDeadlineSeconds, resourceClaims, annotations,
        annotationLocations, location);
  }

  /** Whether the pod runs to completion: {@code restartPolicy} {@code Never} or {@code OnFailure}. */
  public boolean runsToCompletion() {
    return restartPolicy.filter(p -> p.equals("Never") || p.equals("OnFailure")).isPresent();
  }

  /** A pod claim by name. */
  public Optional<PodResourceClaim> resourceClaim(String name) {
    return resourceClaims.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}

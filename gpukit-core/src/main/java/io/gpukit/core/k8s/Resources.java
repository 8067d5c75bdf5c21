package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A container's {@code resources}: limits and requests by resource name, and the Dynamic Resource
 * Allocation claims it uses.
 *
 * @param limits {@code resources.limits}
 * @param requests {@code resources.requests}
 * @param limitLocations where each limit is written
 * @param requestLocations where each request is written
 * @param claims {@code resources.claims}: the pod claims whose devices the container uses
 * @since 0.1.0
 */
public record Resources(
    Map<String, Quantity> limits,
    Map<String, Quantity> requests,
    Map<String, SourceLocation> limitLocations,
    Map<String, SourceLocation> requestLocations,
    List<ClaimReference> claims) {

  /** The extended resource an NVIDIA GPU is requested as. */
  public static final String NVIDIA_GPU = "nvidia.com/gpu";

  /** The extended resource an AMD GPU is requested as (the ROCm device plugin). */
  public static final String AMD_GPU = "amd.com/gpu";

  /** The extended resources that are whole GPUs, in the order gpukit looks for them. */
  public static final List<String> GPU_RESOURCES = List.of(NVIDIA_GPU, AMD_GPU);

  /** The extended resource a Volcano vGPU is requested as: one slot of a shared GPU. */
  public static final String VOLCANO_VGPU = "volcano.sh/vgpu-number";

  /**
   * Extended resources that size a share of a GPU beside its count, as GPU-sharing device plugins
   * advertise them: HAMi's {@code nvidia.com/gpumem}, {@code nvidia.com/gpumem-percentage} and
   * {@code nvidia.com/gpucores}, and Volcano's vGPU {@code volcano.sh/vgpu-memory}, {@code
   * volcano.sh/vgpu-memory-percentage} and {@code volcano.sh/vgpu-cores}. A container that asks for
   * one uses a GPU; they are amounts of memory or percentages, not GPUs, and are never counted as
   * such.
   */
  public static final List<String> GPU_SHARE_RESOURCES = List.of(
      "nvidia.com/gpumem", "nvidia.com/gpumem-percentage", "nvidia.com/gpucores",
      "volcano.sh/vgpu-memory", "volcano.sh/vgpu-memory-percentage", "volcano.sh/vgpu-cores");

  /**
   * Whether an extended resource is a GPU or a share of one: {@code nvidia.com/gpu}, {@code
   * amd.com/gpu}, a MIG slice of the device plugin's mixed strategy ({@code
   * nvidia.com/mig-1g.10gb}), a time-sliced GPU renamed by the plugin ({@code nvidia.com/gpu.shared})
   * or a Volcano vGPU slot ({@code volcano.sh/vgpu-number}). The sizes of a share ({@link
   * #GPU_SHARE_RESOURCES}) are not: they say how much of a GPU, not how many.
   */
  public static boolean isGpuResource(String name) {
    return GPU_RESOURCES.contains(name) || name.equals("nvidia.com/gpu.shared") || name.startsWith("nvidia.com/mig-")
        || name.equals(VOLCANO_VGPU);
  }

  /** No limits, no requests and no claims. */
  public static final Resources NONE = new Resources(Map.of(), Map.of(), Map.of(), Map.of(), List.of());

  /** Copies the collections. */
  public Resources {
    limits = Map.copyOf(limits);
    requests = Map.copyOf(requests);
    limitLocations = Map.copyOf(limitLocations);
    requestLocations = Map.copyOf(requestLocations);
    claims = List.copyOf(Objects.requireNonNull(claims, "claims"));
  }

  /**
   * The GPU resource the container asks for in limits or requests ({@code nvidia.com/gpu}, {@code
   * amd.com/gpu}, a MIG slice…: {@link #isGpuResource}), if any; with several, {@code
   * nvidia.com/gpu}, then {@code amd.com/gpu}, then the first by name.
   */
  public Optional<String> gpuResource() {
    return gpuResources().stream().findFirst();
  }

  /** Every GPU resource the container asks for in limits or requests, in {@link #gpuResource()}'s order. */
  public List<String> gpuResources() {
    Stream<String> asked = Stream.concat(limits.keySet().stream(), requests.keySet().stream())
        .filter(Resources::isGpuResource).distinct();
    return asked.sorted(Comparator.comparing((String r) -> GPU_RESOURCES.contains(r) ? GPU_RESOURCES.indexOf(r) : 2)
        .thenComparing(Comparator.naturalOrder())).toList();
  }

  /**
   * The sizes of a GPU share the container asks for in limits or requests ({@link
   * #GPU_SHARE_RESOURCES}), in that order.
   *
   * @since 0.2.0
   */
  public List<String> gpuShares() {
    return GPU_SHARE_RESOURCES.stream().filter(r -> limits.containsKey(r) || requests.containsKey(r)).toList();
  }

  /** The limit of the GPU resource asked for ({@link #gpuResource()}), if any. */
  public Optional<Quantity> gpuLimit() {
    return gpuResource().map(limits::get);
  }

  /** The request of the GPU resource asked for ({@link #gpuResource()}), if any. */
  public Optional<Quantity> gpuRequest() {
    return gpuResource().map(requests::get);
  }

  /** Whether a GPU resource ({@link #isGpuResource}) is asked for in limits or requests. */
  public boolean asksForGpu() {
    return gpuResource().isPresent();
  }

  /**
   * The whole GPUs one container is given ({@code nvidia.com/gpu} and {@code amd.com/gpu}; MIG
   * slices and shares are no whole GPU): per resource the limit (Kubernetes copies it to the
   * request when only the limit is set), else the request; 0 when neither is set.
   */
  public int gpus() {
    int total = 0;
    for (String r : GPU_RESOURCES) {
      total += Optional.ofNullable(limits.get(r)).or(() -> Optional.ofNullable(requests.get(r)))
          .map(Quantity::intValue).orElse(0);
    }
    return total;
  }

  /**
   * The units of each GPU resource ({@link #isGpuResource}) one container is given, in {@link
   * #gpuResources()}'s order: a whole GPU, a MIG slice ({@code nvidia.com/mig-1g.10gb}) or a
   * time-sliced share is one unit of its own resource; per resource the limit, else the request.
   */
  public Map<String, Integer> gpuUnits() {
    Map<String, Integer> units = new LinkedHashMap<>();
    for (String r : gpuResources()) {
      units.put(r, Optional.ofNullable(limits.get(r)).orElseGet(() -> requests.get(r)).intValue());
    }
    return units;
  }

  /** The location of a limit or, failing that, a request. */
  public Optional<SourceLocation> locationOf(String resource) {
    return Optional.ofNullable(limitLocations.get(resource))
        .or(() -> Optional.ofNullable(requestLocations.get(resource)));
  }
}

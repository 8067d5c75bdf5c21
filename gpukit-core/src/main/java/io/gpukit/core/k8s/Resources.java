package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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

  /** The extended resources that are GPUs, in the order gpukit looks for them. */
  public static final List<String> GPU_RESOURCES = List.of(NVIDIA_GPU, AMD_GPU);

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
   * The GPU resource the container asks for in limits or requests ({@code nvidia.com/gpu} or
   * {@code amd.com/gpu}), if any; {@code nvidia.com/gpu} when it asks for both.
   */
  public Optional<String> gpuResource() {
    return GPU_RESOURCES.stream().filter(r -> limits.containsKey(r) || requests.containsKey(r)).findFirst();
  }

  /** The limit of the GPU resource asked for ({@link #gpuResource()}), if any. */
  public Optional<Quantity> gpuLimit() {
    return gpuResource().map(limits::get);
  }

  /** The request of the GPU resource asked for ({@link #gpuResource()}), if any. */
  public Optional<Quantity> gpuRequest() {
    return gpuResource().map(requests::get);
  }

  /** Whether a GPU resource ({@code nvidia.com/gpu} or {@code amd.com/gpu}) is asked for in limits or requests. */
  public boolean asksForGpu() {
    return gpuResource().isPresent();
  }

  /**
   * The GPUs one container is given: per GPU resource the limit (Kubernetes copies it to the
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

  /** The location of a limit or, failing that, a request. */
  public Optional<SourceLocation> locationOf(String resource) {
    return Optional.ofNullable(limitLocations.get(resource))
        .or(() -> Optional.ofNullable(requestLocations.get(resource)));
  }
}

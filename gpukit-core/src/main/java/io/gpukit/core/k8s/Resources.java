package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.Map;
import java.util.Optional;

/**
 * A container's {@code resources}: limits and requests by resource name.
 *
 * @param limits {@code resources.limits}
 * @param requests {@code resources.requests}
 * @param limitLocations where each limit is written
 * @param requestLocations where each request is written
 * @since 0.1.0
 */
public record Resources(
    Map<String, Quantity> limits,
    Map<String, Quantity> requests,
    Map<String, SourceLocation> limitLocations,
    Map<String, SourceLocation> requestLocations) {

  /** The extended resource an NVIDIA GPU is requested as. */
  public static final String NVIDIA_GPU = "nvidia.com/gpu";

  /** No limits and no requests. */
  public static final Resources NONE = new Resources(Map.of(), Map.of(), Map.of(), Map.of());

  /** Copies the maps. */
  public Resources {
    limits = Map.copyOf(limits);
    requests = Map.copyOf(requests);
    limitLocations = Map.copyOf(limitLocations);
    requestLocations = Map.copyOf(requestLocations);
  }

  /** The {@code nvidia.com/gpu} limit, if any. */
  public Optional<Quantity> gpuLimit() {
    return Optional.ofNullable(limits.get(NVIDIA_GPU));
  }

  /** The {@code nvidia.com/gpu} request, if any. */
  public Optional<Quantity> gpuRequest() {
    return Optional.ofNullable(requests.get(NVIDIA_GPU));
  }

  /** Whether {@code nvidia.com/gpu} is asked for in limits or requests. */
  public boolean asksForGpu() {
    return limits.containsKey(NVIDIA_GPU) || requests.containsKey(NVIDIA_GPU);
  }

  /**
   * The GPUs one container is given: the limit (Kubernetes copies it to the request when only the
   * limit is set), else the request; 0 when neither is set.
   */
  public int gpus() {
    return gpuLimit().or(this::gpuRequest).map(Quantity::intValue).orElse(0);
  }

  /** The location of a limit or, failing that, a request. */
  public Optional<SourceLocation> locationOf(String resource) {
    return Optional.ofNullable(limitLocations.get(resource))
        .or(() -> Optional.ofNullable(requestLocations.get(resource)));
  }
}

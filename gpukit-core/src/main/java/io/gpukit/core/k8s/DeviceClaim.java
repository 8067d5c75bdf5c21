package io.gpukit.core.k8s;

import java.util.List;

/**
 * A Dynamic Resource Allocation object a pod's {@code resourceClaims} can name: a {@link
 * ResourceClaim} or a {@link ResourceClaimTemplate} ({@code resource.k8s.io}).
 *
 * @since 0.2.0
 */
public sealed interface DeviceClaim extends Resource permits ResourceClaim, ResourceClaimTemplate {

  /** The device requests, in order. */
  List<DeviceRequest> requests();

  /** The device requests whose class is a GPU class. */
  default List<DeviceRequest> gpuRequests() {
    return requests().stream().filter(DeviceRequest::isGpu).toList();
  }
}

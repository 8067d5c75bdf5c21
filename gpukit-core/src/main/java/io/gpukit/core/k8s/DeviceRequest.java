package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.Locale;
import java.util.Objects;

/**
 * One device request of a Dynamic Resource Allocation claim ({@code devices.requests[]}): the
 * device class it asks for, whether written directly ({@code deviceClassName}, {@code
 * resource.k8s.io/v1beta1}), under {@code exactly} ({@code v1}) or as one of {@code firstAvailable}.
 *
 * @param name the request's {@code name}; empty when absent
 * @param deviceClassName the {@code deviceClassName}, e.g. {@code gpu.nvidia.com}; empty when absent
 * @param count the devices asked for ({@code count}, 1 when not written). A request with {@code
 *     allocationMode: All} takes every matching device of a node, which no manifest says; it counts
 *     as its {@code count}, 1 unless written
 * @param location where the request is written
 * @since 0.2.0
 */
public record DeviceRequest(String name, String deviceClassName, int count, SourceLocation location) {

  /** Validates the fields. */
  public DeviceRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(deviceClassName, "deviceClassName");
    if (count < 0) {
      throw new IllegalArgumentException("count must be 0 or more but was " + count);
    }
    Objects.requireNonNull(location, "location");
  }

  /** A request for one device, the API's default {@code count}. */
  public DeviceRequest(String name, String deviceClassName, SourceLocation location) {
    this(name, deviceClassName, 1, location);
  }

  /**
   * Whether the device class is a GPU class: its name has {@code gpu} in it, as the vendors' DRA
   * drivers name them ({@code gpu.nvidia.com}, {@code gpu.amd.com}, {@code gpu.intel.com}), or it is
   * a MIG slice of NVIDIA's driver ({@code mig.nvidia.com}).
   */
  public boolean isGpu() {
    String name = deviceClassName.toLowerCase(Locale.ROOT);
    return name.contains("gpu") || name.startsWith("mig.");
  }

  /** Whether the device class is AMD's ({@code gpu.amd.com}, {@code amd.com/gpu}…). */
  public boolean isAmd() {
    return deviceClassName.toLowerCase(Locale.ROOT).contains("amd");
  }
}

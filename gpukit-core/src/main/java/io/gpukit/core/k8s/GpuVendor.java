package io.gpukit.core.k8s;

/** Whose GPU a piece of evidence speaks of: gpukit's NVIDIA probe only helps NVIDIA containers. */
enum GpuVendor {
  NVIDIA,
  AMD,
  /** A GPU of any vendor (a configured image, a GPU probe command, a device class of another vendor). */
  EITHER
}

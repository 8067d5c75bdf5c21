package io.gpukit.junit;

/**
 * How a container gets the host's NVIDIA GPUs.
 *
 * <p>Whatever the strategy, attaching only makes the GPU <em>reachable</em>: it is proven usable
 * by running the probe inside the container ({@link GpuContainer#probe()}).
 *
 * @since 0.1.0
 */
public enum GpuAttach {

  /**
   * A Docker device request with the capability {@code gpu} (what {@code docker run --gpus}
   * sends), served by the NVIDIA Container Toolkit on the Docker host.
   */
  TOOLKIT,

  /**
   * A Container Device Interface device, {@code nvidia.com/gpu=all} (or the selected ids), for
   * engines that resolve CDI specifications (Docker 25 and later with CDI enabled, Podman).
   */
  CDI,

  /**
   * The host's {@code /dev/nvidia*} nodes as devices, the driver's user-space library folder
   * bind-mounted read-only at {@value GpuContainer#DRIVER_LIBRARIES_IN_CONTAINER} and put first on
   * {@code LD_LIBRARY_PATH}: for hosts without the toolkit. The Docker engine must run on this
   * host, since the nodes and the folder are looked up here.
   */
  DEVICE_NODES,

  /**
   * Picks one of the others from what this host offers, and says why; see
   * {@link GpuContainer#gpuSelectionReason()}.
   */
  AUTO
}

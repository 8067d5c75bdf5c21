package io.gpukit.junit;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link GpuContainerTest} found on this host and chose from it; injectable as a test
 * parameter.
 *
 * @param dockerAvailable whether a Docker engine answered
 * @param attach the strategy in use, empty when no GPU can be attached
 * @param reason why this strategy, or what is missing
 * @param deviceNodes the host's {@code /dev/nvidia*} device nodes
 * @param driverFolder the host folder holding {@code libcuda.so.1}, if found
 * @param runtimes the runtimes the Docker engine lists (a hint, never proof)
 * @since 0.1.0
 */
public record GpuEnvironment(boolean dockerAvailable, Optional<GpuAttach> attach, String reason,
    List<String> deviceNodes, Optional<String> driverFolder, Set<String> runtimes) {

  /**
   * Copies the lists.
   *
   * @since 0.1.0
   */
  public GpuEnvironment {
    deviceNodes = List.copyOf(deviceNodes);
    runtimes = Set.copyOf(runtimes);
  }

  /**
   * Says whether a container with a GPU can be started here: an engine answers and a strategy was
   * found. Only the probe inside the container proves the GPU.
   *
   * @return {@code true} when a GPU container can be tried
   * @since 0.1.0
   */
  public boolean gpuAttachable() {
    return dockerAvailable && attach.isPresent();
  }
}

package io.gpukit.junit.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;

/**
 * Counts a one-shot container as started once it has exited, whatever its exit code, so tests
 * can assert on the code itself ({@code OneShotStartupCheckStrategy} fails on a non-zero one).
 */
final class ExitedStartupCheckStrategy extends StartupCheckStrategy {

  @Override
  public StartupStatus checkStartupState(DockerClient dockerClient, String containerId) {
    InspectContainerResponse.ContainerState state = getCurrentState(dockerClient, containerId);
    if (Boolean.TRUE.equals(state.getRunning()) || state.getFinishedAt() == null
        || state.getFinishedAt().startsWith("0001-")) {
      return StartupStatus.NOT_YET_KNOWN;
    }
    return StartupStatus.SUCCESSFUL;
  }
}

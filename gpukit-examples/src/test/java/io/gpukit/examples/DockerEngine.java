package io.gpukit.examples;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * The Docker engine the image tests need: they skip, saying how to run them, where none answers,
 * and fail instead where {@code GPUKIT_DOCKER_REQUIRED=true} (or {@code -Dgpukit.docker.required=true})
 * says CI must run them.
 */
final class DockerEngine {

  private static final String HOW = "Start Docker (or point DOCKER_HOST at an engine); an engine without a"
      + " bridge network also needs TESTCONTAINERS_HOST_OVERRIDE=localhost and TESTCONTAINERS_RYUK_DISABLED=true.";

  private DockerEngine() {}

  /** Skips or fails the calling test class when no engine answers. */
  static void require() {
    boolean available;
    try {
      available = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      available = false;
    }
    if (available) {
      return;
    }
    if (required()) {
      fail("No Docker engine answers, and GPUKIT_DOCKER_REQUIRED=true says these tests must run. " + HOW);
    }
    Assumptions.abort("No Docker engine answers: the image tests are skipped. " + HOW);
  }

  private static boolean required() {
    String value = System.getProperty("gpukit.docker.required", System.getenv("GPUKIT_DOCKER_REQUIRED"));
    return value != null && value.strip().equalsIgnoreCase("true");
  }
}

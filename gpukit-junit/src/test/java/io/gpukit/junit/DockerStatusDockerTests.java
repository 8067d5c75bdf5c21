package io.gpukit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.junit.image.RequiresDockerEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * What a class is told on the engine CI runs, which has no bridge network: set up without {@code
 * TESTCONTAINERS_HOST_OVERRIDE}, Testcontainers fails, and the cause and the fix are named instead
 * of "no Docker engine answers".
 */
@RequiresDockerEngine
class DockerStatusDockerTests {

  @Test
  void an_engine_without_a_bridge_network_is_told_apart_from_no_engine() throws IOException, InterruptedException {
    // given: an engine started with --bridge=none, as CI's is
    boolean bridge = DockerClientFactory.instance().client().listNetworksCmd().withNameFilter("bridge").exec()
        .stream().anyMatch(n -> "bridge".equals(n.getName()));
    Assumptions.assumeFalse(bridge, "this Docker engine has a 'bridge' network, so Testcontainers finds the host"
        + " without TESTCONTAINERS_HOST_OVERRIDE; the case needs an engine started with --bridge=none (as .ci/run"
        + " starts it)");

    // when: a JVM of its own (Testcontainers keeps its client per JVM) sets up the client without the override
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), DockerStatusChild.class.getName()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.remove("TESTCONTAINERS_HOST_OVERRIDE");
    env.put("TESTCONTAINERS_RYUK_DISABLED", "true");
    Process child = builder.start();
    boolean ended = child.waitFor(120, TimeUnit.SECONDS);
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!ended) {
      child.destroyForcibly();
    }

    // then
    assertThat(ended).as("the child JVM ended; it printed:%n%s", output).isTrue();
    assertThat(output).as(output).contains("ANSWERS false")
        .contains("DESCRIBE the Docker engine answers, but it has no 'bridge' network")
        .contains("TESTCONTAINERS_HOST_OVERRIDE=localhost");
  }
}

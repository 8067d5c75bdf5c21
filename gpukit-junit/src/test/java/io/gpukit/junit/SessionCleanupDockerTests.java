package io.gpukit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.gpukit.junit.image.LocalBaseImage;
import io.gpukit.junit.image.RequiresDockerEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * What {@link GpuContainer} and the extension leave on the engine: labelled, and removed by the exit
 * hook when a JVM is ended without closing them.
 */
@RequiresDockerEngine
class SessionCleanupDockerTests {

  private static final Path CPU_SERVICE = Path.of("src/test/resources/cpu-service");

  private static String baseImage;

  @BeforeAll
  static void import_the_base_image() {
    baseImage = LocalBaseImage.jre().tag("gpukit-jre-base:test-" + Runtime.version().feature()).build();
  }

  private static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  private static boolean containerExists(String id) {
    try {
      docker().inspectContainerCmd(id).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  private static boolean imageExists(String name) {
    try {
      docker().inspectImageCmd(name).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Nested
  class A_jvm_ended_with_sigterm {

    @Test
    void leaves_neither_its_container_nor_its_built_image(@TempDir Path temp) throws Exception {
      // given a child JVM on the test class path that built an image and started a container
      Path stderr = temp.resolve("child.err");
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), CleanupChild.class.getName(), baseImage)
          .redirectError(stderr.toFile()).start();
      Map<String, String> said = new HashMap<>();
      try {
        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> readUntilReady(child, said));
        ready.get(180, TimeUnit.SECONDS);
        String containerId = said.get("CONTAINER");
        String image = said.get("IMAGE");
        Map<String, String> label = Map.of(GpuContainer.SESSION_LABEL, said.get("SESSION"));
        assertThat(docker().inspectContainerCmd(containerId).exec().getState().getRunning()).isTrue();
        assertThat(docker().inspectContainerCmd(containerId).exec().getConfig().getLabels()).containsAllEntriesOf(label);
        assertThat(docker().inspectImageCmd(image).exec().getConfig().getLabels()).containsAllEntriesOf(label);

        // when
        child.destroy();
        boolean ended = child.waitFor(120, TimeUnit.SECONDS);

        // then
        String childErr = Files.readString(stderr);
        assertThat(ended).as("the child JVM ended within 120 s of SIGTERM").isTrue();
        assertThat(child.exitValue()).isEqualTo(143);
        assertThat(containerExists(containerId)).as("container " + containerId + " is gone; " + childErr).isFalse();
        assertThat(imageExists(image)).as("image " + image + " is gone; " + childErr).isFalse();
        assertThat(docker().listContainersCmd().withShowAll(true).withLabelFilter(label).exec()).as(childErr).isEmpty();
        assertThat(docker().listImagesCmd().withShowAll(true).withLabelFilter(label).exec()).as(childErr).isEmpty();
        assertThat(childErr).contains("gpukit-junit: the JVM exits with containers or images of session "
            + said.get("SESSION") + " not closed: ", containerId.substring(0, 12), "removed images [" + image + "]");
      } finally {
        child.destroyForcibly();
      }
    }

    private void readUntilReady(Process child, Map<String, String> said) {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null && !line.equals("READY"); line = out.readLine()) {
          int space = line.indexOf(' ');
          if (space > 0) {
            synchronized (said) {
              said.put(line.substring(0, space), line.substring(space + 1));
            }
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("the child JVM's output could not be read", e);
      }
      if (!said.containsKey("CONTAINER")) {
        throw new IllegalStateException("the child JVM ended before it was ready, having said " + said);
      }
    }
  }

  @Nested
  class A_sweep {

    @Test
    void removes_what_carries_the_session_label_and_what_was_registered() {
      // given a container and an image of another session, and a name registered but never built
      String session = "test-" + UUID.randomUUID();
      String image = new ImageFromDockerfile("gpukit-junit/sweep-test:" + session, false)
          .withFileFromPath(".", CPU_SERVICE)
          .withBuildArgs(Map.of("BASE", baseImage))
          .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("none").withPull(false)
              .withLabels(Map.of(GpuContainer.SESSION_LABEL, session)))
          .get();
      OtherSession container = new OtherSession(image, session);
      container.start();
      Set<String> containers = new HashSet<>();
      Set<String> images = new HashSet<>(Set.of("gpukit-junit/never-built:" + session));
      try {
        // when
        SessionCleanup.Sweep sweep = SessionCleanup.sweep(docker(), session, containers, images, Duration.ZERO);

        // then
        assertThat(sweep.removedContainers()).containsExactly(container.getContainerId().substring(0, 12));
        assertThat(sweep.removedImages()).containsExactly(image);
        assertThat(sweep.alreadyGone()).containsExactly("gpukit-junit/never-built:" + session);
        assertThat(sweep.failed()).isEmpty();
        assertThat(containerExists(container.getContainerId())).isFalse();
        assertThat(imageExists(image)).isFalse();
        assertThat(images).isEmpty();
      } finally {
        container.stop();
        BuiltImages.removeImage(image);
      }
    }
  }

  /** A GpuContainer labelled with another session than this JVM's. */
  private static final class OtherSession extends GpuContainer {

    OtherSession(String image, String session) {
      super(image);
      withLabel(SESSION_LABEL, session);
      withNetworkMode("none");
    }
  }

  @Test
  void every_container_carries_this_jvms_session_label() {
    // when
    try (GpuContainer container = new GpuContainer(baseImage)) {

      // then
      assertThat(container.getLabels()).containsEntry(GpuContainer.SESSION_LABEL, SessionCleanup.ID);
      assertThat(UUID.fromString(SessionCleanup.ID)).hasToString(SessionCleanup.ID);
    }
  }
}

package io.gpukit.junit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import org.testcontainers.DockerClientFactory;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What this JVM's {@link GpuContainer}s and {@link GpuContainerTest} builds left on the Docker
 * engine, and the one shutdown hook that removes it when the JVM exits without closing them (a
 * {@code SIGTERM} or {@code SIGINT} mid-run, a build tool that gives up on a test JVM).
 *
 * <p>Every container and built image carries the label {@value GpuContainer#SESSION_LABEL} with
 * this JVM's {@link #ID}. The hook is registered with the first container or image and does
 * nothing when everything was closed; otherwise it force-removes whatever carries this JVM's label,
 * plus anything still registered, and says so on standard error. It does not depend on Ryuk
 * (often disabled in CI) and, unlike Testcontainers' own exit hook, it also removes the images built
 * here. A {@code SIGKILL} runs no hook: then the label finds what is left.
 */
final class SessionCleanup {

  /** This JVM's session, the value of {@value GpuContainer#SESSION_LABEL}. */
  static final String ID = UUID.randomUUID().toString();

  private static final Set<String> CONTAINERS = ConcurrentHashMap.newKeySet();
  private static final Set<String> IMAGES = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();
  private static final int REMOVAL_WAIT_SECONDS = 20;
  /** How long the exit hook leaves containers to Testcontainers' own hook before removing them itself. */
  static final Duration TESTCONTAINERS_FIRST = Duration.ofSeconds(2);

  private SessionCleanup() {
  }

  /** What a sweep removed, and what was already gone. */
  record Sweep(List<String> removedContainers, List<String> removedImages, List<String> alreadyGone,
      List<String> failed) {

    @Override
    public String toString() {
      return "removed containers " + removedContainers + ", removed images " + removedImages
          + (alreadyGone.isEmpty() ? "" : ", already gone " + alreadyGone)
          + (failed.isEmpty() ? "" : ", could not remove " + failed);
    }
  }

  static void containerCreated(String containerId) {
    hook();
    CONTAINERS.add(containerId);
  }

  static void containerRemoved(String containerId) {
    CONTAINERS.remove(containerId);
  }

  static void imageBuilt(String image) {
    hook();
    IMAGES.add(image);
  }

  static void imageRemoved(String image) {
    IMAGES.remove(image);
  }

  /** The labels every container and built image of this JVM carries. */
  static Map<String, String> labels() {
    return Map.of(GpuContainer.SESSION_LABEL, ID);
  }

  private static void hook() {
    if (HOOKED.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> atExit(System.err), "gpukit-junit-cleanup"));
    }
  }

  static void atExit(PrintStream out) {
    if (CONTAINERS.isEmpty() && IMAGES.isEmpty()) {
      return;
    }
    try {
      Sweep sweep = sweep(DockerClientFactory.instance().client(), ID, CONTAINERS, IMAGES, TESTCONTAINERS_FIRST);
      out.println("gpukit-junit: the JVM exits with containers or images of session " + ID + " not closed: " + sweep);
    } catch (RuntimeException e) {
      out.println("gpukit-junit: the JVM exits with containers " + CONTAINERS + " and images " + IMAGES
          + " not closed, and they cannot be removed (" + e.getMessage() + "); remove them with docker rm -f"
          + " $(docker ps -aq --filter label=" + GpuContainer.SESSION_LABEL + "=" + ID + ") and docker rmi -f"
          + " $(docker images -q --filter label=" + GpuContainer.SESSION_LABEL + "=" + ID + ")");
    }
  }

  /**
   * Force-removes the containers (with their anonymous volumes), then the images, that carry the
   * session's label or are named here. Containers are first given {@code grace} to go by
   * themselves: without Ryuk, Testcontainers' own exit hook removes its session's containers at the
   * same moment, and two removals of one container make one of them fail loudly.
   */
  static Sweep sweep(DockerClient docker, String session, Set<String> containers, Set<String> images,
      Duration grace) {
    Set<String> containerIds = sessionContainers(docker, session, containers);
    Set<String> imageNames = sessionImages(docker, session, images);
    List<String> removedContainers = new ArrayList<>();
    List<String> removedImages = new ArrayList<>();
    List<String> gone = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    long graceEnds = System.nanoTime() + grace.toNanos();
    for (String id : containerIds) {
      if (!grace.isZero() && awaitGone(docker, id, graceEnds)) {
        gone.add(shortId(id));
        containers.remove(id);
        continue;
      }
      try {
        docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        removedContainers.add(shortId(id));
      } catch (NotFoundException e) {
        gone.add(shortId(id));
      } catch (RuntimeException e) {
        // Testcontainers' own exit hook may be removing it at the same moment: wait for that to end,
        // since an image still used by a container is only untagged, not removed.
        (awaitGone(docker, id, System.nanoTime() + TimeUnit.SECONDS.toNanos(REMOVAL_WAIT_SECONDS)) ? gone : failed)
            .add(shortId(id));
      }
      containers.remove(id);
    }
    for (String image : imageNames) {
      String imageId = null;
      try {
        imageId = docker.inspectImageCmd(image).exec().getId();
        docker.removeImageCmd(image).withForce(true).exec();
        removedImages.add(image);
      } catch (NotFoundException e) {
        gone.add(image);
      } catch (RuntimeException e) {
        failed.add(image + " (" + e.getMessage() + ")");
      }
      if (imageId != null && !image.equals(imageId)) {
        // A second tag, or a container the engine had not finished removing, left it untagged.
        try {
          docker.removeImageCmd(imageId).withForce(true).exec();
        } catch (RuntimeException e) {
          // Gone with its name, as it should be.
        }
      }
      images.remove(image);
    }
    return new Sweep(List.copyOf(removedContainers), List.copyOf(removedImages), List.copyOf(gone), List.copyOf(failed));
  }

  /** The containers named here, and those the engine lists with the session's label. */
  private static Set<String> sessionContainers(DockerClient docker, String session, Set<String> containers) {
    Set<String> containerIds = new LinkedHashSet<>(containers);
    for (Container listed : docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(GpuContainer.SESSION_LABEL, session)).exec()) {
      containerIds.add(listed.getId());
    }
    return containerIds;
  }

  /** The images named here, and those the engine lists with the session's label (by tag, else by id). */
  private static Set<String> sessionImages(DockerClient docker, String session, Set<String> images) {
    Set<String> imageNames = new LinkedHashSet<>(images);
    for (Image listed : docker.listImagesCmd().withLabelFilter(Map.of(GpuContainer.SESSION_LABEL, session)).exec()) {
      String[] tags = listed.getRepoTags();
      boolean named = tags != null && List.of(tags).stream().anyMatch(imageNames::contains);
      if (!named) {
        imageNames.add(tags != null && tags.length > 0 && !tags[0].equals("<none>:<none>") ? tags[0] : listed.getId());
      }
    }
    return imageNames;
  }

  /** Whether the container is gone by the deadline ({@link System#nanoTime()}). */
  private static boolean awaitGone(DockerClient docker, String id, long deadline) {
    while (true) {
      try {
        docker.inspectContainerCmd(id).exec();
      } catch (NotFoundException e) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}

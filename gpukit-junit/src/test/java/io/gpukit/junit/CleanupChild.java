package io.gpukit.junit;

import java.nio.file.Path;
import java.util.Map;

/**
 * The child JVM of {@link SessionCleanupDockerTests}: builds an image the way the extension does,
 * starts a {@link GpuContainer} of it, says what it made, then waits to be ended without closing
 * anything.
 */
final class CleanupChild {

  private CleanupChild() {
  }

  public static void main(String[] args) throws InterruptedException {
    String image = BuiltImages.buildImage(Path.of("src/test/resources/cpu-service"), "Dockerfile",
        Map.of("BASE", args[0]), BuiltImages.imageName(CleanupChild.class));
    GpuContainer container = new GpuContainer(image).withNetworkMode("none");
    container.start();
    System.out.println("SESSION " + SessionCleanup.ID);
    System.out.println("CONTAINER " + container.getContainerId());
    System.out.println("IMAGE " + image);
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}

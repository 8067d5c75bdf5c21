package io.gpukit.junit;

/**
 * Copies of {@link GpuContainerTestGpuTests} for {@code gpu/bench-classes.sh}, which runs one, two
 * or four of them in one JVM: each copy is its own class (its own container, probe, negative
 * control and HEALTHCHECK proof), and all share the image that the first one builds. They inherit
 * {@link GpuContainerTest} and the tests, not the host condition, so they run only when selected
 * (the build's test run leaves nested classes out).
 */
final class GpuContainerTestGpuCopies {

  private GpuContainerTestGpuCopies() {
  }

  static class Copy1 extends GpuContainerTestGpuTests {
  }

  static class Copy2 extends GpuContainerTestGpuTests {
  }

  static class Copy3 extends GpuContainerTestGpuTests {
  }

  static class Copy4 extends GpuContainerTestGpuTests {
  }
}

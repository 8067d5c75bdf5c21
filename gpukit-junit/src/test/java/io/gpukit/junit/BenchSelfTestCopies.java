package io.gpukit.junit;

/**
 * Stand-ins for {@link GpuContainerTestGpuCopies} in {@code gpu/bench-classes.sh}'s self-test
 * ({@code SELF_TEST=1}) on a host without a GPU: the java-less shell-service class, proven by its
 * HEALTHCHECK with {@code -Dgpukit.gpu.attach=none}. Only run when selected.
 */
final class BenchSelfTestCopies {

  private BenchSelfTestCopies() {
  }

  static class Copy1 extends GpuContainerExtensionDockerTests.ShellHealthcheckTestCases {
  }

  static class Copy2 extends GpuContainerExtensionDockerTests.ShellHealthcheckTestCases {
  }

  static class Copy3 extends GpuContainerExtensionDockerTests.ShellHealthcheckTestCases {
  }

  static class Copy4 extends GpuContainerExtensionDockerTests.ShellHealthcheckTestCases {
  }
}

package io.gpukit.junit;

/**
 * What {@link GpuContainerTest} does where no GPU can be attached or no Docker engine answers.
 *
 * <p>{@code -Dgpukit.gpu.required=true} (or the JUnit configuration parameter of that name), which
 * a GPU runner sets so that its pipeline cannot pass without running the GPU tests, turns
 * {@link #SKIP} into {@link #FAIL}.
 *
 * @since 0.1.0
 */
public enum WhenNoGpu {

  /** The test class fails, saying what is missing and how to fix it. */
  FAIL,

  /** The test class is skipped with that reason. */
  SKIP
}

package io.gpukit.junit.assertions;

import io.gpukit.core.assertions.GpuKitAssertions;
import io.gpukit.junit.ContainerProbeResult;
import org.assertj.core.annotation.CheckReturnValue;

/**
 * The one entry point for a test that uses gpukit-junit: gpukit-core's {@code assertThat}
 * overloads (Dockerfile, workflow, manifests, rollout, report, GPU project), inherited from {@link
 * GpuKitAssertions}, and the probe result's, behind one static import.
 *
 * <pre>{@code
 * import static io.gpukit.junit.assertions.GpuKitJUnitAssertions.assertThat;
 *
 * assertThat(Dockerfile.parse(Path.of("Dockerfile"))).finalStage().hasGpuAwareHealthcheck();
 * assertThat(container.probe()).isHealthy();
 * }</pre>
 *
 * <p>It sits beside AssertJ's {@code Assertions.assertThat}: both static imports compile together,
 * and Java picks the overload by the argument's type. For soft assertions use {@link
 * GpuKitJUnitSoftAssertions}.
 *
 * @since 0.1.0
 */
public class GpuKitJUnitAssertions extends GpuKitAssertions {

  /**
   * Creates assertions on what the probe returned in a GPU container.
   *
   * @param actual the result
   * @return the assertion
   * @since 0.1.0
   */
  @CheckReturnValue
  public static ContainerProbeResultAssert assertThat(ContainerProbeResult actual) {
    return new ContainerProbeResultAssert(actual);
  }

  /** For subclassing entry points that add their own {@code assertThat} overloads. */
  protected GpuKitJUnitAssertions() {}
}

package io.gpukit.junit.assertions;

import io.gpukit.core.assertions.GpuKitSoftAssertions;
import io.gpukit.junit.ContainerProbeResult;
import org.assertj.core.annotation.CheckReturnValue;

/**
 * {@link GpuKitSoftAssertions} with the probe result's assertions: every gpukit assertion, soft,
 * in one object. Failures of {@code check(…)}'s assertions are collected too.
 *
 * <pre>{@code
 * @ExtendWith(SoftAssertionsExtension.class)
 * class GpuImageTests {
 *   @InjectSoftAssertions GpuKitJUnitSoftAssertions softly;
 *
 *   @Test
 *   void the_gpu_answers() {
 *     softly.assertThat(container.probe()).isHealthy().check("tensor.roundtrip").passed();
 *   }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public class GpuKitJUnitSoftAssertions extends GpuKitSoftAssertions {

  /**
   * Creates soft assertions with no failure collected yet.
   *
   * @since 0.1.0
   */
  public GpuKitJUnitSoftAssertions() {}

  /**
   * Creates soft assertions on what the probe returned in a GPU container.
   *
   * @param actual the result
   * @return the assertion
   * @since 0.1.0
   */
  @CheckReturnValue
  public ContainerProbeResultAssert assertThat(ContainerProbeResult actual) {
    ContainerProbeResultAssert soft = proxy(ContainerProbeResultAssert.class, ContainerProbeResult.class, actual);
    soft.collectingInto(this);
    return soft;
  }
}

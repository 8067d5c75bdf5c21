package io.gpukit.junit.assertions;

import static io.gpukit.junit.assertions.GpuKitJUnitAssertions.assertThat;
import static io.gpukit.junit.assertions.error.ShouldBeHealthyProbe.shouldBeHealthy;
import static io.gpukit.junit.assertions.error.ShouldBeHealthyProbe.shouldHaveExitedWith;
import static io.gpukit.junit.assertions.error.ShouldHavePassedCheck.shouldHavePassed;
import static io.gpukit.junit.assertions.error.ShouldHavePassedCheck.shouldHaveRunCheck;
import static io.gpukit.junit.assertions.error.ShouldHavePassedCheck.shouldTakeLessThan;
import static io.gpukit.junit.assertions.error.ShouldHaveProbeOutput.shouldHaveJsonLine;
import static io.gpukit.junit.assertions.error.ShouldHaveProbeOutput.shouldHaveTakenRoute;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.junit.ContainerProbeResult;
import io.gpukit.junit.ProbeRoute;
import io.gpukit.probe.ProbeExitCode;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ContainerProbeResultAssertTests {

  private static final String HEALTHY_LINE = "{\"status\":\"HEALTHY\",\"code\":0,\"mode\":\"readiness\",\"checks\":["
      + "{\"name\":\"tensor.roundtrip\",\"ok\":true,\"micros\":4200,\"detail\":\"bit-exact\"}]}";
  private static final String NO_DEVICE_LINE = "{\"status\":\"NO_CUDA_DEVICE\",\"code\":11,\"checks\":["
      + "{\"name\":\"cuda.devices\",\"ok\":false,\"micros\":300,\"detail\":\"CUDA sees 0 devices\"}]}";

  private final ContainerProbeResult healthy = ContainerProbeResult.parse(0, HEALTHY_LINE, "");
  private final ContainerProbeResult noDevice = ContainerProbeResult.parse(11, NO_DEVICE_LINE, "");
  private final ContainerProbeResult silent = ContainerProbeResult.parse(1, "", "Error: no main manifest attribute");

  @Nested
  class Is_healthy {

    @Test
    void passes_on_exit_zero() {
      assertThat(healthy).isHealthy().hasJsonLine();
    }

    @Test
    void fails_with_the_code_the_failed_check_and_the_json() {
      assertThatThrownBy(() -> assertThat(noDevice).isHealthy())
          .isInstanceOf(AssertionError.class)
          .hasMessage(shouldBeHealthy(noDevice).create())
          .hasMessageContaining("to be healthy (exit 0)")
          .hasMessageContaining("but it exited 11 (NO_CUDA_DEVICE); the first failed check is cuda.devices: CUDA sees"
              + " 0 devices")
          .hasMessageContaining(NO_DEVICE_LINE);
    }
  }

  @Nested
  class Failed_with {

    @Test
    void passes_on_that_code() {
      assertThat(noDevice).failedWith(ProbeExitCode.NO_CUDA_DEVICE);
    }

    @Test
    void fails_on_another_code_with_the_json() {
      assertThatThrownBy(() -> assertThat(healthy).failedWith(ProbeExitCode.NO_CUDA_DEVICE))
          .isInstanceOf(AssertionError.class)
          .hasMessage(shouldHaveExitedWith(healthy, ProbeExitCode.NO_CUDA_DEVICE).create())
          .hasMessageContaining("11 (NO_CUDA_DEVICE: CUDA sees no usable device)")
          .hasMessageContaining("but it exited 0 (HEALTHY)")
          .hasMessageContaining(HEALTHY_LINE);
    }
  }

  @Nested
  class Has_json_line {

    @Test
    void fails_when_the_probe_printed_none() {
      assertThatThrownBy(() -> assertThat(silent).hasJsonLine())
          .hasMessage(shouldHaveJsonLine(silent).create())
          .hasMessageContaining("no main manifest attribute");
    }
  }

  @Nested
  class A_check {

    @Test
    void passes_under_the_limit() {
      assertThat(healthy).check("tensor.roundtrip").passed().tookLessThan(Duration.ofMillis(5));
    }

    @Test
    void fails_at_or_over_the_limit_with_the_timing() {
      // given
      ContainerProbeResult.Check roundtrip = healthy.check("tensor.roundtrip").orElseThrow();

      // then
      assertThatThrownBy(() -> assertThat(healthy).check("tensor.roundtrip").tookLessThan(Duration.ofMillis(4)))
          .isInstanceOf(AssertionError.class)
          .hasMessage(shouldTakeLessThan(roundtrip, healthy, Duration.ofMillis(4)).create())
          .hasMessageContaining("but it took PT0.0042S (4200 µs)")
          .hasMessageContaining(HEALTHY_LINE);
    }

    @Test
    void that_did_not_run_fails_naming_those_that_did() {
      assertThatThrownBy(() -> assertThat(noDevice).check("tensor.roundtrip"))
          .isInstanceOf(AssertionError.class)
          .hasMessage(shouldHaveRunCheck(noDevice, "tensor.roundtrip").create())
          .hasMessageContaining("[\"cuda.devices\"]");
    }

    @Test
    void that_failed_is_reported_by_passed() {
      // given
      ContainerProbeResult.Check devices = noDevice.check("cuda.devices").orElseThrow();

      // then
      assertThatThrownBy(() -> assertThat(noDevice).check("cuda.devices").passed())
          .isInstanceOf(AssertionError.class)
          .hasMessage(shouldHavePassed(devices, noDevice).create())
          .hasMessageContaining("but it failed: CUDA sees 0 devices");
    }
  }

  @Nested
  class Took_route {

    @Test
    void fails_on_a_parsed_result_that_knows_no_route() {
      assertThatThrownBy(() -> assertThat(healthy).tookRoute(ProbeRoute.Kind.COPIED_PROBE))
          .isInstanceOf(AssertionError.class)
          .hasMessage(shouldHaveTakenRoute(healthy, ProbeRoute.Kind.COPIED_PROBE).create())
          .hasMessageContaining("but it came from%n  \"no known route (a parsed result)\"".formatted())
          .hasMessageContaining(HEALTHY_LINE);
    }
  }

  @Nested
  class Bad_arguments {

    @Test
    void null_expected_values_say_which_argument() {
      assertThatNullPointerException().isThrownBy(() -> assertThat(healthy).failedWith(null))
          .withMessage("The given exit code should not be null");
      assertThatNullPointerException().isThrownBy(() -> assertThat(healthy).tookRoute(null))
          .withMessage("The given route kind should not be null");
      assertThatNullPointerException().isThrownBy(() -> assertThat(healthy).check(null))
          .withMessage("The given check name should not be null");
      assertThatNullPointerException().isThrownBy(() -> assertThat(healthy).check("tensor.roundtrip").tookLessThan(null))
          .withMessage("The given limit should not be null");
    }
  }
}

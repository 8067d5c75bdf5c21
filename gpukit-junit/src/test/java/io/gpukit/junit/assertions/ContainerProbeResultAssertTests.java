package io.gpukit.junit.assertions;

import io.gpukit.junit.ContainerProbeResult;
import io.gpukit.junit.ProbeRoute;
import io.gpukit.probe.ProbeExitCode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.gpukit.junit.assertions.ContainerProbeResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContainerProbeResultAssertTests {

  private static final String HEALTHY_LINE = "{\"status\":\"HEALTHY\",\"code\":0,\"mode\":\"readiness\",\"checks\":["
      + "{\"name\":\"tensor.roundtrip\",\"ok\":true,\"micros\":4200,\"detail\":\"bit-exact\"}]}";
  private static final String NO_DEVICE_LINE = "{\"status\":\"NO_CUDA_DEVICE\",\"code\":11,\"checks\":["
      + "{\"name\":\"cuda.devices\",\"ok\":false,\"micros\":300,\"detail\":\"CUDA sees 0 devices\"}]}";

  private final ContainerProbeResult healthy = ContainerProbeResult.parse(0, HEALTHY_LINE, "");
  private final ContainerProbeResult noDevice = ContainerProbeResult.parse(11, NO_DEVICE_LINE, "");

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
          .hasMessageContaining("Expected the probe to be healthy (exit 0) but it exited 11 (NO_CUDA_DEVICE);"
              + " the first failed check is cuda.devices: CUDA sees 0 devices.")
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
          .hasMessageContaining("Expected the probe to exit 11 (NO_CUDA_DEVICE: CUDA sees no usable device) but it"
              + " exited 0 (HEALTHY).")
          .hasMessageContaining(HEALTHY_LINE);
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
      assertThatThrownBy(() -> assertThat(healthy).check("tensor.roundtrip").tookLessThan(Duration.ofMillis(4)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected the check 'tensor.roundtrip' to take less than PT0.004S but it took"
              + " PT0.0042S (4200 µs).")
          .hasMessageContaining(HEALTHY_LINE);
    }

    @Test
    void that_did_not_run_fails_naming_those_that_did() {
      assertThatThrownBy(() -> assertThat(noDevice).check("tensor.roundtrip"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected the probe to have run the check 'tensor.roundtrip' but it ran [cuda.devices].");
    }

    @Test
    void that_failed_is_reported_by_passed() {
      assertThatThrownBy(() -> assertThat(noDevice).check("cuda.devices").passed())
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected the check 'cuda.devices' to pass but it failed: CUDA sees 0 devices");
    }
  }

  @Nested
  class Took_route {

    @Test
    void fails_on_a_parsed_result_that_knows_no_route() {
      assertThatThrownBy(() -> assertThat(healthy).tookRoute(ProbeRoute.Kind.COPIED_PROBE))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected the result to come from COPIED_PROBE but it came from no known route"
              + " (a parsed result).")
          .hasMessageContaining(HEALTHY_LINE);
    }
  }
}

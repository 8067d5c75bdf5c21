package io.gpukit.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ProbeExitCodeTests {

  @Nested
  class The_contract {

    @Test
    void has_the_documented_codes() {
      // when
      int[] codes = Arrays.stream(ProbeExitCode.values()).mapToInt(ProbeExitCode::code).toArray();

      // then
      assertThat(codes).containsExactly(0, 10, 11, 12, 13, 14, 15, 64, 70);
    }

    @Test
    void leaves_the_codes_of_shells_runtimes_and_signals_free() {
      // when / then
      for (int reserved : new int[] {1, 125, 126, 127, 128, 137, 143, 255}) {
        assertThat(ProbeExitCode.fromCode(reserved)).isEmpty();
      }
    }

    @Test
    void finds_a_constant_by_its_code() {
      // when / then
      assertThat(ProbeExitCode.fromCode(15)).contains(ProbeExitCode.WATCHDOG_TIMEOUT);
    }
  }
}

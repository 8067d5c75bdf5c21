package io.gpukit.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeArgsTests {

  @Nested
  class Valid_command_lines {

    @Test
    void default_to_readiness_on_all_devices_within_900_ms() throws Exception {
      // when
      ProbeOptions options = ProbeArgs.parse(new String[0]);

      // then
      assertThat(options.mode()).isEqualTo(ProbeMode.READINESS);
      assertThat(options.device()).isNull();
      assertThat(options.timeout()).isEqualTo(Duration.ofMillis(900));
      assertThat(options.minFreeMib()).isZero();
      assertThat(options.maxTempC()).isNull();
      assertThat(options.json()).isFalse();
    }

    @Test
    void accept_every_option_in_both_spellings() throws Exception {
      // when
      ProbeOptions options = ProbeArgs.parse(new String[] {"--mode=deep", "--device", "1",
          "--min-free-mib=2048", "--max-temp-c", "85", "--timeout-ms=5000", "--sgemm-size", "64",
          "--json"});

      // then
      assertThat(options).isEqualTo(new ProbeOptions(ProbeMode.DEEP, 1, 2048, 85,
          Duration.ofSeconds(5), 64, true, null, ProbeOptions.DEFAULT_MAX_AGE));
    }

    @Test
    void give_deep_mode_a_longer_default_deadline() throws Exception {
      // when
      ProbeOptions options = ProbeArgs.parse(new String[] {"--mode", "deep"});

      // then
      assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void take_a_heartbeat_file_and_a_maximum_age() throws Exception {
      // when
      ProbeOptions options = ProbeArgs.parse(new String[] {"--heartbeat", "/tmp/hb.json",
          "--max-age", "15s", "--json"});

      // then
      assertThat(options.heartbeatFile()).isEqualTo(Path.of("/tmp/hb.json"));
      assertThat(options.maxAge()).isEqualTo(Duration.ofSeconds(15));
    }

    @ParameterizedTest
    @CsvSource({"500ms,500", "15s,15000", "2m,120000", "7,7000", "' 15S ',15000",
        "'999999999ms',999999999", "007s,7000"})
    void parse_durations(String text, long millis) {
      // when
      Duration duration = ProbeArgs.parseDuration(text);

      // then
      assertThat(duration.toMillis()).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''|needs a duration", "ms|needs a duration",
        "1h|needs a duration", "1 s|needs a duration", "-5s|needs a duration",
        "1000000000ms|needs a duration", "1.5s|needs a duration", "0s|must be more than zero",
        "١s|needs a duration"})
    void reject_durations(String text, String message) {
      // when / then
      assertThatThrownBy(() -> ProbeArgs.parseDuration(text))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }
  }

  @Nested
  class Invalid_command_lines {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--mode warm|--mode must be readiness, liveness or deep, not 'warm'",
        "--mode|--mode needs a value",
        "--device --json|--device needs a value",
        "--device x|--device needs a whole number, not 'x'",
        "--device -1|--device must be between 0 and 1023, not -1",
        "--timeout-ms 0|--timeout-ms must be between 1 and 3600000, not 0",
        "--max-temp-c 1e3|--max-temp-c needs a whole number, not '1e3'",
        "--frobnicate|unknown option --frobnicate",
        "extra|unexpected argument 'extra'",
        "--json --json|--json is given more than once",
        "--json=yes|--json takes no value",
        "--max-age 15s|--max-age only applies with --heartbeat FILE",
        "--heartbeat f --mode deep|--mode cannot be combined with --heartbeat (the service's "
            + "GpuHeartbeat decides what is checked)",
        "--heartbeat f --max-age soon|--max-age needs a duration such as 500ms, 15s or 2m, "
            + "not 'soon'",
        "--sgemm-size 64|--sgemm-size only applies with --mode deep"
    })
    void are_rejected_with_a_precise_message(String line, String message) {
      // given
      String[] args = line.split(" ");

      // when / then
      assertThatThrownBy(() -> ProbeArgs.parse(args))
          .isInstanceOf(ProbeArgs.UsageException.class)
          .hasMessage(message);
    }
  }
}

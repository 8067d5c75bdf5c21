package io.gpukit.examples.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceOptionsTests {

  @Test
  void defaults_serve_port_8080_from_gpu_0_with_a_heartbeat() {
    // when
    ServiceOptions options = ServiceOptions.parse(List.of());

    // then
    assertThat(options).isEqualTo(new ServiceOptions(8080, ServiceOptions.Backend.GPU, 0, 4,
        Optional.of(Path.of("/tmp/gpu-heartbeat.json")), Duration.ofSeconds(5)));
  }

  @Test
  void reads_every_option() {
    // when
    ServiceOptions options = ServiceOptions.parse(List.of("--port", "0", "--backend", "cpu", "--device", "1",
        "--threads", "2", "--heartbeat", "/run/hb.json", "--heartbeat-interval", "750ms"));

    // then
    assertThat(options).isEqualTo(new ServiceOptions(0, ServiceOptions.Backend.CPU, 1, 2,
        Optional.of(Path.of("/run/hb.json")), Duration.ofMillis(750)));
    assertThat(ServiceOptions.parse(List.of("--no-heartbeat")).heartbeat()).isEmpty();
  }

  @Test
  void names_a_bad_argument() {
    assertThatThrownBy(() -> ServiceOptions.parse(List.of("--backend", "tpu")))
        .hasMessage("--backend must be gpu or cpu but was 'tpu'");
    assertThatThrownBy(() -> ServiceOptions.parse(List.of("--port")))
        .hasMessage("--port needs a value");
    assertThatThrownBy(() -> ServiceOptions.parse(List.of("--heartbeat-interval", "5")))
        .hasMessage("--heartbeat-interval must be a duration such as 500ms, 5s or 1m but was '5'");
    assertThatThrownBy(() -> ServiceOptions.parse(List.of("--verbose")))
        .hasMessage("unknown argument '--verbose'");
  }
}

package io.gpukit.junit;

import io.gpukit.junit.assertions.ContainerProbeResultAssert;
import io.gpukit.probe.ProbeExitCode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContainerProbeResultTests {

  static final String HEALTHY_LINE = "{\"status\":\"HEALTHY\",\"code\":0,\"mode\":\"readiness\",\"checks\":["
      + "{\"name\":\"natives.cache\",\"ok\":true,\"micros\":1830,\"detail\":\"cachedir=/tmp/x\"},"
      + "{\"name\":\"tensor.roundtrip\",\"ok\":true,\"micros\":4200,\"detail\":\"4 MiB bit-exact on 1 device\"}],"
      + "\"devices\":[{\"nvmlIndex\":0,\"name\":\"NVIDIA H200\"}],\"versions\":{\"probe\":\"0.1.0-SNAPSHOT\"}}";

  static final String NO_DRIVER_LINE = "{\"status\":\"DRIVER_UNAVAILABLE\",\"code\":10,\"mode\":\"readiness\",\"checks\":["
      + "{\"name\":\"natives.cache\",\"ok\":true,\"micros\":900,\"detail\":\"cachedir=/tmp/x\"},"
      + "{\"name\":\"nvml.load\",\"ok\":false,\"micros\":51000,\"detail\":\"libnvidia-ml.so.1: cannot open\"}]}";

  @Nested
  class A_json_line {

    @Test
    void gives_status_mode_and_timed_checks() {
      // when
      ContainerProbeResult result = ContainerProbeResult.parse(0, HEALTHY_LINE + "\n", "");

      // then
      assertThat(result.isHealthy()).isTrue();
      assertThat(result.exitCode()).contains(ProbeExitCode.HEALTHY);
      assertThat(result.status()).contains("HEALTHY");
      assertThat(result.mode()).contains("readiness");
      assertThat(result.checks()).extracting(ContainerProbeResult.Check::name).containsExactly("natives.cache", "tensor.roundtrip");
      assertThat(result.check("tensor.roundtrip")).hasValueSatisfying(check -> {
        assertThat(check.ok()).isTrue();
        assertThat(check.duration()).isEqualTo(Duration.ofNanos(4_200_000));
        assertThat(check.detail()).isEqualTo("4 MiB bit-exact on 1 device");
      });
      assertThat(result.json()).hasValueSatisfying(json ->
          assertThat(json.path("devices").get(0).path("name").asText()).isEqualTo("NVIDIA H200"));
      assertThat(result.failedCheck()).isEmpty();
    }

    @Test
    void of_a_failed_run_names_the_code_and_the_failed_check() {
      // when
      ContainerProbeResult result = ContainerProbeResult.parse(10, "some JVM warning\n" + NO_DRIVER_LINE + "\n", "");

      // then
      assertThat(result.exitCode()).contains(ProbeExitCode.DRIVER_UNAVAILABLE);
      assertThat(result.jsonLine()).contains(NO_DRIVER_LINE);
      assertThat(result.failedCheck()).map(ContainerProbeResult.Check::name).contains("nvml.load");
      assertThat(result).hasToString("exit 10 (DRIVER_UNAVAILABLE): " + NO_DRIVER_LINE);
    }

    @Test
    void that_is_not_json_is_refused_with_the_line() {
      assertThatIllegalArgumentException().isThrownBy(() -> ContainerProbeResult.parse(0, "{\"status\":", ""))
          .withMessage("the probe printed a line that is not JSON: {\"status\":");
    }
  }

  @Nested
  class Output_without_json {

    @Test
    void keeps_the_raw_output_and_an_exit_status_outside_the_contract() {
      // when
      ContainerProbeResult result = ContainerProbeResult.parse(127, "", "env: 'java': No such file or directory\n");

      // then
      assertThat(result.exitCode()).isEmpty();
      assertThat(result.jsonLine()).isEmpty();
      assertThat(result.checks()).isEmpty();
      assertThat(result.status()).isEmpty();
      assertThat(result).hasToString("exit 127 (outside the probe's contract): no JSON line; stdout: (empty);"
          + " stderr: env: 'java': No such file or directory");
    }
  }

  @Nested
  class A_run_of_the_images_healthcheck {

    private final ProbeRoute route = new ProbeRoute(ProbeRoute.Kind.IMAGE_HEALTHCHECK,
        List.of("/bin/sh", "-c", "test -f /tmp/ready"), "no java in the image");

    @Test
    void is_healthy_on_0_with_the_route() {
      // when
      ContainerProbeResult result = ContainerProbeResult.ofHealthcheck(0, "", "", route);

      // then
      assertThat(result.isHealthy()).isTrue();
      assertThat(result.exitCode()).contains(ProbeExitCode.HEALTHY);
      assertThat(result.route()).contains(route);
      ContainerProbeResultAssert.assertThat(result).tookRoute(ProbeRoute.Kind.IMAGE_HEALTHCHECK).isHealthy();
      assertThatThrownBy(() -> ContainerProbeResultAssert.assertThat(result).tookRoute(ProbeRoute.Kind.COPIED_PROBE))
          .hasMessageContaining("to come from%n  COPIED_PROBE%nbut it came from%n  \"probe: image".formatted()
              + " HEALTHCHECK (no java in the image)\"");
      assertThat(result.jsonLine()).isEmpty();
      assertThat(result).hasToString("exit 0 (HEALTHY): stdout: (empty); stderr: (empty)"
          + " [probe: image HEALTHCHECK (no java in the image)]");
    }

    @Test
    void keeps_its_own_codes_out_of_the_probes_contract() {
      // when
      ContainerProbeResult result = ContainerProbeResult.ofHealthcheck(10, "not ready\n", "", route);

      // then
      assertThat(result.isHealthy()).isFalse();
      assertThat(result.exitCode()).isEmpty();
      assertThat(result).hasToString("exit 10 (the HEALTHCHECK's own code): stdout: not ready; stderr: (empty)"
          + " [probe: image HEALTHCHECK (no java in the image)]");
    }

    @Test
    void of_the_probe_keeps_the_contract_and_names_the_route() {
      // given
      ProbeRoute copied = new ProbeRoute(ProbeRoute.Kind.COPIED_PROBE, List.of("env", "java"), "copied");

      // when
      ContainerProbeResult result = ContainerProbeResult.parse(10, NO_DRIVER_LINE, "").withRoute(copied);

      // then
      assertThat(result.exitCode()).contains(ProbeExitCode.DRIVER_UNAVAILABLE);
      assertThat(result.route()).contains(copied);
      assertThat(result).hasToString("exit 10 (DRIVER_UNAVAILABLE): " + NO_DRIVER_LINE
          + " [probe: image's java + copied gpukit-probe.jar]");
      assertThat(ContainerProbeResult.parse(10, NO_DRIVER_LINE, "").route()).isEmpty();
    }
  }
}

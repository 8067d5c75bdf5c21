package io.gpukit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.HealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The image config's HEALTHCHECK, its bound, and how the extension judges the waits; no Docker. */
class HealthWaitTests {

  private static final List<String> PROBE = List.of("CMD", "java", "-jar", GpuContainer.PROBE_JAR_IN_CONTAINER);

  private static long nanos(Duration duration) {
    return duration.toNanos();
  }

  @Nested
  class Parsing_the_image_config {

    @Test
    void an_absent_healthcheck_is_none() {
      // given
      HealthCheck empty = new HealthCheck();
      HealthCheck emptyTest = new HealthCheck().withTest(List.of());

      // when / then
      assertThat(HealthWait.Healthcheck.parse(null)).isEmpty();
      assertThat(HealthWait.Healthcheck.parse(empty)).isEmpty();
      assertThat(HealthWait.Healthcheck.parse(emptyTest)).isEmpty();
    }

    @Test
    void healthcheck_none_is_none() {
      // given
      HealthCheck disabled = new HealthCheck().withTest(List.of("NONE"));

      // when / then
      assertThat(HealthWait.Healthcheck.parse(disabled)).isEmpty();
    }

    @Test
    void unset_timings_take_dockers_defaults() {
      // given
      HealthCheck config = new HealthCheck().withTest(PROBE);

      // when
      HealthWait.Healthcheck healthcheck = HealthWait.Healthcheck.parse(config).orElseThrow();

      // then
      assertThat(healthcheck.test()).isEqualTo(PROBE);
      assertThat(healthcheck.interval()).isEqualTo(Duration.ofSeconds(30));
      assertThat(healthcheck.timeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(healthcheck.startPeriod()).isZero();
      assertThat(healthcheck.retries()).isEqualTo(3);
      assertThat(healthcheck.bound()).isEqualTo(Duration.ofSeconds(3 * (30 + 30) + 5));
    }

    @Test
    void zero_timings_are_unset_too() {
      // given
      HealthCheck config = new HealthCheck().withTest(PROBE).withInterval(0L).withTimeout(0L).withStartPeriod(0L)
          .withRetries(0);

      // when
      HealthWait.Healthcheck healthcheck = HealthWait.Healthcheck.parse(config).orElseThrow();

      // then
      assertThat(healthcheck.interval()).isEqualTo(HealthWait.DEFAULT_INTERVAL);
      assertThat(healthcheck.timeout()).isEqualTo(HealthWait.DEFAULT_TIMEOUT);
      assertThat(healthcheck.retries()).isEqualTo(HealthWait.DEFAULT_RETRIES);
    }

    @Test
    void set_timings_are_read_from_nanoseconds_and_make_the_bound() {
      // given --interval=2s --timeout=10s --start-period=1s --retries=3
      HealthCheck config = new HealthCheck().withTest(List.of("CMD-SHELL", "exit 0"))
          .withInterval(nanos(Duration.ofSeconds(2))).withTimeout(nanos(Duration.ofSeconds(10)))
          .withStartPeriod(nanos(Duration.ofSeconds(1))).withRetries(3);

      // when
      HealthWait.Healthcheck healthcheck = HealthWait.Healthcheck.parse(config).orElseThrow();

      // then start period + retries × (interval + timeout) + margin
      assertThat(healthcheck.interval()).isEqualTo(Duration.ofSeconds(2));
      assertThat(healthcheck.timeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(healthcheck.startPeriod()).isEqualTo(Duration.ofSeconds(1));
      assertThat(healthcheck.bound()).isEqualTo(Duration.ofSeconds(1 + 3 * (2 + 10) + 5));
      assertThat(healthcheck.describeBound()).isEqualTo(
          "42 s (start period 1 s + 3 retries × (interval 2 s + timeout 10 s) + 5 s)");
    }
  }

  @Nested
  class Judging_the_waits {

    private final HealthWait.Healthcheck healthcheck = HealthWait.Healthcheck.parse(new HealthCheck().withTest(PROBE)
        .withInterval(nanos(Duration.ofSeconds(1))).withTimeout(nanos(Duration.ofSeconds(5))).withRetries(2))
        .orElseThrow();
    private final List<HealthWait.Check> failing = List.of(new HealthWait.Check(11, "{\"status\":\"NO_CUDA_DEVICE\"}"),
        new HealthWait.Check(11, "{\"status\":\"NO_CUDA_DEVICE\"}"));
    private final List<HealthWait.Check> passing = List.of(new HealthWait.Check(0, "{\"status\":\"HEALTHY\"}\n"));

    @Test
    void healthy_with_the_gpu_passes_and_anything_else_fails_with_the_health_log() {
      // given
      HealthWait.Outcome healthy = new HealthWait.Outcome("healthy", Duration.ofSeconds(2), false, passing);
      HealthWait.Outcome unhealthy = new HealthWait.Outcome("unhealthy", Duration.ofSeconds(4), false, failing);
      HealthWait.Outcome starting = new HealthWait.Outcome("starting", Duration.ofSeconds(17), true, List.of());

      // when / then
      assertThat(GpuContainerExtension.judgeHealthWithGpu(healthy, healthcheck)).isEmpty();
      assertThat(GpuContainerExtension.judgeHealthWithGpu(unhealthy, healthcheck)).hasValueSatisfying(message ->
          assertThat(message).contains("did not turn healthy", "unhealthy after 4 s", "17 s (start period 0 s",
              "exit 11: {\"status\":\"NO_CUDA_DEVICE\"}"));
      assertThat(GpuContainerExtension.judgeHealthWithGpu(starting, healthcheck)).hasValueSatisfying(message ->
          assertThat(message).contains("starting after 17 s (the bound ran out)", "(no check ran)"));
    }

    @Test
    void with_cuda_hidden_only_unhealthy_passes_and_healthy_is_not_noticing() {
      // given
      Map<String, String> hidden = GpuContainerExtension.hiddenGpuEnvironment(GpuAttach.DEVICE_NODES);
      HealthWait.Outcome unhealthy = new HealthWait.Outcome("unhealthy", Duration.ofSeconds(4), false, failing);
      HealthWait.Outcome healthy = new HealthWait.Outcome("healthy", Duration.ofSeconds(2), false, passing);

      // when / then
      assertThat(GpuContainerExtension.judgeHealthWithoutGpu(unhealthy, hidden, healthcheck)).isEmpty();
      assertThat(GpuContainerExtension.judgeHealthWithoutGpu(healthy, hidden, healthcheck)).hasValueSatisfying(
          message -> assertThat(message).startsWith(GpuContainerExtension.HEALTHCHECK_FAILURE)
              .contains("CUDA_VISIBLE_DEVICES=", "healthy after 2 s", "exit 0: {\"status\":\"HEALTHY\"}"));
    }

    @Test
    void an_image_without_a_healthcheck_names_the_fix() {
      // when
      String message = GpuContainerExtension.noHealthcheck("my-service:1.0");

      // then
      assertThat(message).contains("'my-service:1.0' has no HEALTHCHECK", GpuContainer.PROBE_JAR_IN_CONTAINER,
          "verifyHealthcheck = false");
    }
  }
}

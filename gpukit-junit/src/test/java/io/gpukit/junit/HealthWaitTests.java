package io.gpukit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.github.dockerjava.api.model.HealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

      // then start period + (retries + the check across its end) × (interval + timeout) + margin
      assertThat(healthcheck.interval()).isEqualTo(Duration.ofSeconds(2));
      assertThat(healthcheck.timeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(healthcheck.startPeriod()).isEqualTo(Duration.ofSeconds(1));
      assertThat(healthcheck.bound()).isEqualTo(Duration.ofSeconds(1 + (3 + 1) * (2 + 10) + 5));
      assertThat(healthcheck.describeBound()).isEqualTo(
          "54 s (start period 1 s + (3 retries + 1 across its end) × (interval 2 s + timeout 10 s) + 5 s)");
    }

    @Test
    void without_a_start_period_every_check_counts_and_the_bound_has_no_check_more() {
      // given --interval=2s --timeout=10s --retries=3
      HealthCheck config = new HealthCheck().withTest(PROBE).withInterval(nanos(Duration.ofSeconds(2)))
          .withTimeout(nanos(Duration.ofSeconds(10))).withRetries(3);

      // when
      HealthWait.Healthcheck healthcheck = HealthWait.Healthcheck.parse(config).orElseThrow();

      // then
      assertThat(healthcheck.bound()).isEqualTo(Duration.ofSeconds(3 * (2 + 10) + 5));
      assertThat(healthcheck.describeBound()).isEqualTo(
          "41 s (start period 0 s + 3 retries × (interval 2 s + timeout 10 s) + 5 s)");
    }
  }

  @Nested
  class Reading_the_interval_asked_for {

    @Test
    void reads_milliseconds_seconds_and_minutes_in_any_case() {
      // when / then
      assertThat(HealthWait.parseInterval("1s")).contains(Duration.ofSeconds(1));
      assertThat(HealthWait.parseInterval("500ms")).contains(Duration.ofMillis(500));
      assertThat(HealthWait.parseInterval(" 1.5S ")).contains(Duration.ofMillis(1500));
      assertThat(HealthWait.parseInterval("2m")).contains(Duration.ofMinutes(2));
      assertThat(HealthWait.parseInterval("1ms")).contains(HealthWait.MINIMUM_INTERVAL);
    }

    @Test
    void image_keeps_the_images_timing() {
      // when / then
      assertThat(HealthWait.parseInterval("image")).isEmpty();
      assertThat(HealthWait.parseInterval(" Image ")).isEmpty();
    }

    @Test
    void rejects_what_is_not_a_duration_saying_how_to_write_one() {
      // when / then
      for (String bad : List.of("", "fast", "1", "1h", "-1s", "1s500ms", "s")) {
        assertThatIllegalArgumentException().as(bad).isThrownBy(() -> HealthWait.parseInterval(bad))
            .withMessage("is not a duration: write it like 1s, 500ms or 1.5s (ms, s or m), or image to keep the"
                + " image's HEALTHCHECK timing");
      }
    }

    @Test
    void rejects_less_than_the_millisecond_docker_accepts_and_zero() {
      // when / then
      for (String tooShort : List.of("0s", "0ms", "0.5ms", "0.0001s")) {
        assertThatIllegalArgumentException().as(tooShort).isThrownBy(() -> HealthWait.parseInterval(tooShort))
            .withMessageStartingWith("is shorter than 1 ms, the shortest HEALTHCHECK interval Docker accepts")
            .withMessageContaining("Docker reads it as unset");
      }
    }

    @Test
    void writes_timings_exactly() {
      // when / then
      assertThat(HealthWait.timing(Duration.ofSeconds(30))).isEqualTo("30 s");
      assertThat(HealthWait.timing(Duration.ofMillis(1500))).isEqualTo("1.5 s");
      assertThat(HealthWait.timing(Duration.ofMillis(500))).isEqualTo("500 ms");
      assertThat(HealthWait.timing(Duration.ofNanos(1_500_000))).isEqualTo("1.5 ms");
      assertThat(HealthWait.timing(Duration.ZERO)).isEqualTo("0 s");
    }
  }

  @Nested
  class The_verifications_timing {

    /** --interval=10s --timeout=5s --start-period=20s --retries=3, as gpukit-examples' service has it. */
    private final HealthWait.Healthcheck image = HealthWait.Healthcheck.parse(new HealthCheck()
        .withTest(List.of("CMD", "java", "-jar", GpuContainer.PROBE_JAR_IN_CONTAINER, "--heartbeat", "/tmp/beat.json"))
        .withInterval(nanos(Duration.ofSeconds(10))).withTimeout(nanos(Duration.ofSeconds(5)))
        .withStartPeriod(nanos(Duration.ofSeconds(20))).withRetries(3)).orElseThrow();

    @Test
    void a_shorter_interval_replaces_the_images_and_keeps_its_command_timeout_start_period_and_retries() {
      // when
      HealthWait.Verification verification = HealthWait.Verification.of(image, Optional.of(Duration.ofSeconds(1)),
          "the default");

      // then
      assertThat(verification.overridden()).isTrue();
      assertThat(verification.inForce()).isEqualTo(new HealthWait.Healthcheck(image.test(), Duration.ofSeconds(1),
          image.timeout(), image.startPeriod(), image.retries()));
      assertThat(verification.containerConfig()).hasValueSatisfying(config -> {
        assertThat(config.getTest()).isEqualTo(image.test());
        assertThat(config.getInterval()).isEqualTo(nanos(Duration.ofSeconds(1)));
        assertThat(config.getTimeout()).isEqualTo(nanos(Duration.ofSeconds(5)));
        assertThat(config.getStartPeriod()).isEqualTo(nanos(Duration.ofSeconds(20)));
        assertThat(config.getRetries()).isEqualTo(3);
        assertThat(config.getStartInterval()).isNull();
      });
      assertThat(verification.inForce().bound()).isEqualTo(Duration.ofSeconds(20 + (3 + 1) * (1 + 5) + 5));
      assertThat(verification.describe()).isEqualTo("CMD java -jar " + GpuContainer.PROBE_JAR_IN_CONTAINER
          + " --heartbeat /tmp/beat.json; image: interval 10 s, timeout 5 s, start period 20 s, retries 3; verified"
          + " with interval 1 s (the default); each wait bounded by 49 s (start period 20 s + (3 retries + 1 across"
          + " its end) × (interval 1 s + timeout 5 s) + 5 s)");
    }

    @Test
    void image_keeps_the_images_timing_and_creates_the_containers_without_a_health_config() {
      // when
      HealthWait.Verification verification = HealthWait.Verification.of(image, Optional.empty(),
          "-Dgpukit.healthcheck.interval=image");

      // then
      assertThat(verification.overridden()).isFalse();
      assertThat(verification.inForce()).isEqualTo(image);
      assertThat(verification.containerConfig()).isEmpty();
      assertThat(verification.describe()).contains("; image: interval 10 s, timeout 5 s, start period 20 s,"
          + " retries 3; verified with the image's timing (-Dgpukit.healthcheck.interval=image); each wait bounded by"
          + " 85 s (start period 20 s + (3 retries + 1 across its end) × (interval 10 s + timeout 5 s) + 5 s)");
    }

    @Test
    void an_image_that_checks_more_often_than_asked_keeps_its_pace() {
      // when
      HealthWait.Verification verification = HealthWait.Verification.of(image.withInterval(Duration.ofMillis(500)),
          Optional.of(Duration.ofSeconds(1)), "the default");

      // then
      assertThat(verification.overridden()).isFalse();
      assertThat(verification.inForce().interval()).isEqualTo(Duration.ofMillis(500));
      assertThat(verification.containerConfig()).isEmpty();
      assertThat(verification.describe()).contains("image: interval 500 ms, timeout 5 s,", "verified with the image's"
          + " timing: its interval is not longer than the 1 s asked (the default)");
    }

    @Test
    void a_shell_healthcheck_is_written_as_the_dockerfile_has_it() {
      // given
      HealthWait.Healthcheck shell = HealthWait.Healthcheck.parse(new HealthCheck()
          .withTest(List.of("CMD-SHELL", "curl -f http://localhost:8080/healthz"))).orElseThrow();

      // when / then
      assertThat(shell.describeTest()).isEqualTo("CMD-SHELL curl -f http://localhost:8080/healthz");
      assertThat(shell.describeTiming()).isEqualTo("interval 30 s, timeout 30 s, start period 0 s, retries 3");
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
      assertThat(HealthcheckProof.judgeHealthWithGpu(healthy, healthcheck)).isEmpty();
      assertThat(HealthcheckProof.judgeHealthWithGpu(unhealthy, healthcheck)).hasValueSatisfying(message ->
          assertThat(message).contains("did not turn healthy", "unhealthy after 4 s", "17 s (start period 0 s",
              "exit 11: {\"status\":\"NO_CUDA_DEVICE\"}"));
      assertThat(HealthcheckProof.judgeHealthWithGpu(starting, healthcheck)).hasValueSatisfying(message ->
          assertThat(message).contains("starting after 17 s (the bound ran out)", "(no check ran)"));
    }

    @Test
    void with_cuda_hidden_only_unhealthy_passes_and_healthy_is_not_noticing() {
      // given
      Map<String, String> hidden = ProbeVerdicts.hiddenGpuEnvironment(GpuAttach.DEVICE_NODES);
      HealthWait.Outcome unhealthy = new HealthWait.Outcome("unhealthy", Duration.ofSeconds(4), false, failing);
      HealthWait.Outcome healthy = new HealthWait.Outcome("healthy", Duration.ofSeconds(2), false, passing);

      // when / then
      assertThat(HealthcheckProof.judgeHealthWithoutGpu(unhealthy, hidden, healthcheck)).isEmpty();
      assertThat(HealthcheckProof.judgeHealthWithoutGpu(healthy, hidden, healthcheck)).hasValueSatisfying(
          message -> assertThat(message).startsWith(HealthcheckProof.HEALTHCHECK_FAILURE)
              .contains("CUDA_VISIBLE_DEVICES=", "healthy after 2 s", "exit 0: {\"status\":\"HEALTHY\"}"));
    }

    @Test
    void both_waits_together_fail_for_the_gpu_attached_container_first() {
      // given
      Map<String, String> hidden = ProbeVerdicts.hiddenGpuEnvironment(GpuAttach.DEVICE_NODES);
      HealthWait.Outcome healthy = new HealthWait.Outcome("healthy", Duration.ofSeconds(2), false, passing);
      HealthWait.Outcome unhealthy = new HealthWait.Outcome("unhealthy", Duration.ofSeconds(4), false, failing);

      // when
      Optional<AssertionError> none = HealthcheckProof.judgeHealth(healthy, unhealthy, hidden, healthcheck);
      Optional<AssertionError> onlyHidden = HealthcheckProof.judgeHealth(healthy, healthy, hidden, healthcheck);
      Optional<AssertionError> onlyWithGpu = HealthcheckProof.judgeHealth(unhealthy, unhealthy, hidden,
          healthcheck);
      Optional<AssertionError> both = HealthcheckProof.judgeHealth(unhealthy, healthy, hidden, healthcheck);

      // then
      assertThat(none).isEmpty();
      assertThat(onlyHidden).hasValueSatisfying(failure -> {
        assertThat(failure).hasMessageStartingWith(HealthcheckProof.HEALTHCHECK_FAILURE);
        assertThat(failure.getSuppressed()).isEmpty();
      });
      assertThat(onlyWithGpu).hasValueSatisfying(failure -> {
        assertThat(failure).hasMessageStartingWith("the image's HEALTHCHECK did not turn healthy with the GPU attached");
        assertThat(failure.getSuppressed()).isEmpty();
      });
      assertThat(both).hasValueSatisfying(failure -> {
        assertThat(failure).hasMessageStartingWith("the image's HEALTHCHECK did not turn healthy with the GPU attached");
        assertThat(failure.getSuppressed()).singleElement().satisfies(second ->
            assertThat(second).hasMessageStartingWith(HealthcheckProof.HEALTHCHECK_FAILURE));
      });
    }

    @Test
    void an_image_without_a_healthcheck_names_the_fix() {
      // when
      String message = HealthcheckProof.noHealthcheck("my-service:1.0");

      // then
      assertThat(message).contains("'my-service:1.0' has no HEALTHCHECK", GpuContainer.PROBE_JAR_IN_CONTAINER,
          "verifyHealthcheck = false");
    }
  }
}

package io.gpukit.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeartbeatTests {

  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @TempDir
  Path dir;

  static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  GpuHeartbeat heartbeat(FakeGpuApi gpu, Clock clock) {
    return GpuHeartbeat.builder().file(dir.resolve("hb.json")).interval(Duration.ofHours(1))
        .timeout(Duration.ofMillis(300)).gpu(() -> gpu).clock(clock).build();
  }

  @Nested
  class Writing_the_file {

    @Test
    void writes_the_probe_json_with_a_timestamp() throws Exception {
      // given
      try (GpuHeartbeat heartbeat = heartbeat(new FakeGpuApi(), at(NOW))) {

        // when
        ProbeResult result = heartbeat.beat();

        // then
        assertThat(result.healthy()).isTrue();
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(
            Files.readString(heartbeat.file()));
        assertThat(json).containsEntry("status", "HEALTHY").containsEntry("code", 0L)
            .containsEntry("mode", "readiness").containsEntry("timestamp", NOW.toString())
            .containsKeys("checks", "devices", "versions");
        assertThat(heartbeat.lastResult()).contains(result);
      }
    }

    @Test
    void leaves_no_temporary_files_behind() throws Exception {
      // given
      try (GpuHeartbeat heartbeat = heartbeat(new FakeGpuApi(), at(NOW))) {

        // when
        heartbeat.beat();
        heartbeat.beat();

        // then
        try (var files = Files.list(dir)) {
          assertThat(files.map(p -> p.getFileName().toString())).containsExactly("hb.json");
        }
      }
    }

    @Test
    void records_a_critical_xid_as_a_breach() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();
      try (GpuHeartbeat heartbeat = heartbeat(gpu, at(NOW))) {
        heartbeat.beat();
        gpu.xids.add("XID 79");

        // when
        ProbeResult result = heartbeat.beat();

        // then
        assertThat(result.code()).isEqualTo(ProbeExitCode.THRESHOLD_BREACHED);
        assertThat(result.checks().get(result.checks().size() - 1).detail())
            .contains("critical XID 79");
      }
    }

    @Test
    void keeps_reporting_a_hung_check_without_starting_another() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();
      CountDownLatch latch = gpu.hang("saxpy");
      try (GpuHeartbeat heartbeat = heartbeat(gpu, at(NOW))) {
        ProbeResult first = heartbeat.beat();
        int callsAfterFirst = gpu.calls.size();

        // when
        ProbeResult second = heartbeat.beat();

        // then
        assertThat(first.code()).isEqualTo(ProbeExitCode.WATCHDOG_TIMEOUT);
        assertThat(second.code()).isEqualTo(ProbeExitCode.WATCHDOG_TIMEOUT);
        assertThat(second.checks()).singleElement().satisfies(c -> {
          assertThat(c.name()).isEqualTo("kernel.saxpy");
          assertThat(c.detail()).contains("still hung");
        });
        assertThat(gpu.calls).hasSize(callsAfterFirst);
      } finally {
        latch.countDown();
      }
    }

    @Test
    void runs_on_its_own_after_start() throws Exception {
      // given
      GpuHeartbeat heartbeat = GpuHeartbeat.builder().file(dir.resolve("hb.json"))
          .interval(Duration.ofMillis(20)).gpu(FakeGpuApi::new).build();

      // when
      try (heartbeat) {
        heartbeat.start();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(heartbeat.file()) && System.nanoTime() < until) {
          Thread.sleep(10);
        }
      }

      // then
      assertThat(heartbeat.file()).exists();
    }
  }

  @Nested
  class Judging_the_file {

    @Test
    void a_fresh_healthy_file_is_healthy() throws Exception {
      // given
      try (GpuHeartbeat heartbeat = heartbeat(new FakeGpuApi(), at(NOW))) {
        heartbeat.beat();

        // when
        ProbeResult verdict = HeartbeatJudge.judge(heartbeat.file(), Duration.ofSeconds(15),
            at(NOW.plusSeconds(10)));

        // then
        assertThat(verdict.code()).isEqualTo(ProbeExitCode.HEALTHY);
        assertThat(verdict.mode()).isEqualTo("heartbeat");
        assertThat(verdict.checks()).extracting(CheckResult::name)
            .startsWith("heartbeat.read", "heartbeat.age", "natives.cache");
        assertThat(verdict.devices()).hasSize(2);
        assertThat(verdict.extra().get("heartbeat")).asString().contains("ageMillis=10000");
      }
    }

    @Test
    void a_stale_file_is_a_watchdog_timeout() throws Exception {
      // given
      try (GpuHeartbeat heartbeat = heartbeat(new FakeGpuApi(), at(NOW))) {
        heartbeat.beat();

        // when
        ProbeResult verdict = HeartbeatJudge.judge(heartbeat.file(), Duration.ofSeconds(15),
            at(NOW.plusSeconds(16)));

        // then
        assertThat(verdict.code()).isEqualTo(ProbeExitCode.WATCHDOG_TIMEOUT);
        assertThat(verdict.checks().get(1).ok()).isFalse();
        assertThat(verdict.checks().get(1).detail()).contains("older than 15000 ms");
      }
    }

    @Test
    void a_fresh_failed_file_carries_the_recorded_code() throws Exception {
      // given
      FakeGpuApi gpu = new FakeGpuApi();
      gpu.wrongSaxpy = true;
      try (GpuHeartbeat heartbeat = heartbeat(gpu, at(NOW))) {
        heartbeat.beat();

        // when
        ProbeResult verdict = HeartbeatJudge.judge(heartbeat.file(), Duration.ofSeconds(15),
            at(NOW));

        // then
        assertThat(verdict.code()).isEqualTo(ProbeExitCode.KERNEL_MISMATCH);
      }
    }

    @Test
    void a_missing_file_means_driver_unavailable() {
      // when
      ProbeResult verdict = HeartbeatJudge.judge(dir.resolve("none.json"),
          Duration.ofSeconds(15), at(NOW));

      // then
      assertThat(verdict.code()).isEqualTo(ProbeExitCode.DRIVER_UNAVAILABLE);
      assertThat(verdict.checks()).singleElement().satisfies(c ->
          assertThat(c.detail()).contains("does not exist"));
    }

    @Test
    void a_file_that_is_not_a_heartbeat_means_driver_unavailable() throws Exception {
      // given
      Path garbage = Files.writeString(dir.resolve("hb.json"), "{\"code\":0}");
      Path truncated = Files.writeString(dir.resolve("t.json"), "{\"code\":0,\"times");

      // when
      List<ProbeResult> verdicts = List.of(
          HeartbeatJudge.judge(garbage, Duration.ofSeconds(15), at(NOW)),
          HeartbeatJudge.judge(truncated, Duration.ofSeconds(15), at(NOW)));

      // then
      assertThat(verdicts).extracting(ProbeResult::code)
          .containsOnly(ProbeExitCode.DRIVER_UNAVAILABLE);
      assertThat(verdicts.get(0).checks().get(0).detail()).contains("timestamp");
      assertThat(verdicts.get(1).checks().get(0).detail()).contains("not valid JSON");
    }
  }
}

package io.gpukit.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GpuProbeTests {

  record Run(GpuProbe.Exit exit, String stdout, String stderr) {
    @SuppressWarnings("unchecked")
    Map<String, Object> json() {
      return (Map<String, Object>) Json.parse(stdout.strip());
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> checks() {
      return (List<Map<String, Object>>) json().get("checks");
    }

    List<Object> checkNames() {
      return checks().stream().map(c -> c.get("name")).toList();
    }

    Map<String, Object> lastCheck() {
      List<Map<String, Object>> checks = checks();
      return checks.get(checks.size() - 1);
    }
  }

  static Run run(FakeGpuApi gpu, Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    GpuProbe.Exit exit = GpuProbe.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), () -> gpu, Clock.systemUTC());
    return new Run(exit, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  static Run run(FakeGpuApi gpu, String... args) {
    return run(gpu, Map.of(), args);
  }

  @Nested
  class A_healthy_gpu {

    @Test
    void exits_0_with_every_readiness_check_in_order() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();

      // when
      Run run = run(gpu);

      // then
      assertThat(run.exit().code()).isZero();
      assertThat(run.exit().halt()).isFalse();
      assertThat(run.json()).containsEntry("status", "HEALTHY").containsEntry("code", 0L)
          .containsEntry("mode", "readiness");
      assertThat(run.checkNames()).containsExactly("natives.cache", "nvml.load", "nvml.init",
          "nvml.devices", "cuda.load", "cuda.init", "cuda.devices", "thresholds",
          "tensor.roundtrip", "kernel.saxpy");
      assertThat(run.checks()).allSatisfy(c -> {
        assertThat(c.get("ok")).isEqualTo(true);
        assertThat(c).containsKeys("micros", "detail");
      });
    }

    @Test
    void prints_exactly_one_json_line_on_stdout_and_a_report_on_stderr() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();

      // when
      Run run = run(gpu);

      // then
      assertThat(run.stdout().lines()).hasSize(1);
      assertThat(run.stderr()).contains("HEALTHY").contains("kernel.saxpy");
    }

    @Test
    void json_flag_prints_only_the_json_line() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();

      // when
      Run run = run(gpu, "--json");

      // then
      assertThat(run.stdout().lines()).hasSize(1);
      assertThat(run.stderr()).isEmpty();
    }

    @Test
    void reports_devices_and_versions() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();

      // when
      Run run = run(gpu, "--json");

      // then
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> devices = (List<Map<String, Object>>) run.json().get("devices");
      assertThat(devices).hasSize(2);
      assertThat(devices.get(1)).containsEntry("nvmlIndex", 1L).containsEntry("cudaOrdinal", 1L)
          .containsEntry("name", "NVIDIA H200").containsEntry("uuid", FakeGpuApi.uuid(1))
          .containsEntry("temperatureC", 61L).containsEntry("throttleReasons", List.of("GPU_IDLE"));
      assertThat(run.json().get("versions")).isEqualTo(Map.of("probe", "dev",
          "java", System.getProperty("java.version"), "driver", "580.95.05",
          "nvml", "13.580.95.05", "driverCuda", "13.0", "cudaDriver", "13.0",
          "cudaRuntime", "13.0"));
    }

    @Test
    void liveness_creates_no_cuda_context() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();

      // when
      Run run = run(gpu, "--mode", "liveness");

      // then
      assertThat(run.exit().code()).isZero();
      assertThat(run.checkNames()).last().isEqualTo("thresholds");
      assertThat(gpu.calls).doesNotContain("roundTrip", "saxpy", "memoryInfo");
    }

    @Test
    void deep_adds_sgemm_and_the_largest_allocation() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();
      gpu.allocatableBytes = 5000L << 20;

      // when
      Run run = run(gpu, "--mode=deep", "--sgemm-size", "32", "--device", "1");

      // then
      assertThat(run.exit().code()).isZero();
      assertThat(run.checkNames()).endsWith("cublas.load", "cublas.sgemm", "memory.maxalloc");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> devices = (List<Map<String, Object>>) run.json().get("devices");
      assertThat(devices.get(1)).containsEntry("maxAllocMib", 4992L);
      assertThat(devices.get(0)).doesNotContainKey("maxAllocMib");
    }

    @Test
    void the_heartbeat_path_never_touches_the_gpu() {
      // given
      AtomicBoolean touched = new AtomicBoolean();
      ByteArrayOutputStream out = new ByteArrayOutputStream();

      // when
      GpuProbe.Exit exit = GpuProbe.run(new String[] {"--heartbeat", "/nonexistent/hb.json"},
          Map.of(), new PrintStream(out), new PrintStream(new ByteArrayOutputStream()), () -> {
            touched.set(true);
            return new FakeGpuApi();
          }, Clock.systemUTC());

      // then
      assertThat(touched).isFalse();
      assertThat(exit.code()).isEqualTo(10);
    }
  }

  @Nested
  class A_missing_or_broken_driver {

    @Test
    void exits_10_when_nvml_cannot_be_loaded() {
      // given
      FakeGpuApi gpu = new FakeGpuApi().fail("loadNvml", GpuException.Kind.LIBRARY_MISSING);

      // when
      Run run = run(gpu);

      // then
      assertThat(run.exit().code()).isEqualTo(10);
      assertThat(run.json()).containsEntry("status", "DRIVER_UNAVAILABLE");
      assertThat(run.lastCheck()).containsEntry("name", "nvml.load").containsEntry("ok", false)
          .containsEntry("detail", "loadNvml failed: injected");
    }

    @Test
    void exits_10_when_nvml_init_fails() {
      // given
      FakeGpuApi gpu = new FakeGpuApi().fail("nvmlInit", GpuException.Kind.INIT_FAILED);

      // when
      Run run = run(gpu);

      // then
      assertThat(run.exit().code()).isEqualTo(10);
      assertThat(run.lastCheck()).containsEntry("name", "nvml.init");
    }

    @Test
    void exits_10_when_the_cuda_binding_is_missing() {
      // given
      FakeGpuApi gpu = new FakeGpuApi().fail("loadCuda", GpuException.Kind.LIBRARY_MISSING);

      // when
      Run run = run(gpu);

      // then
      assertThat(run.exit().code()).isEqualTo(10);
      assertThat(run.lastCheck()).containsEntry("name", "cuda.load");
    }
  }

  @Nested
  class No_cuda_device {

    @Test
    void exits_11_when_cuinit_reports_no_device() {
      // given
      FakeGpuApi gpu = new FakeGpuApi().fail("cudaInit", GpuException.Kind.NO_DEVICE);

      // when
      Run run = run(gpu);

      // then
      assertThat(run.exit().code()).isEqualTo(11);
      assertThat(run.json()).containsEntry("status", "NO_CUDA_DEVICE");
    }

    @Test
    void exits_11_when_cuda_sees_none_although_nvml_lists_gpus() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();
      gpu.cudaCount = 0;

      // when
      Run run = run(gpu);

      // then
      assertThat(run.exit().code()).isEqualTo(11);
      assertThat(run.lastCheck()).containsEntry("name", "cuda.devices");
      assertThat((String) run.lastCheck().get("detail")).contains("NVML lists 2");
    }

    @Test
    void exits_11_when_the_requested_device_is_not_visible() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();

      // when
      Run run = run(gpu, "--device", "2");

      // then
      assertThat(run.exit().code()).isEqualTo(11);
      assertThat((String) run.lastCheck().get("detail")).contains("device 2")
          .contains("CUDA sees 2");
    }

    @Test
    void marks_a_gpu_hidden_from_cuda_as_without_ordinal() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();
      gpu.cudaCount = 1;

      // when
      Run run = run(gpu, "--json");

      // then
      assertThat(run.exit().code()).isZero();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> devices = (List<Map<String, Object>>) run.json().get("devices");
      assertThat(devices.get(1)).containsEntry("cudaOrdinal", null);
    }
  }

  @Nested
  class Data_and_kernels {

    @Test
    void exits_12_when_a_byte_comes_back_different() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();
      gpu.corruptRoundTrip = true;

      // when
      Run run = run(gpu);

      // then
      assertThat(run.exit().code()).isEqualTo(12);
      assertThat((String) run.lastCheck().get("detail")).contains("offset 1234");
    }

    @Test
    void exits_12_when_the_copy_fails() {
      // given
      FakeGpuApi gpu = new FakeGpuApi().fail("roundTrip", GpuException.Kind.CALL_FAILED);

      // when
      Run run = run(gpu);

      // then
      assertThat(run.exit().code()).isEqualTo(12);
    }

    @Test
    void exits_13_when_saxpy_disagrees_with_the_cpu() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();
      gpu.wrongSaxpy = true;

      // when
      Run run = run(gpu);

      // then
      assertThat(run.exit().code()).isEqualTo(13);
      assertThat(run.json()).containsEntry("status", "KERNEL_MISMATCH");
    }

    @Test
    void exits_13_when_the_ptx_does_not_load() {
      // given
      FakeGpuApi gpu = new FakeGpuApi().fail("saxpy", GpuException.Kind.CALL_FAILED);

      // when
      Run run = run(gpu);

      // then
      assertThat(run.exit().code()).isEqualTo(13);
    }

    @Test
    void exits_13_when_sgemm_is_out_of_tolerance() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();
      gpu.wrongSgemm = true;

      // when
      Run run = run(gpu, "--mode", "deep", "--sgemm-size", "16");

      // then
      assertThat(run.exit().code()).isEqualTo(13);
      assertThat(run.lastCheck()).containsEntry("name", "cublas.sgemm");
    }

    @Test
    void the_saxpy_gets_the_embedded_fatbin_next_to_the_ptx() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();

      // when
      Run run = run(gpu, Map.of());

      // then
      assertThat(run.exit().code()).isZero();
      assertThat(gpu.lastFatbin).isNotNull().isEqualTo(ProbeRunner.fatbin());
    }

    @Test
    void the_saxpy_gets_the_plain_ptx_alone_when_asked_to() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();
      System.setProperty(ProbeRunner.KERNEL_PROPERTY, "ptx");

      // when
      Run run;
      try {
        run = run(gpu, Map.of());
      } finally {
        System.clearProperty(ProbeRunner.KERNEL_PROPERTY);
      }

      // then
      assertThat(run.exit().code()).isZero();
      assertThat(gpu.calls).contains("saxpy");
      assertThat(gpu.lastFatbin).isNull();
    }

    @Test
    void the_embedded_ptx_targets_an_old_isa() throws Exception {
      // when
      String ptx = ProbeRunner.ptx();

      // then
      assertThat(ptx).contains(".version 6.0").contains(".target sm_52")
          .contains(".visible .entry saxpy(").contains("fma.rn.f32");
    }
  }

  @Nested
  class Thresholds {

    @Test
    void exits_14_when_free_memory_is_below_the_minimum() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();

      // when
      Run run = run(gpu, "--min-free-mib", "90000");

      // then
      assertThat(run.exit().code()).isEqualTo(14);
      assertThat(run.lastCheck()).containsEntry("name", "thresholds");
      assertThat((String) run.lastCheck().get("detail"))
          .contains("cuda:0 free memory 80000 MiB < 90000 MiB");
    }

    @Test
    void passes_when_free_memory_is_enough() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();

      // when
      Run run = run(gpu, "--min-free-mib", "80000");

      // then
      assertThat(run.exit().code()).isZero();
    }

    @Test
    void exits_14_when_a_device_is_too_hot() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();

      // when
      Run run = run(gpu, "--max-temp-c", "60");

      // then
      assertThat(run.exit().code()).isEqualTo(14);
      assertThat((String) run.lastCheck().get("detail")).contains("cuda:1 temperature 61 C")
          .doesNotContain("cuda:0");
    }

    @Test
    void only_checks_the_selected_device() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();

      // when
      Run run = run(gpu, "--max-temp-c", "60", "--device", "0");

      // then
      assertThat(run.exit().code()).isZero();
    }

    @Test
    void exits_14_on_hardware_throttling_but_not_on_idle_clocks() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();
      NvmlDevice d = gpu.devices.get(0);
      gpu.devices.set(0, new NvmlDevice(0, d.name(), d.uuid(), d.memoryTotalBytes(),
          d.memoryFreeBytes(), d.memoryUsedBytes(), d.temperatureC(), 0x1L | 0x40L, 0L, false,
          false, false));

      // when
      Run run = run(gpu);

      // then
      assertThat(run.exit().code()).isEqualTo(14);
      assertThat((String) run.lastCheck().get("detail")).contains("HW_THERMAL_SLOWDOWN")
          .doesNotContain("GPU_IDLE");
    }

    @Test
    void exits_14_on_uncorrected_ecc_errors_and_pending_remaps() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();
      NvmlDevice d = gpu.devices.get(1);
      gpu.devices.set(1, new NvmlDevice(1, d.name(), d.uuid(), d.memoryTotalBytes(),
          d.memoryFreeBytes(), d.memoryUsedBytes(), d.temperatureC(), 0L, 3L, null, true,
          false));

      // when
      Run run = run(gpu);

      // then
      assertThat(run.exit().code()).isEqualTo(14);
      assertThat((String) run.lastCheck().get("detail"))
          .contains("3 uncorrected ECC errors").contains("remapped rows pending");
    }

    @Test
    void tolerates_unsupported_queries() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();
      gpu.devices.set(0, new NvmlDevice(0, "GeForce", FakeGpuApi.uuid(0), null, null, null,
          null, null, null, null, null, null));

      // when
      Run run = run(gpu, "--min-free-mib", "1", "--max-temp-c", "99", "--device", "0");

      // then
      assertThat(run.exit().code()).isZero();
    }
  }

  @Nested
  class The_watchdog {

    @Test
    void exits_15_with_the_partial_result_when_a_check_hangs() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();
      CountDownLatch latch = gpu.hang("cudaInit");

      // when
      Run run = run(gpu, "--timeout-ms", "1000");
      latch.countDown();

      // then
      assertThat(run.exit().code()).isEqualTo(15);
      assertThat(run.exit().halt()).isTrue();
      assertThat(run.json()).containsEntry("status", "WATCHDOG_TIMEOUT");
      assertThat(run.checkNames()).containsExactly("natives.cache", "nvml.load", "nvml.init",
          "nvml.devices", "cuda.load", "cuda.init");
      assertThat(run.lastCheck()).containsEntry("ok", false);
      assertThat((String) run.lastCheck().get("detail")).contains("1000 ms");
      assertThat(run.json().get("versions")).asString().contains("580.95.05");
    }

    @Test
    void hangs_the_check_named_by_the_test_variable() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();

      // when
      Run run = run(gpu, Map.of(ProbeRunner.HANG_ENV, "kernel.saxpy"), "--timeout-ms", "3000");

      // then
      assertThat(run.exit().code()).isEqualTo(15);
      assertThat(run.lastCheck()).containsEntry("name", "kernel.saxpy");
      assertThat(gpu.calls).doesNotContain("saxpy");
    }

    @Test
    void ignores_a_test_variable_naming_no_check() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();

      // when
      Run run = run(gpu, Map.of(ProbeRunner.HANG_ENV, "no.such.check"));

      // then
      assertThat(run.exit().code()).isZero();
    }
  }

  @Nested
  class Usage_and_internal_errors {

    @Test
    void exits_64_with_a_json_line_and_the_usage_on_stderr() {
      // given
      FakeGpuApi gpu = new FakeGpuApi();

      // when
      Run run = run(gpu, "--mode", "warm");

      // then
      assertThat(run.exit().code()).isEqualTo(64);
      assertThat(run.json()).containsEntry("status", "USAGE")
          .containsEntry("error", "--mode must be readiness, liveness or deep, not 'warm'");
      assertThat(run.stderr()).contains("Usage: gpukit-probe");
      assertThat(gpu.calls).isEmpty();
    }

    @Test
    void help_prints_the_usage_and_exits_0() {
      // when
      Run run = run(new FakeGpuApi(), "--help");

      // then
      assertThat(run.exit().code()).isZero();
      assertThat(run.stdout()).startsWith("Usage: gpukit-probe");
    }

    @Test
    void exits_70_when_a_check_throws_unexpectedly() {
      // given
      FakeGpuApi gpu = new FakeGpuApi() {
        @Override
        public int cudaDeviceCount() {
          throw new IllegalStateException("boom");
        }
      };

      // when
      Run run = run(gpu);

      // then
      assertThat(run.exit().code()).isEqualTo(70);
      assertThat((String) run.lastCheck().get("detail")).contains("boom");
    }
  }

  /** {@link GpuProbe#earlyDevice}: which command lines start the driver before parsing. */
  @Nested
  class Starting_cuda_before_parsing {

    static final int NO = GpuProbe.NO_EARLY_START;
    static final int ALL = GpuProbe.ALL_DEVICES;

    int early(String... args) {
      return GpuProbe.earlyDevice(args, null);
    }

    @Test
    void starts_every_context_for_a_readiness_or_deep_run() {
      assertThat(early()).isEqualTo(ALL);
      assertThat(early("--json")).isEqualTo(ALL);
      assertThat(early("--mode", "readiness", "--json", "--timeout-ms", "30000")).isEqualTo(ALL);
      assertThat(early("--mode=deep", "--sgemm-size", "512")).isEqualTo(ALL);
      assertThat(early("--device", "all", "--min-free-mib", "0", "--max-temp-c", "85"))
          .isEqualTo(ALL);
    }

    @Test
    void starts_only_the_context_of_the_device_asked_for() {
      assertThat(early("--device", "1", "--json")).isEqualTo(1);
      assertThat(early("--device=0")).isEqualTo(0);
      assertThat(early("--mode", "deep", "--device", "1023")).isEqualTo(1023);
    }

    @Test
    void starts_nothing_for_liveness_heartbeats_help_and_the_hidden_modes() {
      assertThat(early("--mode", "liveness")).isEqualTo(NO);
      assertThat(early("--mode=liveness", "--json")).isEqualTo(NO);
      assertThat(early("--heartbeat", "/tmp/hb.json")).isEqualTo(NO);
      assertThat(early("--heartbeat=/tmp/hb.json", "--max-age", "15s", "--json")).isEqualTo(NO);
      assertThat(early("--help")).isEqualTo(NO);
      assertThat(early("--json", "-h")).isEqualTo(NO);
      assertThat(early("--version")).isEqualTo(NO);
      assertThat(early(CdsTraining.FLAG)).isEqualTo(NO);
      assertThat(early("--write-heartbeat", "/tmp/hb.json")).isEqualTo(NO);
    }

    @Test
    void starts_nothing_for_a_command_line_the_parser_rejects() {
      assertThat(early("--mode", "warm")).isEqualTo(NO);
      assertThat(early("--mode")).isEqualTo(NO);
      assertThat(early("--mode", "--json")).isEqualTo(NO);
      assertThat(early("--device", "one")).isEqualTo(NO);
      assertThat(early("--device", "1024")).isEqualTo(NO);
      assertThat(early("--device", "-1")).isEqualTo(NO);
      assertThat(early("--device=")).isEqualTo(NO);
      assertThat(early("--json", "--json")).isEqualTo(NO);
      assertThat(early("--json=yes")).isEqualTo(NO);
      assertThat(early("--timeout-ms", "0")).isEqualTo(NO);
      assertThat(early("--max-temp-c", "201")).isEqualTo(NO);
      assertThat(early("--min-free-mib", "lots")).isEqualTo(NO);
      assertThat(early("--sgemm-size", "256")).isEqualTo(NO);
      assertThat(early("--frobnicate")).isEqualTo(NO);
      assertThat(early("readiness")).isEqualTo(NO);
    }

    @Test
    void starts_nothing_when_the_warm_up_is_configured_otherwise() {
      for (String how : List.of("false", "javacpp", "late", GpuProbe.WARM_UP_AFTER_PARSE)) {
        assertThat(GpuProbe.earlyDevice(new String[] {"--json"}, how)).as(how).isEqualTo(NO);
      }
      assertThat(GpuProbe.earlyDevice(new String[] {"--json"}, "true")).isEqualTo(ALL);
    }

    @Test
    void agrees_with_the_parser_whenever_it_starts_something() throws Exception {
      // given
      List<List<String>> lines = List.of(List.of(), List.of("--json"),
          List.of("--mode", "readiness"), List.of("--mode", "deep", "--sgemm-size=64"),
          List.of("--device", " 3 "), List.of("--device=all", "--json"),
          List.of("--min-free-mib", "1099511627776"), List.of("--max-temp-c", "1"),
          List.of("--timeout-ms", "3600000", "--device", "7"), List.of("--mode", "liveness"),
          List.of("--device", "+3"), List.of("--timeout-ms", "3600001"));
      for (List<String> line : lines) {
        String[] args = line.toArray(new String[0]);

        // when
        int early = GpuProbe.earlyDevice(args, null);

        // then
        if (early != NO) {
          ProbeOptions options = ProbeArgs.parse(args);
          assertThat(options.mode()).as("%s", line).isNotEqualTo(ProbeMode.LIVENESS);
          assertThat(options.heartbeatFile()).as("%s", line).isNull();
          assertThat(options.device()).as("%s", line).isEqualTo(early == ALL ? null : early);
        }
      }
      assertThat(GpuProbe.earlyDevice(new String[] {"--device", " 3 "}, null)).isEqualTo(3);
    }
  }
}

package io.gpukit.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shaded jar as a process, the way an image's probe does. */
class GpuProbeJarIT {

  static Path jar;

  @TempDir
  Path dir;

  @BeforeAll
  static void jar() {
    jar = Path.of(System.getProperty("gpukit.probe.jar", "target/gpukit-probe.jar"));
    assertThat(jar).exists();
  }

  record Proc(int code, String stdout, String stderr) {
    @SuppressWarnings("unchecked")
    Map<String, Object> json() {
      return (Map<String, Object>) Json.parse(stdout.strip());
    }
  }

  static Proc java(Map<String, String> env, List<String> jvm, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the JVM exits").isTrue();
    return new Proc(p.exitValue(), new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  static boolean driverPresent() {
    return Files.exists(Path.of("/dev/nvidiactl"));
  }

  @Nested
  class Without_a_gpu_driver {

    @Test
    void exits_10_with_a_json_line_and_a_clear_message() throws Exception {
      // given
      assumeFalse(driverPresent(), "this machine has an NVIDIA driver");

      // when
      Proc proc = java(Map.of(), List.of());

      // then
      assertThat(proc.code()).isEqualTo(10);
      assertThat(proc.stdout().lines()).hasSize(1);
      assertThat(proc.json()).containsEntry("status", "DRIVER_UNAVAILABLE")
          .containsEntry("code", 10L);
      assertThat(proc.stdout()).contains("\"name\":\"nvml.load\",\"ok\":false")
          .contains("libnvidia-ml.so.1");
      assertThat(proc.stderr()).contains("DRIVER_UNAVAILABLE").contains("cannot load NVML");
    }

    @Test
    void extracts_natives_under_tmp_when_the_home_is_not_writable() throws Exception {
      // given
      assumeFalse(driverPresent(), "this machine has an NVIDIA driver");

      // when
      Proc proc = java(Map.of(), List.of("-Duser.home=/nonexistent",
          "-Djava.io.tmpdir=" + dir), "--json");

      // then
      assertThat(proc.code()).isEqualTo(10);
      assertThat(proc.stderr()).doesNotContain("gpukit-probe liveness");
      assertThat(proc.stdout()).contains("cachedir=" + dir.resolve("gpukit-probe-javacpp-"));
    }
  }

  @Nested
  class The_early_cuda_start {

    Path extracted(Path cache) {
      return cache.resolve(jar.getFileName().toString())
          .resolve(NativeWarmUp.entry(NativeCache.platform()));
    }

    void assumeBuilt() throws IOException {
      assumeTrue(NativeCache.platform() != null, "the probe has no JNI library for "
          + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
      try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
        assumeTrue(zip.getEntry(NativeWarmUp.entry(NativeCache.platform())) != null,
            "the jar was built without a C compiler, so without libgpukitprobe.so (see the "
                + "build's warning from src/main/c/build.sh)");
      }
    }

    @Test
    void is_in_the_jar_when_the_build_had_a_c_compiler() throws Exception {
      // given
      boolean cc;
      try {
        Process p = new ProcessBuilder("cc", "--version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        cc = p.waitFor() == 0;
      } catch (IOException e) {
        cc = false;
      }
      assumeTrue(cc && NativeCache.platform() != null, "no C compiler (cc) on this machine");

      // when
      List<String> entries = new ArrayList<>();
      try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
        zip.stream().forEach(e -> entries.add(e.getName()));
      }

      // then
      assertThat(entries).contains(NativeWarmUp.entry(NativeCache.platform()));
    }

    @Test
    void extracts_its_library_next_to_javacpps_and_keeps_exit_10_without_a_driver()
        throws Exception {
      // given
      assumeFalse(driverPresent(), "this machine has an NVIDIA driver");
      assumeBuilt();
      Path cache = dir.resolve("natives");

      // when
      Proc proc = java(Map.of(), List.of("-Dorg.bytedeco.javacpp.cachedir=" + cache), "--json");

      // then
      assertThat(proc.code()).isEqualTo(10);
      assertThat(proc.stdout().lines()).hasSize(1);
      assertThat(proc.json()).containsEntry("status", "DRIVER_UNAVAILABLE");
      assertThat(extracted(cache)).isRegularFile();
    }

    @Test
    void keeps_exit_10_without_a_driver_as_a_jvm_agent_through_the_training_link()
        throws Exception {
      // given the README's lines: the training extracts, then -agentpath names its link
      assumeFalse(driverPresent(), "this machine has an NVIDIA driver");
      assumeBuilt();
      Path cache = dir.resolve("natives");
      assertThat(java(Map.of(), List.of("-Dorg.bytedeco.javacpp.cachedir=" + cache),
          "--cds-training").code()).isZero();

      // when
      Proc proc = java(Map.of(), List.of("-agentpath:" + cache.resolve(NativeWarmUp.LIBRARY),
          "-Dorg.bytedeco.javacpp.cachedir=" + cache), "--json");

      // then
      assertThat(proc.code()).isEqualTo(10);
      assertThat(proc.stdout().lines()).hasSize(1);
      assertThat(proc.json()).containsEntry("status", "DRIVER_UNAVAILABLE");
      assertThat(proc.stderr()).isEmpty();
    }

    @Test
    void is_left_out_with_warmup_javacpp() throws Exception {
      // given
      assumeFalse(driverPresent(), "this machine has an NVIDIA driver");
      assumeBuilt();
      Path cache = dir.resolve("natives");

      // when
      Proc proc = java(Map.of(), List.of("-Dorg.bytedeco.javacpp.cachedir=" + cache,
          "-Dgpukit.probe.warmup=javacpp"), "--json");

      // then
      assertThat(proc.code()).isEqualTo(10);
      assertThat(extracted(cache)).doesNotExist();
    }

    @Test
    void is_extracted_by_the_cds_training_for_a_read_only_image() throws Exception {
      // given
      assumeBuilt();
      Path cache = dir.resolve("natives");

      // when
      Proc proc = java(Map.of(), List.of("-Dorg.bytedeco.javacpp.cachedir=" + cache),
          "--cds-training");

      // then
      assertThat(proc.code()).isZero();
      assertThat(proc.stdout()).contains(extracted(cache).toString());
      assertThat(extracted(cache)).isRegularFile();
      Path agent = cache.resolve(NativeWarmUp.LIBRARY);
      assertThat(proc.stdout()).contains(agent.toString());
      assertThat(Files.readSymbolicLink(agent)).isRelative();
      assertThat(agent.toRealPath()).isEqualTo(extracted(cache).toRealPath());
    }
  }

  /**
   * The driver started first thing in {@code main}, seen through a stub {@code libcuda.so.1} that
   * logs its calls (built here with the C compiler, found through {@code LD_LIBRARY_PATH}), with the
   * {@code natives.cache} check hung so that nothing after it can start the driver.
   */
  @Nested
  class Starting_cuda_before_parsing {

    Path log;
    Path cache;

    Proc probe(List<String> jvm, String... args) throws Exception {
      return probe(Map.of(), jvm, args);
    }

    Proc probe(Map<String, String> moreEnv, List<String> jvm, String... args) throws Exception {
      new The_early_cuda_start().assumeBuilt();
      Path stubs = NativeWarmUpTests.Starting_cuda.buildStub(Files.createDirectories(dir.resolve("stub")));
      log = dir.resolve("calls.txt");
      cache = dir.resolve("natives");
      List<String> flags = new ArrayList<>(jvm);
      flags.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
      Map<String, String> env = new java.util.HashMap<>(Map.of("LD_LIBRARY_PATH", stubs.toString(),
          "STUB_LOG", log.toString(), ProbeRunner.HANG_ENV, "natives.cache"));
      env.putAll(moreEnv);
      return java(env, flags, args);
    }

    List<String> calls() throws IOException {
      return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void retains_every_primary_context_before_the_first_check_for_readiness() throws Exception {
      // when
      Proc proc = probe(List.of(), "--mode", "readiness", "--json", "--timeout-ms", "1500");

      // then
      assertThat(proc.code()).isEqualTo(15);
      assertThat(proc.stdout()).contains("\"name\":\"natives.cache\",\"ok\":false");
      assertThat(calls()).containsExactly("cuInit 0", "cuDeviceGetCount 2", "cuDeviceGet 0",
          "cuDevicePrimaryCtxRetain 10", "cuDeviceGet 1", "cuDevicePrimaryCtxRetain 11");
    }

    @Test
    void retains_only_the_context_of_the_device_asked_for() throws Exception {
      // when
      Proc proc = probe(List.of(), "--device=1", "--timeout-ms", "1500");

      // then
      assertThat(proc.code()).isEqualTo(15);
      assertThat(calls()).containsExactly("cuInit 0", "cuDeviceGetCount 2", "cuDeviceGet 1",
          "cuDevicePrimaryCtxRetain 11");
    }

    @Test
    void starts_from_the_jvm_agent_through_the_training_link_instead_of_from_main()
        throws Exception {
      // given the training's link, and the stub noting the thread that calls cuInit
      new The_early_cuda_start().assumeBuilt();
      Path natives = dir.resolve("natives");
      assertThat(java(Map.of(), List.of("-Dorg.bytedeco.javacpp.cachedir=" + natives),
          "--cds-training").code()).isZero();
      Path fromMain = dir.resolve("threads-main.txt");
      Path fromAgent = dir.resolve("threads-agent.txt");

      // when
      probe(Map.of("STUB_THREADS", fromMain.toString()), List.of(), "--json",
          "--timeout-ms", "1500");
      List<String> mainCalls = calls();
      Files.delete(log);
      Proc proc = probe(Map.of("STUB_THREADS", fromAgent.toString()),
          List.of("-agentpath:" + natives.resolve(NativeWarmUp.LIBRARY)), "--json",
          "--timeout-ms", "1500");

      // then the same calls, once, from the agent's thread rather than main's early start
      assertThat(proc.code()).isEqualTo(15);
      assertThat(calls()).isEqualTo(mainCalls).containsExactly("cuInit 0", "cuDeviceGetCount 2",
          "cuDeviceGet 0", "cuDevicePrimaryCtxRetain 10", "cuDeviceGet 1",
          "cuDevicePrimaryCtxRetain 11");
      assertThat(Files.readAllLines(fromMain)).containsExactly("cuInit on gpukit-probe-cu");
      assertThat(Files.readAllLines(fromAgent)).singleElement().asString()
          .startsWith("cuInit on ").isNotEqualTo("cuInit on gpukit-probe-cu");
    }

    @Test
    void waits_for_the_natives_check_with_warmup_afterparse() throws Exception {
      // when
      Proc proc = probe(List.of("-Dgpukit.probe.warmup=afterparse"), "--json", "--timeout-ms",
          "1500");

      // then
      assertThat(proc.code()).isEqualTo(15);
      assertThat(calls()).isEmpty();
    }

    @Test
    void starts_nothing_for_liveness() throws Exception {
      // when
      Proc proc = probe(List.of(), "--mode", "liveness", "--json", "--timeout-ms", "1500");

      // then
      assertThat(proc.code()).isEqualTo(15);
      assertThat(calls()).isEmpty();
    }

    @Test
    void starts_nothing_for_a_usage_error_whose_output_is_unchanged() throws Exception {
      // when
      Proc proc = probe(List.of(), "--mode", "warm", "--json");

      // then
      assertThat(proc.code()).isEqualTo(64);
      assertThat(proc.json()).containsEntry("status", "USAGE").containsEntry("code", 64L);
      assertThat(proc.stderr()).startsWith("gpukit-probe: --mode must be readiness, liveness or "
          + "deep, not 'warm'\n" + GpuProbe.USAGE);
      assertThat(calls()).isEmpty();
      assertThat(cache).doesNotExist();
    }

    @Test
    void starts_nothing_for_help_or_a_heartbeat_file() throws Exception {
      // when
      Proc help = probe(List.of(), "--help");
      Proc heartbeat = probe(List.of(), "--heartbeat", dir.resolve("none.json").toString(),
          "--json");

      // then
      assertThat(help.code()).isZero();
      assertThat(help.stdout()).isEqualTo(GpuProbe.USAGE + System.lineSeparator());
      assertThat(heartbeat.code()).isEqualTo(10);
      assertThat(calls()).isEmpty();
      assertThat(cache).doesNotExist();
    }
  }

  @Nested
  class The_watchdog {

    @Test
    void ends_a_hung_check_with_15_and_the_partial_json() throws Exception {
      // when
      Proc proc = java(Map.of(ProbeRunner.HANG_ENV, "nvml.load"), List.of(), "--json",
          "--timeout-ms", "500");

      // then
      assertThat(proc.code()).isEqualTo(15);
      assertThat(proc.json()).containsEntry("status", "WATCHDOG_TIMEOUT");
      assertThat(proc.stdout()).contains("\"name\":\"natives.cache\",\"ok\":true")
          .contains("\"name\":\"nvml.load\",\"ok\":false");
    }
  }

  @Nested
  class The_command_line {

    @Test
    void exits_64_on_a_usage_error() throws Exception {
      // when
      Proc proc = java(Map.of(), List.of(), "--device", "one");

      // then
      assertThat(proc.code()).isEqualTo(64);
      assertThat(proc.stderr()).contains("--device needs a whole number, not 'one'");
    }
  }

  @Nested
  class Judging_a_heartbeat {

    Path heartbeat(Instant at, int code) throws IOException {
      return Files.writeString(dir.resolve("hb.json"), "{\"status\":\"X\",\"code\":" + code
          + ",\"mode\":\"readiness\",\"checks\":[],\"devices\":[],\"versions\":{},"
          + "\"timestamp\":\"" + at + "\"}\n");
    }

    @Test
    void a_fresh_file_gives_its_recorded_code() throws Exception {
      // given
      Path file = heartbeat(Instant.now(), 0);

      // when
      Proc proc = java(Map.of(), List.of(), "--heartbeat", file.toString(), "--max-age", "15s");

      // then
      assertThat(proc.code()).isZero();
    }

    @Test
    void a_stale_file_gives_15() throws Exception {
      // given
      Path file = heartbeat(Instant.now().minusSeconds(60), 0);

      // when
      Proc proc = java(Map.of(), List.of(), "--heartbeat", file.toString(), "--max-age", "15s",
          "--json");

      // then
      assertThat(proc.code()).isEqualTo(15);
    }

    @Test
    void a_missing_file_gives_10() throws Exception {
      // when
      Proc proc = java(Map.of(), List.of(), "--heartbeat", dir.resolve("none").toString());

      // then
      assertThat(proc.code()).isEqualTo(10);
    }
  }
}

package io.gpukit.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeWarmUpTests {

  static final String PLATFORM = "linux-x86_64";
  static final byte[] LIBRARY = "not really ELF, only bytes to compare".getBytes(
      StandardCharsets.UTF_8);

  @TempDir
  Path tmp;

  Path jar(byte[] library) throws IOException {
    Path jar = tmp.resolve("gpukit-probe.jar");
    try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
      if (library != null) {
        zip.putNextEntry(new ZipEntry(NativeWarmUp.entry(PLATFORM)));
        zip.write(library);
        zip.closeEntry();
      }
      zip.putNextEntry(new ZipEntry("io/gpukit/probe/GpuProbe.class"));
      zip.closeEntry();
    }
    return jar;
  }

  @Nested
  class Finding_the_library {

    @Test
    void extracts_it_where_javacpp_puts_its_own() throws Exception {
      // given
      Path jar = jar(LIBRARY);
      Path cache = tmp.resolve("cache");

      // when
      Path library = NativeWarmUp.library(cache, jar, PLATFORM);

      // then
      assertThat(library).isEqualTo(cache.resolve(
          "gpukit-probe.jar/io/gpukit/probe/native/linux-x86_64/libgpukitprobe.so"));
      assertThat(library).hasBinaryContent(LIBRARY);
      assertThat(library.getParent()).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void loads_an_extracted_copy_that_matches_the_jar_in_place() throws Exception {
      // given
      Path jar = jar(LIBRARY);
      Path cache = tmp.resolve("cache");
      Path first = NativeWarmUp.library(cache, jar, PLATFORM);
      FileTime old = FileTime.fromMillis(1_000_000_000_000L);
      Files.setLastModifiedTime(first, old);

      // when
      Path second = NativeWarmUp.library(cache, jar, PLATFORM);

      // then
      assertThat(second).isEqualTo(first);
      assertThat(Files.getLastModifiedTime(second)).as("not written again").isEqualTo(old);
    }

    @Test
    void replaces_a_copy_that_differs_from_the_jar() throws Exception {
      // given
      Path jar = jar(LIBRARY);
      Path cache = tmp.resolve("cache");
      Path library = NativeWarmUp.library(cache, jar, PLATFORM);
      Files.write(library, "planted".getBytes(StandardCharsets.UTF_8));

      // when
      Path again = NativeWarmUp.library(cache, jar, PLATFORM);

      // then
      assertThat(again).hasBinaryContent(LIBRARY);
    }

    @Test
    void finds_none_when_the_jar_has_no_library_for_the_platform() throws Exception {
      // given
      Path jar = jar(null);

      // when
      Path library = NativeWarmUp.library(tmp.resolve("cache"), jar, PLATFORM);

      // then
      assertThat(library).isNull();
      assertThat(tmp.resolve("cache")).doesNotExist();
    }

    @Test
    void finds_none_outside_a_jar_or_on_another_platform() throws Exception {
      // given
      Path jar = jar(LIBRARY);

      // when / then
      assertThat(NativeWarmUp.library(tmp.resolve("cache"), null, PLATFORM)).isNull();
      assertThat(NativeWarmUp.library(tmp.resolve("cache"), jar, null)).isNull();
      assertThat(NativeWarmUp.library(null, jar, PLATFORM)).isNull();
    }
  }

  /**
   * The real library, built from src/main/c into target/classes, against a stub libcuda.so.1
   * built here with the C compiler, in a child JVM whose LD_LIBRARY_PATH finds the stub.
   */
  @Nested
  class Starting_cuda {

    static final String STUB = String.join("\n",
        "#include <stdio.h>",
        "#include <stdlib.h>",
        "#include <unistd.h>",
        "#include <sys/prctl.h>",
        "static void note(const char *call, int arg) {",
        "  FILE *f = fopen(getenv(\"STUB_LOG\"), \"a\");",
        "  if (f) { fprintf(f, \"%s %d\\n\", call, arg); fclose(f); }",
        "}",
        "int cuInit(unsigned flags) {",
        "  note(\"cuInit\", (int) flags);",
        "  if (getenv(\"STUB_THREADS\")) {",
        "    char name[17] = {0}; prctl(PR_GET_NAME, name, 0, 0, 0);",
        "    FILE *f = fopen(getenv(\"STUB_THREADS\"), \"a\");",
        "    if (f) { fprintf(f, \"cuInit on %s\\n\", name); fclose(f); }",
        "  }",
        "  if (getenv(\"STUB_CUINIT_MS\")) usleep(1000 * atoi(getenv(\"STUB_CUINIT_MS\")));",
        "  return getenv(\"STUB_CUINIT\") ? atoi(getenv(\"STUB_CUINIT\")) : 0;",
        "}",
        "int cuDeviceGetCount(int *n) { *n = 2; note(\"cuDeviceGetCount\", 2); return 0; }",
        "int cuDeviceGet(int *d, int i) { *d = 10 + i; note(\"cuDeviceGet\", i); return 0; }",
        "int cuDevicePrimaryCtxRetain(void **c, int d) {",
        "  *c = (void *) 1; note(\"cuDevicePrimaryCtxRetain\", d); return 0;",
        "}",
        "");

    record Child(String stdout, List<String> calls) {}

    Path library() {
      Path classes = codeSource(NativeWarmUp.class);
      String platform = NativeCache.platform();
      Path library = classes == null || platform == null ? null
          : classes.resolve(NativeWarmUp.entry(platform));
      assumeTrue(library != null && Files.isRegularFile(library), "libgpukitprobe.so was not built"
          + " for this platform (the build needs a C compiler on Linux x86-64 or arm64; see "
          + "src/main/c/build.sh)");
      return library;
    }

    Path stubDirectory() throws Exception {
      return buildStub(Files.createDirectories(tmp.resolve("stub")));
    }

    /**
     * Compiles {@link #STUB} into {@code dir/libcuda.so.1} with the host's {@code cc}, or skips the
     * test, saying why, where there is none.
     */
    static Path buildStub(Path dir) throws Exception {
      Path source = Files.writeString(dir.resolve("cuda_stub.c"), STUB);
      int rc;
      try {
        Process cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-Wl,-soname,libcuda.so.1",
            "-o", dir.resolve("libcuda.so.1").toString(), source.toString())
            .redirectErrorStream(true).start();
        cc.getInputStream().readAllBytes();
        rc = cc.waitFor();
      } catch (IOException e) {
        rc = -1;
      }
      assumeTrue(rc == 0, "no working C compiler (cc) here to build the stub libcuda.so.1");
      return dir;
    }

    Child child(Path stubs, String cuInitResult, int device, boolean context) throws Exception {
      Path log = tmp.resolve("calls-" + System.nanoTime() + ".txt");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          codeSource(NativeWarmUp.class) + java.io.File.pathSeparator
              + codeSource(NativeWarmUpMain.class),
          NativeWarmUpMain.class.getName(), library().toString(), Integer.toString(device),
          Boolean.toString(context)));
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().put("LD_LIBRARY_PATH", stubs == null ? "" : stubs.toString());
      pb.environment().put("STUB_LOG", log.toString());
      if (cuInitResult != null) {
        pb.environment().put("STUB_CUINIT", cuInitResult);
      }
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child JVM exits").isTrue();
      assertThat(p.exitValue()).as("child exit; output: %s", out).isZero();
      return new Child(out, Files.exists(log) ? Files.readAllLines(log) : List.of());
    }

    @Test
    void initialises_the_driver_and_retains_every_primary_context() throws Exception {
      // given
      Path stubs = stubDirectory();

      // when
      Child child = child(stubs, null, -1, true);

      // then
      assertThat(child.stdout()).isEqualTo("0");
      assertThat(child.calls()).containsExactly("cuInit 0", "cuDeviceGetCount 2",
          "cuDeviceGet 0", "cuDevicePrimaryCtxRetain 10", "cuDeviceGet 1",
          "cuDevicePrimaryCtxRetain 11");
    }

    @Test
    void retains_only_the_context_of_the_device_asked_for() throws Exception {
      // given
      Path stubs = stubDirectory();

      // when
      Child child = child(stubs, null, 1, true);

      // then
      assertThat(child.calls()).containsExactly("cuInit 0", "cuDeviceGetCount 2",
          "cuDeviceGet 1", "cuDevicePrimaryCtxRetain 11");
    }

    @Test
    void creates_no_context_for_liveness() throws Exception {
      // given
      Path stubs = stubDirectory();

      // when
      Child child = child(stubs, null, -1, false);

      // then
      assertThat(child.stdout()).isEqualTo("0");
      assertThat(child.calls()).containsExactly("cuInit 0");
    }

    @Test
    void returns_what_cuInit_returned_and_stops_there() throws Exception {
      // given
      Path stubs = stubDirectory();

      // when
      Child child = child(stubs, "100", -1, true);

      // then
      assertThat(child.stdout()).isEqualTo("100");
      assertThat(child.calls()).containsExactly("cuInit 0");
    }

    @Test
    void returns_minus_one_without_a_driver() throws Exception {
      // given
      assumeTrue(!Files.exists(Path.of("/dev/nvidiactl")), "this machine has an NVIDIA driver");
      Path empty = Files.createDirectories(tmp.resolve("empty"));

      // when
      Child child = child(empty, null, -1, true);

      // then
      assertThat(child.stdout()).isEqualTo("-1");
      assertThat(child.calls()).isEmpty();
    }
  }

  /**
   * The same library loaded as a JVM agent ({@code -agentpath}) into a child JVM whose main class,
   * {@link NativeWarmUpAgentMain}, only reports what the agent did: every call the stub logs was
   * made by the agent, before and beside {@code main}.
   */
  @Nested
  class Starting_cuda_as_a_jvm_agent {

    /**
     * What the child did: its exit code, its output, and what the stub logged, with
     * {@code main returned} where the main class wrote it ({@link #calls} leaves it out).
     */
    record Agent(int code, List<String> stdout, List<String> events) {

      List<String> calls() {
        return events.stream().filter(e -> !e.equals("main returned")).toList();
      }
    }

    Agent agent(Map<String, String> env, List<String> jvm, String... args) throws Exception {
      return agent(new Starting_cuda().library(), env, jvm, args);
    }

    Agent agent(Path agentPath, Map<String, String> env, List<String> jvm, String... args)
        throws Exception {
      return agent(agentPath, true, env, jvm, args);
    }

    /**
     * A child JVM with the library as its agent, running {@link NativeWarmUpAgentMain}: through a
     * jar named like the probe's ({@code gpukit-probe-agent-test.jar}, whose manifest names the
     * class and the class folders) when {@code asTheProbe}, else by class name, as any other program.
     */
    Agent agent(Path agentPath, boolean asTheProbe, Map<String, String> env, List<String> jvm,
        String... args) throws Exception {
      Path library = new Starting_cuda().library();
      Path stubs = Starting_cuda.buildStub(Files.createDirectories(tmp.resolve("stub")));
      Path log = tmp.resolve("calls-" + System.nanoTime() + ".txt");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-agentpath:" + agentPath, "-D" + NativeWarmUpAgentMain.LIBRARY + "=" + library));
      command.addAll(jvm);
      if (asTheProbe) {
        command.addAll(List.of("-jar", probeLikeJar().toString()));
      } else {
        command.addAll(List.of("-cp", codeSource(NativeWarmUp.class) + java.io.File.pathSeparator
            + codeSource(NativeWarmUpAgentMain.class), NativeWarmUpAgentMain.class.getName()));
      }
      command.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().put("LD_LIBRARY_PATH", stubs.toString());
      pb.environment().put("STUB_LOG", log.toString());
      pb.environment().putAll(env);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child JVM exits").isTrue();
      return new Agent(p.exitValue(), out.lines().toList(),
          Files.exists(log) ? Files.readAllLines(log) : List.of());
    }

    Path probeLikeJar() throws IOException {
      Path jar = tmp.resolve("gpukit-probe-agent-test.jar");
      if (Files.exists(jar)) {
        return jar;
      }
      java.util.jar.Manifest manifest = new java.util.jar.Manifest();
      java.util.jar.Attributes main = manifest.getMainAttributes();
      main.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
      main.put(java.util.jar.Attributes.Name.MAIN_CLASS, NativeWarmUpAgentMain.class.getName());
      main.put(java.util.jar.Attributes.Name.CLASS_PATH,
          codeSource(NativeWarmUp.class).toUri() + " " + codeSource(NativeWarmUpAgentMain.class).toUri());
      try (OutputStream out = Files.newOutputStream(jar);
          java.util.jar.JarOutputStream zip = new java.util.jar.JarOutputStream(out, manifest)) {
        zip.flush();
      }
      return jar;
    }

    @Test
    void retains_every_primary_context_for_a_readiness_run_before_main() throws Exception {
      // when
      Agent agent = agent(Map.of(), List.of(), "--mode", "readiness", "--json", "--timeout-ms",
          "900");

      // then
      assertThat(agent.code()).isZero();
      assertThat(agent.stdout()).containsExactly("agentDevice=-1");
      assertThat(agent.calls()).containsExactly("cuInit 0", "cuDeviceGetCount 2",
          "cuDeviceGet 0", "cuDevicePrimaryCtxRetain 10", "cuDeviceGet 1",
          "cuDevicePrimaryCtxRetain 11");
    }

    @Test
    void lets_cudaWarmUp_wait_for_its_start_instead_of_starting_again() throws Exception {
      // when
      Agent agent = agent(Map.of("STUB_CUINIT_MS", "300"),
          List.of("-D" + NativeWarmUpAgentMain.WAIT + "=true"), "--device=1");

      // then
      assertThat(agent.stdout()).containsExactly("agentDevice=1", "cudaWarmUp=0");
      assertThat(agent.calls()).containsExactly("cuInit 0", "cuDeviceGetCount 2",
          "cuDeviceGet 1", "cuDevicePrimaryCtxRetain 11");
    }

    @Test
    void is_the_same_library_main_loads_when_given_through_the_training_link() throws Exception {
      // given the link --cds-training makes, DIR/libgpukitprobe.so
      Path dir = Files.createDirectories(tmp.resolve("natives"));
      Path link = CdsTraining.agentLink(dir, new Starting_cuda().library());

      // when
      Agent agent = agent(link, Map.of(), List.of("-D" + NativeWarmUpAgentMain.WAIT + "=true"),
          "--json");

      // then main's System.load of the real path found the agent's state
      assertThat(Files.isSymbolicLink(link)).isTrue();
      assertThat(agent.stdout()).containsExactly("agentDevice=-1", "cudaWarmUp=0");
      assertThat(agent.calls()).containsOnlyOnce("cuInit 0");
    }

    @Test
    void is_linked_right_where_the_natives_folder_is_reached_through_a_link() throws Exception {
      // given natives/ reached through alias/ -> real/
      Path real = Files.createDirectories(tmp.resolve("real"));
      Path alias = Files.createSymbolicLink(tmp.resolve("alias"), real);
      Path natives = Files.createDirectories(alias.resolve("deep").resolve("natives"));
      Path library = Files.copy(new Starting_cuda().library(),
          Files.createDirectories(natives.resolve("gpukit-probe.jar/io/gpukit/probe/native/x"))
              .resolve(NativeWarmUp.LIBRARY));

      // when
      Path link = CdsTraining.agentLink(natives, library);

      // then
      assertThat(Files.readSymbolicLink(link).toString())
          .isEqualTo("gpukit-probe.jar/io/gpukit/probe/native/x/" + NativeWarmUp.LIBRARY);
      assertThat(Files.isSameFile(link, library)).isTrue();
    }

    @Test
    void keeps_the_jvm_from_ending_while_the_driver_is_inside_cuInit() throws Exception {
      // given main returns at once, while the stub's cuInit takes 1.8 s

      // when
      Agent agent = agent(Map.of("STUB_CUINIT_MS", "1800"), List.of(), "--mode", "deep");

      // then the JVM's end waited for the contexts, retained after main had returned
      assertThat(agent.code()).isZero();
      assertThat(agent.events()).containsExactly("cuInit 0", "main returned", "cuDeviceGetCount 2",
          "cuDeviceGet 0", "cuDevicePrimaryCtxRetain 10", "cuDeviceGet 1",
          "cuDevicePrimaryCtxRetain 11");
    }

    @Test
    void waits_at_a_halt_too_but_not_once_the_watchdog_said_so() throws Exception {
      // when
      Agent halted = agent(Map.of("STUB_CUINIT_MS", "1500"),
          List.of("-D" + NativeWarmUpAgentMain.HALT + "=wait"), "--json");
      Agent watchdog = agent(Map.of("STUB_CUINIT_MS", "1500"),
          List.of("-D" + NativeWarmUpAgentMain.HALT + "=now"), "--json");

      // then
      assertThat(halted.code()).isEqualTo(15);
      assertThat(halted.events()).containsExactly("cuInit 0", "main returned", "cuDeviceGetCount 2",
          "cuDeviceGet 0", "cuDevicePrimaryCtxRetain 10", "cuDeviceGet 1",
          "cuDevicePrimaryCtxRetain 11");
      assertThat(watchdog.code()).isEqualTo(15);
      assertThat(watchdog.events()).containsExactly("cuInit 0", "main returned");
    }

    @Test
    void starts_nothing_for_another_program_whatever_its_arguments() throws Exception {
      // when: the same class, started by name rather than from a jar named like the probe's
      Agent agent = agent(new Starting_cuda().library(), false, Map.of(), List.of(), "--json");

      // then
      assertThat(agent.stdout()).containsExactly("agentDevice=-2");
      assertThat(agent.calls()).isEmpty();
    }

    @Test
    void starts_nothing_for_liveness_heartbeat_or_help() throws Exception {
      for (String[] args : List.of(new String[] {"--mode", "liveness", "--json"},
          new String[] {"--heartbeat", "/tmp/gpu-heartbeat.json", "--max-age", "15s"},
          new String[] {"--help"})) {
        // when
        Agent agent = agent(Map.of(), List.of(), args);

        // then
        assertThat(agent.stdout()).as(String.join(" ", args)).containsExactly("agentDevice=-2");
        assertThat(agent.calls()).as(String.join(" ", args)).isEmpty();
      }
    }

    @Test
    void tells_one_argument_with_a_space_from_two() throws Exception {
      // given sun.java.command reads "... --mode readiness --json" either way

      // when
      Agent agent = agent(Map.of(), List.of(), "--mode", "readiness --json");

      // then
      assertThat(agent.stdout()).containsExactly("agentDevice=-2");
      assertThat(agent.calls()).isEmpty();
    }

    @Test
    void starts_nothing_when_the_warm_up_is_turned_off() throws Exception {
      for (String how : List.of("false", "javacpp", "late", "afterparse")) {
        // when
        Agent agent = agent(Map.of(), List.of("-Dgpukit.probe.warmup=" + how), "--json");

        // then
        assertThat(agent.stdout()).as(how).containsExactly("agentDevice=-2");
        assertThat(agent.calls()).as(how).isEmpty();
      }
    }

    @Test
    void reads_the_arguments_like_the_probe_does() throws Exception {
      // given the library in this JVM (not as an agent: only its reading of arguments is used)
      System.load(new Starting_cuda().library().toString());
      List<String[]> lines = new ArrayList<>(List.of(new String[0], new String[] {"--json"},
          new String[] {"--mode", "readiness"}, new String[] {"--mode=deep", "--sgemm-size", "64"},
          new String[] {"--sgemm-size", "64"}, new String[] {"--device", "3"},
          new String[] {"--device", "all"}, new String[] {"--device", "1024"},
          new String[] {"--device=07"}, new String[] {"--device", "-1"},
          new String[] {"--device", " 2 "}, new String[] {"--json", "--json"},
          new String[] {"--json=yes"}, new String[] {"--mode"}, new String[] {"--mode", "--json"},
          new String[] {"--mode="}, new String[] {"--mode", "liveness"},
          new String[] {"--heartbeat", "f"}, new String[] {"--help"}, new String[] {"-h"},
          new String[] {"--min-free-mib", "0"}, new String[] {"--min-free-mib", "1099511627776"},
          new String[] {"--min-free-mib", "1099511627777"}, new String[] {"--max-temp-c", "0"},
          new String[] {"--max-temp-c", "200"}, new String[] {"--max-temp-c", "201"},
          new String[] {"--timeout-ms", "3600000"}, new String[] {"--timeout-ms", "3600001"},
          new String[] {"--timeout-ms", "1234567890123456789"}, new String[] {"--timeout-ms", "+5"},
          new String[] {"--sgemm-size", "8192", "--mode", "deep"}, new String[] {""},
          new String[] {"=--json"}, new String[] {"--mode", "readiness --json"},
          new String[] {"--timeout-ms", "5 --json"}, new String[] {"--t\u00e9", "1"}));
      java.util.Random random = new java.util.Random(42);
      String[] words = {"--json", "--mode", "readiness", "deep", "liveness", "--device", "all",
          "0", "7", "--min-free-mib", "--max-temp-c", "--timeout-ms", "--sgemm-size", "900",
          "--mode=deep", "--device=2", "--timeout-ms=", "x", "--heartbeat", "-1", "99999"};
      for (int i = 0; i < 20_000; i++) {
        String[] line = new String[random.nextInt(7)];
        for (int j = 0; j < line.length; j++) {
          line[j] = words[random.nextInt(words.length)];
        }
        lines.add(line);
      }
      List<String> warmUps = java.util.Arrays.asList(null, "true", "false", "javacpp");
      int starts = 0;

      for (String[] line : lines) {
        for (String warmUp : warmUps) {
          // when
          int agent = NativeWarmUp.agentEarlyDevice(line, warmUp);
          int probe = GpuProbe.earlyDevice(line, warmUp);

          // then
          assertThat(agent).as("%s with warm-up %s", java.util.Arrays.toString(line), warmUp)
              .isEqualTo(probe);
          starts += probe == GpuProbe.NO_EARLY_START ? 0 : 1;
        }
      }
      assertThat(starts).as("lines that start the driver").isGreaterThan(1_000);
    }
  }

  static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      return null;
    }
  }
}

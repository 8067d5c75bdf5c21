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
        "static void note(const char *call, int arg) {",
        "  FILE *f = fopen(getenv(\"STUB_LOG\"), \"a\");",
        "  if (f) { fprintf(f, \"%s %d\\n\", call, arg); fclose(f); }",
        "}",
        "int cuInit(unsigned flags) {",
        "  note(\"cuInit\", (int) flags);",
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

  static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      return null;
    }
  }
}

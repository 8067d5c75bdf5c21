package io.gpukit.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeCacheTests {

  @TempDir
  Path tmp;

  @Nested
  class Choosing_the_cache_directory {

    @Test
    void keeps_an_explicit_setting() throws Exception {
      // when
      NativeCache.Choice choice = NativeCache.choose("/opt/natives", "/home/app", tmp, "app");

      // then
      assertThat(choice.directory()).isEqualTo(Path.of("/opt/natives"));
    }

    @Test
    void uses_javacpp_default_when_the_home_is_writable() throws Exception {
      // given
      Path home = Files.createDirectory(tmp.resolve("home"));

      // when
      NativeCache.Choice choice = NativeCache.choose(null, home.toString(), tmp, "app");

      // then
      assertThat(choice.directory()).isEqualTo(home.resolve(".javacpp/cache"));
    }

    @Test
    void falls_back_to_a_private_directory_under_tmp_without_a_home() throws Exception {
      // when
      NativeCache.Choice choice = NativeCache.choose(null, "/nonexistent", tmp, "?");

      // then
      assertThat(choice.directory()).startsWith(tmp).isDirectory();
      assertThat(choice.reason()).isEqualTo("user.home is not writable");
      assertThat(Files.getPosixFilePermissions(choice.directory()))
          .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void reuses_its_private_directory_on_the_next_run() throws Exception {
      // given
      Path first = NativeCache.choose(null, "?", tmp, "app").directory();

      // when
      Path second = NativeCache.choose(null, "?", tmp, "app").directory();

      // then
      assertThat(second).isEqualTo(first);
    }

    @Test
    void does_not_trust_a_directory_others_can_write_to() throws Exception {
      // given
      Path first = NativeCache.choose(null, "?", tmp, "app").directory();
      Files.setPosixFilePermissions(first, PosixFilePermissions.fromString("rwxrwxrwx"));

      // when
      Path second = NativeCache.choose(null, "?", tmp, "app").directory();

      // then
      assertThat(second).isNotEqualTo(first).startsWith(tmp);
    }
  }

  @Nested
  class Verifying_extracted_libraries {

    Path jar() throws Exception {
      Path jar = tmp.resolve("probe.jar");
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
        for (String lib : NativeCache.JNI_LIBRARIES) {
          zip.putNextEntry(new ZipEntry("org/bytedeco/" + lib.replace("%s", "linux-x86_64")));
          zip.write(("library " + lib).getBytes(java.nio.charset.StandardCharsets.UTF_8));
          zip.closeEntry();
        }
      }
      return jar;
    }

    Path extract(Path jar) throws Exception {
      Path dir = tmp.resolve("natives");
      try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
        for (ZipEntry e : java.util.Collections.list(zip.entries())) {
          Path file = dir.resolve(jar.getFileName().toString()).resolve(e.getName());
          Files.createDirectories(file.getParent());
          Files.write(file, zip.getInputStream(e).readAllBytes());
        }
      }
      return dir;
    }

    @Test
    void accepts_every_library_where_javacpp_puts_it() throws Exception {
      // given
      Path jar = jar();
      Path dir = extract(jar);

      // when
      String problem = NativeCache.verifyExtracted(dir, jar, "linux-x86_64");

      // then
      assertThat(problem).isNull();
    }

    @Test
    void refuses_a_library_that_differs_from_the_jar() throws Exception {
      // given
      Path jar = jar();
      Path dir = extract(jar);
      Path lib = dir.resolve("probe.jar/org/bytedeco/cuda/linux-x86_64/libjnicudart.so");
      byte[] bytes = Files.readAllBytes(lib);
      bytes[0] ^= 1;
      Files.write(lib, bytes);

      // when
      String problem = NativeCache.verifyExtracted(dir, jar, "linux-x86_64");

      // then
      assertThat(problem).isEqualTo("libjnicudart.so there differs from the jar's");
    }

    @Test
    void refuses_a_missing_library() throws Exception {
      // given
      Path jar = jar();
      Path dir = extract(jar);
      Files.delete(dir.resolve("probe.jar/org/bytedeco/cuda/linux-x86_64/libjninvml.so"));

      // when
      String problem = NativeCache.verifyExtracted(dir, jar, "linux-x86_64");

      // then
      assertThat(problem).isEqualTo("libjninvml.so is not extracted there");
    }

    @Test
    void leaves_a_writable_directory_without_libraries_to_javacpp() throws Exception {
      // given
      Path jar = jar();
      NativeCache.Choice choice = new NativeCache.Choice(tmp, "set by -Dx");

      // when
      NativeCache.Choice result = NativeCache.loadInPlace(choice, jar, "linux-x86_64");

      // then
      assertThat(result).isEqualTo(choice);
    }
  }
}

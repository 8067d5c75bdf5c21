package io.gpukit.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
}

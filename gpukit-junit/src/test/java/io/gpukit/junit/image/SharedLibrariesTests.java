package io.gpukit.junit.image;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SharedLibrariesTests {

  @Nested
  class Parsing_ldd_output {

    @Test
    void keeps_resolved_libraries_and_the_loader_but_not_the_vdso() {
      // given
      String output = """
          \tlinux-vdso.so.1 (0x00007ffd5a1f2000)
          \tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x00007f2752fc1000)
          \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f2752dcf000)
          \t/lib64/ld-linux-x86-64.so.2 (0x00007f2752ff8000)
          """;

      // when
      SharedLibraries.Result result = SharedLibraries.parse(output);

      // then
      assertThat(result.libraries()).containsExactly(Path.of("/lib/x86_64-linux-gnu/libz.so.1"),
          Path.of("/lib/x86_64-linux-gnu/libc.so.6"), Path.of("/lib64/ld-linux-x86-64.so.2"));
      assertThat(result.notFound()).isEmpty();
    }

    @Test
    void reports_libraries_it_could_not_find() {
      // given
      String output = """
          \tlibjvm.so => not found
          \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f901c0e8000)
          """;

      // when
      SharedLibraries.Result result = SharedLibraries.parse(output);

      // then
      assertThat(result.notFound()).containsExactly("libjvm.so");
      assertThat(result.libraries()).containsExactly(Path.of("/lib/x86_64-linux-gnu/libc.so.6"));
    }
  }
}

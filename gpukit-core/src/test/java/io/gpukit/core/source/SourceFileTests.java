package io.gpukit.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SourceFile#read} and {@link SourceHead#of}: every file that is not UTF-8 text says why. */
class SourceFileTests {

  private static SourceParseException refusal(Path file, long maxBytes) {
    try {
      SourceFile.read(file, maxBytes);
    } catch (SourceParseException e) {
      return e;
    }
    throw new AssertionError("expected " + file + " to be refused");
  }

  private static byte[] utf16le(String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_16LE);
    byte[] out = new byte[body.length + 2];
    out[0] = (byte) 0xFF;
    out[1] = (byte) 0xFE;
    System.arraycopy(body, 0, out, 2, body.length);
    return out;
  }

  @Nested
  class Reading {

    @Test
    void a_file_over_the_limit_is_too_large_and_says_its_size(@TempDir Path dir) throws IOException {
      // given
      Path file = Files.writeString(dir.resolve("big.yaml"), "x".repeat(120));

      // when
      SourceParseException e = refusal(file, 100);

      // then
      assertThat(e.problem()).isEqualTo(SourceProblem.TOO_LARGE);
      assertThat(e.reason()).isEqualTo("file is larger than the limit of 100 bytes (it has 120 bytes); gpukit did not read it");
      assertThat(e.location()).isEqualTo(SourceLocation.startOf(file));
    }

    @Test
    void a_nul_byte_is_binary_where_it_is(@TempDir Path dir) throws IOException {
      // given
      Path file = Files.write(dir.resolve("b"), new byte[] {'a', '\n', 'b', 0});

      // when
      SourceParseException e = refusal(file, 100);

      // then
      assertThat(e.problem()).isEqualTo(SourceProblem.BINARY);
      assertThat(e.location()).isEqualTo(SourceLocation.of(file, 2, 2));
    }

    @Test
    void utf_16_is_not_utf_8_and_is_named(@TempDir Path dir) throws IOException {
      // given
      Path file = Files.write(dir.resolve("u.yaml"), utf16le("kind: Pod\n"));

      // when
      SourceParseException e = refusal(file, 100);

      // then
      assertThat(e.problem()).isEqualTo(SourceProblem.NOT_UTF8);
      assertThat(e.reason()).isEqualTo("UTF-16 text (it starts with a UTF-16LE byte-order mark), not UTF-8");
    }

    @Test
    void latin_1_is_not_utf_8_where_it_starts(@TempDir Path dir) throws IOException {
      // given
      Path file = Files.write(dir.resolve("l"), "ok\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

      // when
      SourceParseException e = refusal(file, 100);

      // then
      assertThat(e.problem()).isEqualTo(SourceProblem.NOT_UTF8);
      assertThat(e.location()).isEqualTo(SourceLocation.of(file, 2, 4));
    }

    @Test
    void a_folder_is_not_a_file_and_a_missing_file_is_missing(@TempDir Path dir) {
      assertThat(refusal(dir, 100).problem()).isEqualTo(SourceProblem.NOT_A_FILE);
      assertThat(refusal(dir.resolve("nope"), 100).problem()).isEqualTo(SourceProblem.MISSING);
    }

    @Test
    void a_link_to_nothing_names_its_target(@TempDir Path dir) throws IOException {
      // given
      Path link = dir.resolve("Dockerfile");
      try {
        Files.createSymbolicLink(link, Path.of("gone"));
      } catch (UnsupportedOperationException | IOException e) {
        Assumptions.abort("symbolic links are not supported here");
      }

      // when
      SourceParseException e = refusal(link, 100);

      // then
      assertThat(e.problem()).isEqualTo(SourceProblem.MISSING);
      assertThat(e.reason()).isEqualTo("a symbolic link to nothing ('gone' does not exist)");
    }

    @Test
    void a_syntax_error_of_a_parser_is_a_syntax_problem() {
      assertThat(new SourceParseException(SourceLocation.startOf(Path.of("f")), "bad").problem())
          .isEqualTo(SourceProblem.SYNTAX);
      assertThatThrownBy(() -> new SourceParseException(SourceLocation.startOf(Path.of("f")), null, "bad", null))
          .isInstanceOf(NullPointerException.class);
    }
  }

  @Nested
  class Heads {

    @Test
    void a_readable_file_is_its_text(@TempDir Path dir) throws IOException {
      // given
      Path file = Files.writeString(dir.resolve("a.yaml"), "\uFEFFkind: Pod\n");

      // when
      SourceHead head = SourceHead.of(file);

      // then
      assertThat(head.text()).isEqualTo("kind: Pod\n");
      assertThat(head.readable()).isTrue();
    }

    @Test
    void a_file_over_the_limit_is_read_only_as_far_as_its_head(@TempDir Path dir) throws IOException {
      // given
      Path file = Files.writeString(dir.resolve("big.yaml"), "apiVersion: v1\nkind: Pod\n" + "#".repeat(3 * 1024 * 1024));

      // when
      SourceHead head = SourceHead.of(file, 2 * 1024 * 1024);

      // then
      assertThat(head.problem()).contains(SourceProblem.TOO_LARGE);
      assertThat(head.text()).startsWith("apiVersion: v1\nkind: Pod\n").hasSize(SourceHead.HEAD_BYTES);
    }

    @Test
    void utf_16_latin_1_and_binary_are_read_leniently(@TempDir Path dir) throws IOException {
      // given
      Path utf16 = Files.write(dir.resolve("u"), utf16le("kind: Pod\n"));
      Path latin1 = Files.write(dir.resolve("l"), "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
      Path binary = Files.write(dir.resolve("b"), new byte[] {'k', 'i', 'n', 'd', 0, 'x'});

      // then
      assertThat(SourceHead.of(utf16)).isEqualTo(new SourceHead("kind: Pod\n", Optional.of(SourceProblem.NOT_UTF8)));
      assertThat(SourceHead.of(latin1)).isEqualTo(new SourceHead("name: caf\uFFFD\n", Optional.of(SourceProblem.NOT_UTF8)));
      assertThat(SourceHead.of(binary)).isEqualTo(new SourceHead("kind", Optional.of(SourceProblem.BINARY)));
    }

    @Test
    void what_is_not_a_regular_file_is_never_opened(@TempDir Path dir) {
      assertThat(SourceHead.of(dir)).isEqualTo(new SourceHead("", Optional.of(SourceProblem.NOT_A_FILE)));
      assertThat(SourceHead.of(dir.resolve("nope"))).isEqualTo(new SourceHead("", Optional.of(SourceProblem.MISSING)));
    }
  }
}

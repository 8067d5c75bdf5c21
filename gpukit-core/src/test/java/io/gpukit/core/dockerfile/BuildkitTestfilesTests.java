package io.gpukit.core.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceParseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BuildKit's parser testfiles, ported verbatim, checked the way {@code TestParseCases} and {@code
 * TestParseErrorCases} in moby/buildkit {@code frontend/dockerfile/parser/parser_test.go} check
 * them: each {@code Dockerfile} is parsed and its syntax tree, dumped like BuildKit's {@code
 * Node.Dump()}, must equal {@code result} line by line; each negative file must fail.
 *
 * <p>Where each file comes from (the fixtures cannot carry a comment: a first line would change
 * parser directives and line numbers):
 *
 * <ul>
 *   <li>{@code docker}, {@code health}, {@code influxdb}: moby/buildkit {@code
 *       frontend/dockerfile/parser/testfiles/<name>/} (docker and influxdb at commit 9625f8c00c15;
 *       health's Dockerfile at 20c7fda41c69, its result at aa7bb7fc6e78).
 *   <li>All others: the same files as BuildKit inherited them from moby, {@code
 *       builder/dockerfile/parser/testfiles/<name>/} and {@code testfiles-negative/<name>/} at
 *       commit ffbc52f24741 of a moby fork (cpatrut/moby). The {@code result} of {@code escape}
 *       and {@code escape-after-comment} is byte-identical to {@code escape-nonewline/result},
 *       which is where the stored copy was read.
 * </ul>
 *
 * <p>Two adaptations, both to follow BuildKit's current parser rather than the older copies:
 *
 * <ul>
 *   <li>ENV and LABEL: since moby/buildkit#4923 (2024) {@code parseNameVal} in {@code
 *       line_parsers.go} appends a separator node to every pair ({@code newKeyValueNode(key, value,
 *       sep)}): {@code ""} for the legacy {@code KEY value} form, {@code "="} for {@code
 *       KEY=value}. {@code Node.Dump()} prints every node, so the results carry that third value.
 *   <li>{@code escape-nonewline} reads {@code # escape = `} (one backtick); the moby copy has two,
 *       which moby's old directive regex cut to the first character. BuildKit's {@code
 *       reDirectives} takes the whole value and {@code setEscapeToken} rejects {@code ``}, so only
 *       the one-backtick file can pass its {@code TestParseCases}.
 * </ul>
 *
 * <p>Not ported: {@code empty-line-after-escape} and {@code escape_whitespace} (moby only): they
 * pin behaviour that BuildKit has since changed (an empty line no longer ends a continuation, see
 * {@code escapes}; a directive is read after leading blanks are trimmed), and neither is among
 * BuildKit's testfiles.
 *
 * <p>gpukit's parser also applies BuildKit's instruction layer ({@code
 * frontend/dockerfile/instructions/parse.go}), which rejects some files that BuildKit's parser alone
 * accepts. For those, {@link Case#rejection()} names the instruction layer's reason: the whole file
 * must fail with it, at a location, while the syntax tree alone must still match {@code result}.
 */
class BuildkitTestfilesTests {

  private static final String ROOT = "/fixtures/dockerfile/parser/buildkit/";

  /** A testfile and, when the instruction layer rejects it, the reason. */
  record Case(String name, String rejection, int line) {
    static Case accepted(String name) {
      return new Case(name, null, 0);
    }

    static Case rejected(String name, String rejection, int line) {
      return new Case(name, rejection, line);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> testfiles() {
    return Stream.of(
        Case.accepted("ADD-COPY-with-JSON"),
        Case.accepted("brimstone-consuldock"),
        Case.accepted("brimstone-docker-consul"),
        Case.accepted("continue-at-eof"),
        Case.accepted("continueIndent"),
        Case.accepted("cpuguy83-nagios"),
        Case.accepted("docker"),
        Case.accepted("env"),
        Case.accepted("escape"),
        Case.accepted("escape-after-comment"),
        Case.accepted("escape-nonewline"),
        Case.accepted("escapes"),
        // BFlags.Parse in the instruction layer: COPY has no --user (nor --doit) flag.
        Case.rejected("flags", "unknown flag: user", 3),
        // parseHealthcheck: a bare HEALTHCHECK (and HEALTHCHECK CMD, HEALTHCHECK CONNECT) fail.
        Case.rejected("health", "HEALTHCHECK requires at least one argument", 4),
        Case.accepted("influxdb"),
        // instructions.Parse: these files have no FROM, so CMD has no stage to belong to.
        Case.rejected(
            "jeztah-invalid-json-json-inside-string", "no build stage in current context", 1),
        Case.rejected(
            "jeztah-invalid-json-json-inside-string-double",
            "no build stage in current context",
            1),
        Case.rejected("jeztah-invalid-json-single-quotes", "no build stage in current context", 1),
        Case.rejected(
            "jeztah-invalid-json-unterminated-bracket", "no build stage in current context", 1),
        Case.rejected(
            "jeztah-invalid-json-unterminated-string", "no build stage in current context", 1),
        Case.rejected("json", "no build stage in current context", 1),
        Case.accepted("kartar-entrypoint-oddities"),
        Case.accepted("lk4d4-the-edge-case-generator"),
        Case.accepted("mail"),
        Case.accepted("multiple-volumes"),
        Case.accepted("mumble"),
        Case.accepted("nginx"),
        Case.accepted("tf2"),
        Case.accepted("weechat"),
        Case.accepted("znc"));
  }

  /** testfiles-negative: the file and the message BuildKit's parser fails with. */
  static Stream<List<Object>> negative() {
    return Stream.of(
        List.of("env_no_value", "ENV must have two arguments", 3),
        List.of("shykes-nested-json", LineParsers.NOT_STRING_ARRAY, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("testfiles")
  void parser_dumps_like_the_result_file(Case testfile) {
    // given
    SourceFile file = source(testfile.name() + "/Dockerfile");
    List<String> expected = resultLines(testfile.name());

    // when
    List<RawNode> nodes = DockerfileParser.syntax(file);

    // then
    assertThat(nodes).map(BuildkitTestfilesTests::dump).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("testfiles")
  void model_dumps_like_the_result_file_or_fails_as_the_instruction_layer(Case testfile) {
    // given
    SourceFile file = source(testfile.name() + "/Dockerfile");
    List<String> expected = resultLines(testfile.name());

    // when
    Throwable thrown = catchThrowable(() -> DockerfileParser.parse(file));

    // then
    if (testfile.rejection() == null) {
      assertThat(thrown).isNull();
      Dockerfile parsed = DockerfileParser.parse(file);
      assertThat(parsed.instructions())
          .map(BuildkitTestfilesTests::dump)
          .containsExactlyElementsOf(expected);
    } else {
      assertThat(thrown).isInstanceOf(SourceParseException.class);
      SourceParseException failure = (SourceParseException) thrown;
      assertThat(failure.reason()).isEqualTo(testfile.rejection());
      assertThat(failure.location().line()).isEqualTo(testfile.line());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("negative")
  void negative_testfiles_fail_at_a_location(List<Object> testfile) {
    // given
    SourceFile file = source("negative/" + testfile.get(0) + "/Dockerfile");

    // when
    Throwable syntax = catchThrowable(() -> DockerfileParser.syntax(file));
    Throwable model = catchThrowable(() -> DockerfileParser.parse(file));

    // then
    for (Throwable thrown : List.of(syntax, model)) {
      assertThat(thrown).isInstanceOf(SourceParseException.class);
      SourceParseException failure = (SourceParseException) thrown;
      assertThat(failure.reason()).isEqualTo(testfile.get(1));
      assertThat(failure.location().line()).isEqualTo(testfile.get(2));
      assertThat(failure.location().column()).isPositive();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // BuildKit's Node.Dump(): "(" + lower-case keyword [+ " " + %q of the flags] + " " + each
  // argument with strconv.Quote + ")", an ONBUILD trigger nested as its own "(...)".

  static String dump(RawNode node) {
    StringBuilder out = new StringBuilder("(").append(node.lowerCommand());
    appendFlags(out, node.flags());
    if (node.child() != null) {
      return out.append(' ').append(dump(node.child())).append(')').toString();
    }
    node.args().forEach(arg -> out.append(' ').append(quote(arg)));
    return out.append(')').toString();
  }

  static String dump(Instruction instruction) {
    StringBuilder out = new StringBuilder("(").append(instruction.keyword().toLowerCase());
    appendFlags(out, instruction.flags().stream().map(Flag::raw).toList());
    if (instruction instanceof Onbuild onbuild) {
      return out.append(' ').append(dump(onbuild.nested())).append(')').toString();
    }
    instruction.args().forEach(arg -> out.append(' ').append(quote(arg)));
    return out.append(')').toString();
  }

  private static void appendFlags(StringBuilder out, List<String> flags) {
    if (!flags.isEmpty()) {
      out.append(' ')
          .append(
              flags.stream()
                  .map(BuildkitTestfilesTests::quote)
                  .collect(Collectors.joining(" ", "[", "]")));
    }
  }

  /** Go's {@code strconv.Quote}: printable runes as they are, the rest escaped. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x0B -> out.append("\\v");
                default -> {
                  if (printable(c)) {
                    out.appendCodePoint(c);
                  } else if (c < 0x80) {
                    out.append(String.format("\\x%02x", c));
                  } else if (c <= 0xFFFF) {
                    out.append(String.format("\\u%04x", c));
                  } else {
                    out.append(String.format("\\U%08x", c));
                  }
                }
              }
            });
    return out.append('"').toString();
  }

  private static boolean printable(int c) {
    if (c < 0x20 || c == 0x7F) {
      return false;
    }
    if (c == ' ') {
      return true;
    }
    int type = Character.getType(c);
    return !Character.isWhitespace(c)
        && type != Character.CONTROL
        && type != Character.FORMAT
        && type != Character.SURROGATE
        && type != Character.PRIVATE_USE
        && type != Character.UNASSIGNED
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR
        && type != Character.SPACE_SEPARATOR;
  }

  // ---------------------------------------------------------------------------------------------

  private static SourceFile source(String relative) {
    return SourceFile.of(Path.of("Dockerfile"), read(relative));
  }

  /** The result file's lines: {@code Dump()} plus one final newline, as parser_test.go reads. */
  private static List<String> resultLines(String name) {
    String text = read(name + "/result");
    assertThat(text).endsWith("\n");
    return new ArrayList<>(Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1)));
  }

  private static String read(String relative) {
    try (InputStream in = BuildkitTestfilesTests.class.getResourceAsStream(ROOT + relative)) {
      assertThat(in).as(relative).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

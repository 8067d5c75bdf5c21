package io.gpukit.core.dockerfile;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import io.gpukit.core.source.SourceParseException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exec form's JSON against Go's {@code encoding/json}, which BuildKit's {@code parseJSON}
 * (moby/buildkit, {@code frontend/dockerfile/parser/line_parsers.go}) decodes it with: {@code
 * json.Unmarshal} into {@code []any}, then a string check on every element.
 */
class JsonStringArrayTests {

  /** The text is not one JSON array: the instruction is shell form. */
  private static final String NOT_JSON = "not JSON";

  /** The text is a JSON array holding something else than strings: the instruction fails. */
  private static final String NOT_STRINGS = "not a string array";

  private static Object decoded(String text) {
    try {
      List<String> strings = JsonStringArray.decode(text);
      return strings == null ? NOT_JSON : strings;
    } catch (LineParsers.LineException e) {
      return e.getMessage().equals(LineParsers.NOT_STRING_ARRAY) ? NOT_STRINGS : e;
    }
  }

  private static Arguments row(String text, Object expected) {
    return Arguments.of(text, expected);
  }

  private static List<String> strings(String... strings) {
    return List.of(strings);
  }

  @Nested
  class decoding {

    static Stream<Arguments> table() {
      return Stream.of(
          // arrays of strings
          row("[]", strings()),
          row("[ \t\r\n]", strings()),
          row("[\"\"]", strings("")),
          row("[\"a\"]", strings("a")),
          row("[\"java\", \"-jar\", \"x.jar\"]", strings("java", "-jar", "x.jar")),
          row("\n\t [ \"a\" ,\r\n\"b\" ] \t\r\n", strings("a", "b")),
          row("[\"a\",\"a\"]", strings("a", "a")),
          row("[\"日本\", \"😀\", \"\u007f\"]", strings("日本", "😀", "\u007f")),
          // escapes
          row("[\"\\\" \\\\ \\/\"]", strings("\" \\ /")),
          row("[\"\\b\\f\\n\\r\\t\"]", strings("\b\f\n\r\t")),
          row("[\"\\u0041\\u00e9\\u00E9\\u0000\"]", strings("Aéé\u0000")),
          row("[\"\\ud83d\\ude00\"]", strings("😀")),
          row("[\"\\uD83D\\uDE00x\"]", strings("😀x")),
          row("[\"\\ud800\"]", strings("\uFFFD")),
          row("[\"\\ude00\"]", strings("\uFFFD")),
          row("[\"\\ud800x\"]", strings("\uFFFDx")),
          row("[\"\\ud800\\u0041\"]", strings("\uFFFDA")),
          row("[\"\\ud800\\ud800\\udc00\"]", strings("\uFFFD\uD800\uDC00")),
          row("[\"\\ude00\\ud83d\"]", strings("\uFFFD\uFFFD")),
          row("[\"\\ud800\\n\"]", strings("\uFFFD\n")),
          // not JSON: shell form
          row("", NOT_JSON),
          row("[", NOT_JSON),
          row("[\"a\"", NOT_JSON),
          row("[\"a\", \"b\"", NOT_JSON),
          row("[\"a]", NOT_JSON),
          row("[\"a\",]", NOT_JSON),
          row("[,\"a\"]", NOT_JSON),
          row("[\"a\" \"b\"]", NOT_JSON),
          row("[\"a\",,\"b\"]", NOT_JSON),
          row("['a']", NOT_JSON),
          row("[a]", NOT_JSON),
          row("[ not json ]", NOT_JSON),
          row("[\"a\"] x", NOT_JSON),
          row("[\"a\"][]", NOT_JSON),
          row("[\"a\"]]", NOT_JSON),
          row("[\"a\"]\u000b", NOT_JSON),
          row("[\"a\"]\u00a0", NOT_JSON),
          row("[\u00a0\"a\"]", NOT_JSON),
          row("[\f\"a\"]", NOT_JSON),
          row("\"a\"", NOT_JSON),
          row("{}", NOT_JSON),
          row("[\"a\tb\"]", NOT_JSON),
          row("[\"a\nb\"]", NOT_JSON),
          row("[\"\u0000\"]", NOT_JSON),
          row("[\"\\a\"]", NOT_JSON),
          row("[\"\\'\"]", NOT_JSON),
          row("[\"\\x41\"]", NOT_JSON),
          row("[\"\\U0041\"]", NOT_JSON),
          row("[\"\\u004\"]", NOT_JSON),
          row("[\"\\u004g\"]", NOT_JSON),
          row("[\"\\u٠٠٤١\"]", NOT_JSON),
          row("[\"\\ud800\\u12\"]", NOT_JSON),
          row("[\"a\\\"]", NOT_JSON),
          row("[\"a\\", NOT_JSON),
          // a syntax error anywhere wins over a non-string element, as in Go
          row("[1, \"a\"", NOT_JSON),
          row("[1, 'a']", NOT_JSON),
          row("[1] trailing", NOT_JSON),
          row("[01]", NOT_JSON),
          row("[1.]", NOT_JSON),
          row("[.5]", NOT_JSON),
          row("[-]", NOT_JSON),
          row("[+1]", NOT_JSON),
          row("[1e]", NOT_JSON),
          row("[1e+]", NOT_JSON),
          row("[0x10]", NOT_JSON),
          row("[NaN]", NOT_JSON),
          row("[Infinity]", NOT_JSON),
          row("[True]", NOT_JSON),
          row("[nul]", NOT_JSON),
          row("[nullx]", NOT_JSON),
          row("[[]", NOT_JSON),
          row("[[\"a\"]]]", NOT_JSON),
          row("[[1,]]", NOT_JSON),
          row("[{]", NOT_JSON),
          row("[{\"a\"}]", NOT_JSON),
          row("[{\"a\":}]", NOT_JSON),
          row("[{\"a\":1,}]", NOT_JSON),
          row("[{a:1}]", NOT_JSON),
          row("[{1:1}]", NOT_JSON),
          row("[{\"a\":1]", NOT_JSON),
          row("[[}]", NOT_JSON),
          row("[/* c */ \"a\"]", NOT_JSON),
          // a number beyond float64 fails json.Unmarshal itself, non-string or not
          row("[1e309]", NOT_JSON),
          row("[-1e309]", NOT_JSON),
          row("[1.7976931348623159e308]", NOT_JSON),
          row("[1" + "0".repeat(400) + "]", NOT_JSON),
          row("[\"a\", {\"b\": [1e400]}]", NOT_JSON),
          // JSON, but not only strings: an error
          row("[42]", NOT_STRINGS),
          row("[\"a\",42,\"b\"]", NOT_STRINGS),
          row("[\"a\",123.456,\"b\"]", NOT_STRINGS),
          row("[-0, 0, -1.5e+10, 2E-3, 7e5]", NOT_STRINGS),
          row("[0." + "5".repeat(2_000) + "]", NOT_STRINGS),
          row("[1e-400]", NOT_STRINGS),
          row("[1.7976931348623157e308]", NOT_STRINGS),
          row("[true]", NOT_STRINGS),
          row("[false]", NOT_STRINGS),
          row("[null]", NOT_STRINGS),
          row("[\"a\",null,\"b\"]", NOT_STRINGS),
          row("[[]]", NOT_STRINGS),
          row("[[\"c\"]]", NOT_STRINGS),
          row("[\"a\",[\"c\"],\"b\"]", NOT_STRINGS),
          row("[{}]", NOT_STRINGS),
          row("[ { } ]", NOT_STRINGS),
          row("[{\"a\":1, \"a\":[true, {\"b\":null}]}]", NOT_STRINGS),
          row("[\"a\",{},\"b\"]", NOT_STRINGS),
          row("[1, \"\\ud800\"]", NOT_STRINGS));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("table")
    void decodes_as_go_json_unmarshal_into_a_slice(String text, Object expected) {
      // when
      Object actual = decoded(text);

      // then
      assertThat(actual).isEqualTo(expected);
    }
  }

  @Nested
  class nesting {

    private static String nested(int levels) {
      return "[".repeat(levels) + "]".repeat(levels);
    }

    @Test
    void ten_thousand_levels_are_json() {
      // given: encoding/json's scanner, maxNestingDepth = 10000
      String text = nested(JsonStringArray.MAX_DEPTH);

      // when
      Object actual = decoded(text);

      // then
      assertThat(actual).isEqualTo(NOT_STRINGS);
    }

    @Test
    void one_level_more_is_not_json() {
      // given
      String text = nested(JsonStringArray.MAX_DEPTH + 1);

      // when
      Object actual = decoded(text);

      // then
      assertThat(actual).isEqualTo(NOT_JSON);
    }

    @Test
    void the_limit_counts_objects_too() {
      // given: the top array, then 9,999 objects
      int objects = JsonStringArray.MAX_DEPTH - 1;
      String open = "[" + "{\"k\":".repeat(objects);
      String close = "}".repeat(objects) + "]";

      // when
      Object deepest = decoded(open + "1" + close);
      Object tooDeep = decoded(open + "[]" + close);

      // then
      assertThat(deepest).isEqualTo(NOT_STRINGS);
      assertThat(tooDeep).isEqualTo(NOT_JSON);
    }

    @Test
    void a_million_open_brackets_are_not_json_and_do_not_overflow_the_stack() {
      // given
      String text = "[".repeat(1_000_000);

      // when
      Object actual = decoded(text);

      // then
      assertThat(actual).isEqualTo(NOT_JSON);
    }
  }

  @Nested
  class in_a_dockerfile {

    private Dockerfile parse(String text) {
      return Dockerfile.parse(Path.of("Dockerfile"), text);
    }

    @Test
    void escapes_decode_in_exec_form() {
      // given
      String text = "FROM scratch\nCMD [\"echo\", \"\\u00e9\\t\\ud83d\\ude00\", \"\\ud800\"]\n";

      // when
      Cmd cmd = parse(text).finalStage().instructionsOf(Cmd.class).get(0);

      // then
      assertThat(cmd.form()).isEqualTo(Form.EXEC);
      assertThat(cmd.command()).containsExactly("echo", "é\t😀", "\uFFFD");
    }

    @Test
    void every_json_instruction_falls_back_on_bad_json() {
      // given
      String text =
          "FROM scratch\nCMD [\"a\",]\nENTRYPOINT [\"a\" \"b\"]\nRUN [\"a\"]]\n"
              + "SHELL [\"sh\", \"-c\"]\nCOPY [\"a\" ,\"/b/\"] x\nVOLUME [\"/v\"\n"
              + "HEALTHCHECK CMD [\"true\",]\n";

      // when
      List<Instruction> all = parse(text).finalStage().instructions();

      // then
      assertThat(all).map(Instruction::form)
          .containsExactly(
              Form.SHELL, Form.SHELL, Form.SHELL, Form.EXEC, Form.SHELL, Form.SHELL, Form.SHELL);
      assertThat(all.get(4).args()).containsExactly("[\"a\"", ",\"/b/\"]", "x");
      assertThat(all.get(5).args()).containsExactly("[\"/v\"");
    }

    @Test
    void a_nested_array_is_located_where_the_instruction_starts() {
      // given
      String text = "FROM scratch\nRUN echo\nCOPY [\"a\", [\"b\"], \"/c/\"]\n";

      // when
      Throwable thrown = catchThrowable(() -> parse(text));

      // then
      assertThat(thrown)
          .isInstanceOfSatisfying(
              SourceParseException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(LineParsers.NOT_STRING_ARRAY);
                assertThat(e.location().render()).isEqualTo("Dockerfile:3:1");
              });
    }
  }

  @Nested
  class start_up {

    @Test
    void parsing_a_dockerfile_loads_no_json_library() {
      // given: a JSON library's first use costs a cold start a quarter of a second of CPU
      JavaClasses dockerfilePackage =
          new ClassFileImporter()
              .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
              .importPackages("io.gpukit.core.dockerfile");

      // when
      EvaluationResult result =
          noClasses()
              .that()
              .doNotHaveSimpleName("DockerfileJson")
              .should()
              .dependOnClassesThat()
              .resideInAPackage("com.fasterxml.jackson..")
              .because("only `gpukit parse` prints JSON; every check parses Dockerfiles")
              .evaluate(dockerfilePackage);

      // then
      assertThat(dockerfilePackage.contain(LineParsers.class)).isTrue();
      assertThat(result.getFailureReport().getDetails()).isEmpty();
    }
  }
}

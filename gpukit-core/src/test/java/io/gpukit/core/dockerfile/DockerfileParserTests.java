package io.gpukit.core.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceParseException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parser against BuildKit's own cases. Each test names where BuildKit specifies the behaviour
 * (moby/buildkit, {@code frontend/dockerfile/parser} unless said otherwise).
 */
class DockerfileParserTests {

  private static final Path FILE = Path.of("Dockerfile");

  static Dockerfile parse(String text) {
    return Dockerfile.parse(FILE, text);
  }

  static SourceParseException failure(String text) {
    Throwable thrown = catchThrowable(() -> parse(text));
    assertThat(thrown).isInstanceOf(SourceParseException.class);
    return (SourceParseException) thrown;
  }

  /** BuildKit's {@code Node.Dump}: {@code (keyword ["flags"] "arg" ...)}, as its result files. */
  static String dump(Instruction instruction) {
    StringBuilder out = new StringBuilder("(").append(instruction.keyword().toLowerCase());
    if (!instruction.flags().isEmpty()) {
      out.append(' ')
          .append(
              instruction.flags().stream()
                  .map(f -> quote(f.raw()))
                  .collect(Collectors.joining(" ", "[", "]")));
    }
    if (instruction instanceof Onbuild onbuild) {
      return out.append(' ').append(dump(onbuild.nested())).append(')').toString();
    }
    for (String arg : instruction.args()) {
      out.append(' ').append(quote(arg));
    }
    return out.append(')').toString();
  }

  /** Go's {@code strconv.Quote} for the characters the fixtures use. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }

  static Path fixture(String name) {
    try {
      return Path.of(
          DockerfileParserTests.class
              .getResource("/fixtures/dockerfile/parser/" + name)
              .toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Nested
  class result_files {

    // gpukit's own cases in BuildKit's result-file format, for what BuildKit's testfiles do not
    // cover (HEALTHCHECK NONE, heredocs after parser_heredoc_test.go). BuildKit's real testfiles are
    // checked by BuildkitTestfilesTests.
    @ParameterizedTest
    @ValueSource(strings = {"health", "heredocs"})
    void parse_like_buildkit_result_files(String name) throws IOException {
      // given
      Path dockerfile = fixture(name + ".Dockerfile");
      List<String> expected =
          Files.readAllLines(fixture(name + ".result"), StandardCharsets.UTF_8);

      // when
      Dockerfile parsed = Dockerfile.parse(dockerfile);

      // then
      assertThat(parsed.instructions()).map(DockerfileParserTests::dump).isEqualTo(expected);
    }
  }

  @Nested
  class directives {

    @Test
    void reads_syntax_escape_and_check_in_any_case() {
      // given: directives_test.go TestDirectiveParser (names are case-insensitive)
      String text = "# Syntax = docker/dockerfile:1\n#ESCAPE=`\n# check=skip=all\nFROM scratch\n";

      // when
      Dockerfile parsed = parse(text);

      // then
      assertThat(parsed.directives())
          .extracting(Directive::name, Directive::value)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("syntax", "docker/dockerfile:1"),
              org.assertj.core.groups.Tuple.tuple("escape", "`"),
              org.assertj.core.groups.Tuple.tuple("check", "skip=all"));
      assertThat(parsed.escapeChar()).isEqualTo('`');
      assertThat(parsed.directives().get(1).location().line()).isEqualTo(2);
    }

    @Test
    void repeated_directive_is_an_error_at_its_line() {
      // given: directives_test.go ("only one escape parser directive can be used")
      String text = "# escape=\\\n# escape=`\nFROM scratch\n";

      // when
      SourceParseException e = failure(text);

      // then
      assertThat(e.reason()).isEqualTo("only one escape parser directive can be used");
      assertThat(e.location().line()).isEqualTo(2);
    }

    @Test
    void invalid_escape_token_is_an_error() {
      // given: parser.go setEscapeToken
      String text = "# escape=x\nFROM scratch\n";

      // when
      SourceParseException e = failure(text);

      // then
      assertThat(e.reason()).isEqualTo("invalid escape token 'x' does not match ` or \\");
      assertThat(e.location().render()).isEqualTo("Dockerfile:1:1");
    }

    @Test
    void directive_after_a_blank_line_an_unknown_directive_or_an_instruction_is_a_comment() {
      // given: directives_test.go (directives must precede any comment, blank line or
      // instruction)
      String afterBlank = "\n# escape=`\nFROM scratch\n";
      String afterUnknown = "# foo=bar\n# escape=`\nFROM scratch\n";
      String afterInstruction = "FROM scratch\n# escape=`\n# escape=`\n";

      // when / then
      assertThat(parse(afterBlank).escapeChar()).isEqualTo('\\');
      assertThat(parse(afterBlank).directives()).isEmpty();
      assertThat(parse(afterUnknown).escapeChar()).isEqualTo('\\');
      assertThat(parse(afterInstruction).directives()).isEmpty();
    }

    @Test
    void backtick_escape_continues_lines_and_keeps_backslashes() {
      // given: testfiles/escape (Windows paths stay as written)
      String text = "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir c:\\ `\n  && echo hi\n";

      // when
      Run run = parse(text).finalStage().instructionsOf(Run.class).get(0);

      // then
      assertThat(run.args()).containsExactly("dir c:\\   && echo hi");
      assertThat(run.startLine()).isEqualTo(3);
      assertThat(run.endLine()).isEqualTo(4);
    }
  }

  @Nested
  class continuations {

    @Test
    void drops_comment_and_empty_lines_and_keeps_whitespace_as_buildkit_joins() {
      // given: parser_test.go TestParseWarnsOnEmptyContinutationLine and the comment case of
      // testfiles/lk4d4-the-edge-case-generator
      String text =
          "FROM scratch\nRUN echo a \\\n\n  # a comment \\\n    b \\  \n\t\n  c\nCMD x\n";

      // when
      Dockerfile parsed = parse(text);

      // then
      Run run = parsed.finalStage().instructionsOf(Run.class).get(0);
      assertThat(run.args()).containsExactly("echo a     b   c");
      assertThat(run.startLine()).isEqualTo(2);
      assertThat(run.endLine()).isEqualTo(7);
      assertThat(run.original())
          .isEqualTo("RUN echo a \\\n\n  # a comment \\\n    b \\  \n\t\n  c");
      assertThat(parsed.instructions().get(2).startLine()).isEqualTo(8);
    }

    @Test
    void escaped_escape_at_end_of_line_does_not_continue() {
      // given: parser.go setEscapeToken (regex ([^\\])\\[ \t]*$ needs a non-escape before it)
      String text = "FROM scratch\nRUN echo \\\\\nCMD x\n";

      // when
      Dockerfile parsed = parse(text);

      // then
      assertThat(parsed.instructions()).map(Instruction::keyword)
          .containsExactly("FROM", "RUN", "CMD");
      assertThat(parsed.instructions().get(1).args()).containsExactly("echo \\\\");
    }

    @Test
    void crlf_line_endings_are_trimmed() {
      // given: parser.go trimNewline
      String text = "FROM scratch\r\nRUN a \\\r\n b\r\n";

      // when
      Run run = parse(text).finalStage().instructionsOf(Run.class).get(0);

      // then
      assertThat(run.args()).containsExactly("a  b");
      assertThat(run.original()).isEqualTo("RUN a \\\n b");
    }

    @Test
    void keyword_location_is_its_column_after_indentation() {
      // given: parser_test.go TestParseIncludesLineNumbers
      String text = "FROM scratch\n\n   RUN x\n";

      // when
      Instruction run = parse(text).instructions().get(1);

      // then
      assertThat(run.location().render()).isEqualTo("Dockerfile:3:4");
    }
  }

  @Nested
  class exec_and_shell_form {

    @Test
    void json_arrays_of_strings_are_exec_form() {
      // given: json_test.go TestJSONArraysOfStrings (valid cases)
      String text =
          "FROM scratch\nCMD []\nCMD [\"\"]\nCMD \t[\t\"a\",\t\"b\"\t]\t\n"
              + "CMD [\"\\\" \\\\ \\/ \\n \\u0041\"]\nCMD [\"a\"] \t\n";

      // when
      List<Cmd> cmds = parse(text).finalStage().instructionsOf(Cmd.class);

      // then
      assertThat(cmds).allMatch(c -> c.form() == Form.EXEC);
      assertThat(cmds).map(Cmd::command)
          .containsExactly(
              List.of(), List.of(""), List.of("a", "b"), List.of("\" \\ / \n A"), List.of("a"));
    }

    @Test
    void invalid_json_falls_back_to_shell_form() {
      // given: line_parsers.go parseMaybeJSON (a decode error means shell form); since
      // moby/buildkit#5107 parseJSON uses json.Unmarshal, so text after the array is an error too
      String text =
          "FROM scratch\nCMD [\"a\", \"b\"\nCMD ['a']\nRUN [ not json ]\n"
              + "RUN [\"ls\"]random symbols\nENTRYPOINT [1] trailing\n";

      // when
      List<Instruction> all = parse(text).finalStage().instructions();

      // then
      assertThat(all).allMatch(i -> i.form() == Form.SHELL);
      assertThat(all).map(Instruction::args)
          .containsExactly(
              List.of("[\"a\", \"b\""),
              List.of("['a']"),
              List.of("[ not json ]"),
              List.of("[\"ls\"]random symbols"),
              List.of("[1] trailing"));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "[\"a\",42,\"b\"]",
          "[\"a\",123.456,\"b\"]",
          "[\"a\",{},\"b\"]",
          "[\"a\",[\"c\"],\"b\"]",
          "[\"a\",true,\"b\"]",
          "[\"a\",null,\"b\"]"
        })
    void json_arrays_with_non_strings_are_an_error(String array) {
      // given: json_test.go TestJSONArraysOfStrings (invalid cases)
      String text = "FROM scratch\nCMD " + array + "\n";

      // when
      SourceParseException e = failure(text);

      // then
      assertThat(e.reason())
          .isEqualTo("when using JSON array syntax, arrays must be comprised of strings only");
      assertThat(e.location().render()).isEqualTo("Dockerfile:2:1");
    }

    @Test
    void copy_and_volume_split_shell_form_on_whitespace() {
      // given: line_parsers.go parseMaybeJSONToList, testfiles/multiple-volumes
      String text = "FROM scratch\nVOLUME /a \t /b\nCOPY a  b /c/\n";

      // when
      Stage stage = parse(text).finalStage();

      // then
      assertThat(stage.instructionsOf(Volume.class).get(0).volumes()).containsExactly("/a", "/b");
      Copy copy = stage.instructionsOf(Copy.class).get(0);
      assertThat(copy.sources()).containsExactly("a", "b");
      assertThat(copy.destination()).isEqualTo("/c/");
      assertThat(copy.form()).isEqualTo(Form.SHELL);
    }

    @Test
    void shell_requires_json() {
      // given: instructions/parse.go parseShell
      SourceParseException e = failure("FROM scratch\nSHELL bash -c\n");

      // then
      assertThat(e.reason()).isEqualTo("SHELL requires the arguments to be in JSON form");
    }
  }

  @Nested
  class heredocs {

    @Test
    void several_per_line_with_their_bodies_in_the_line_range() {
      // given: parser_heredoc_test.go TestParseHeredocs (multiple heredocs on one line)
      Dockerfile parsed = Dockerfile.parse(fixture("heredocs.Dockerfile"));

      // when
      Copy copy = parsed.finalStage().instructionsOf(Copy.class).get(0);

      // then
      assertThat(copy.heredocs())
          .containsExactly(
              new Heredoc("file1", "content 1\n", true, false),
              new Heredoc("file2", "content 2\n", true, false));
      assertThat(copy.startLine()).isEqualTo(3);
      assertThat(copy.endLine()).isEqualTo(7);
      assertThat(copy.original()).endsWith("content 2\nfile2");
    }

    @Test
    void chomp_quotes_and_expansion() {
      // given: parser_heredoc_test.go (<<- strips tabs, quoted delimiters do not expand)
      List<Run> runs =
          Dockerfile.parse(fixture("heredocs.Dockerfile")).finalStage().instructionsOf(Run.class);

      // when
      Heredoc chomped = runs.get(0).heredocs().get(0);

      // then
      assertThat(chomped).isEqualTo(new Heredoc("EOT", "\techo \"$HOME\"\n", false, true));
      assertThat(chomped.effectiveContent()).isEqualTo("echo \"$HOME\"\n");
      assertThat(runs.get(1).heredocs())
          .containsExactly(
              new Heredoc("EOF", "$not expanded\n", false, false),
              new Heredoc("EOF2", "${expanded}\n", true, false));
      assertThat(runs.get(2).heredocs()).isEmpty();
      assertThat(runs.get(2).form()).isEqualTo(Form.EXEC);
    }

    @Test
    void onbuild_carries_heredocs() {
      // given: parser.go canContainHeredoc (ONBUILD is a compound directive)
      Onbuild onbuild =
          Dockerfile.parse(fixture("heredocs.Dockerfile"))
              .finalStage()
              .instructionsOf(Onbuild.class)
              .get(0);

      // then
      assertThat(onbuild.heredocs()).containsExactly(new Heredoc("EOF", "echo onbuild\n", true, false));
      assertThat(onbuild.nested().heredocs()).isEqualTo(onbuild.heredocs());
    }

    @Test
    void quoted_openers_are_not_heredocs_and_file_descriptors_are_allowed() {
      // given: parser.go heredocsFromLine (raw shell words) and reHeredoc ^(\d*)<<(-?)([^<]*)$
      String text = "FROM scratch\nRUN echo \"<<EOF\" 3<<IN cat\nbody\nIN\nRUN a <<<word\n";

      // when
      List<Run> runs = parse(text).finalStage().instructionsOf(Run.class);

      // then
      assertThat(runs.get(0).heredocs()).containsExactly(new Heredoc("IN", "body\n", true, false));
      assertThat(runs.get(0).endLine()).isEqualTo(4);
      assertThat(runs.get(1).heredocs()).isEmpty();
    }

    @Test
    void other_instructions_do_not_take_heredocs() {
      // given: parser.go heredocDirectives (only ADD, COPY and RUN)
      String text = "FROM scratch\nCMD cat <<EOF\nLABEL a=b\n";

      // when
      Dockerfile parsed = parse(text);

      // then
      assertThat(parsed.instructions()).hasSize(3);
      assertThat(parsed.instructions().get(1).heredocs()).isEmpty();
    }

    @Test
    void unterminated_heredoc_is_located_at_its_opener() {
      // given: parser_heredoc_test.go (unterminated heredoc)
      String text = "FROM scratch\nRUN cat <<EOF\nbody\n";

      // when
      SourceParseException e = failure(text);

      // then
      assertThat(e.reason()).isEqualTo("unterminated heredoc");
      assertThat(e.location().render()).isEqualTo("Dockerfile:2:9");
    }
  }

  @Nested
  class flags {

    @Test
    void are_kept_raw_and_split_into_name_and_value() {
      // given: split_command.go extractBuilderFlags, testfiles/flags
      String text =
          "FROM scratch\nCOPY --from=build --chown=\"a b\" --link -- /src /dst\n"
              + "RUN --mount=type=cache,target=/root/.cache --network=none echo\n";

      // when
      Stage stage = parse(text).finalStage();

      // then
      Copy copy = stage.instructionsOf(Copy.class).get(0);
      assertThat(copy.flags()).map(Flag::raw)
          .containsExactly("--from=build", "--chown=a b", "--link");
      assertThat(copy.flags().get(2)).isEqualTo(new Flag("link", java.util.Optional.empty(), "--link"));
      assertThat(copy.from()).contains("build");
      assertThat(copy.chown()).contains("a b");
      assertThat(copy.link()).isTrue();
      assertThat(copy.sources()).containsExactly("/src");
      Run run = stage.instructionsOf(Run.class).get(0);
      assertThat(run.mounts()).containsExactly("type=cache,target=/root/.cache");
      assertThat(run.commandLine()).isEqualTo("echo");
    }

    @Test
    void unknown_flag_is_an_error_at_the_flag() {
      // given: instructions/bflag.go Parse ("unknown flag"), testfiles/flags (COPY --user=me)
      SourceParseException e = failure("FROM scratch\nCOPY --user=me foo /tmp/\n");

      // then
      assertThat(e.reason()).isEqualTo("unknown flag: user");
      assertThat(e.location().render()).isEqualTo("Dockerfile:2:6");
    }

    @Test
    void healthcheck_flags_become_durations_and_retries() {
      // given: testfiles/health and instructions/parse.go parseHealthcheck
      Stage stage = Dockerfile.parse(fixture("health.Dockerfile")).finalStage();

      // when
      Healthcheck first = stage.healthchecks().get(0);

      // then
      assertThat(first.interval()).contains(java.time.Duration.ofSeconds(5));
      assertThat(first.timeout()).contains(java.time.Duration.ofSeconds(3));
      assertThat(first.retries()).hasValue(3);
      assertThat(first.commandForm()).isEqualTo(Form.SHELL);
      assertThat(first.commandLine()).isEqualTo("/app/check.sh --quiet");
      assertThat(stage.healthchecks().get(2).commandForm()).isEqualTo(Form.EXEC);
      assertThat(stage.healthcheck()).get().extracting(Healthcheck::isNone).isEqualTo(true);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "HEALTHCHECK --interval=5 CMD x|time: missing unit in duration \"5\"",
          "HEALTHCHECK --interval=5x CMD x|time: unknown unit \"x\" in duration \"5x\"",
          "HEALTHCHECK --timeout=abc CMD x|time: invalid duration \"abc\"",
          "HEALTHCHECK --interval=1us CMD x|Interval \"interval\" cannot be less than 1ms",
          "HEALTHCHECK --retries=x CMD x|strconv.ParseInt: parsing \"x\": invalid syntax",
          "HEALTHCHECK --retries=-1 CMD x|--retries cannot be negative (-1)",
          "HEALTHCHECK --foo=1 CMD x|unknown flag: foo",
          "HEALTHCHECK --interval CMD x|missing a value on flag: interval",
          "HEALTHCHECK CONNECT TCP 7000|Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)",
          "HEALTHCHECK CMD|Missing command after HEALTHCHECK CMD",
          "HEALTHCHECK NONE x|HEALTHCHECK NONE takes no arguments",
          "HEALTHCHECK|HEALTHCHECK requires at least one argument"
        })
    void bad_healthchecks_are_located_errors(String line) {
      // given: instructions/parse.go parseHealthcheck and parseOptInterval, testfiles/health
      String[] parts = line.split("\\|");

      // when
      SourceParseException e = failure("FROM scratch\n" + parts[0] + "\n");

      // then
      assertThat(e.reason()).isEqualTo(parts[1]);
      assertThat(e.location().line()).isEqualTo(2);
    }
  }

  @Nested
  class keywords_and_instructions {

    @Test
    void keywords_in_any_case() {
      // given: parser_test.go TestParseCases (testfiles use several cases); parser.go dispatch
      String text = "from scratch as Build\nrUn echo\nOnBuild add . /\n";

      // when
      Dockerfile parsed = parse(text);

      // then
      assertThat(parsed.instructions()).map(Instruction::keyword)
          .containsExactly("FROM", "RUN", "ONBUILD");
      Onbuild onbuild = (Onbuild) parsed.instructions().get(2);
      assertThat(onbuild.nested()).isInstanceOf(Add.class);
      assertThat(onbuild.nested().location().column()).isEqualTo(9);
      assertThat(onbuild.args()).containsExactly("add", ".", "/");
      assertThat(parsed.finalStage().name()).contains("Build");
    }

    @Test
    void arg_env_label_user_and_others() {
      // given: line_parsers.go parseNameOrNameVal, parseNameVal; instructions/parse.go
      String text =
          "ARG A B=2 C=\"x y\"\nFROM scratch\nENV K=\"v w\" L=1\nLABEL a.b=c\nUSER 1000:1000\n"
              + "WORKDIR /app\nEXPOSE 80/tcp 443\nSTOPSIGNAL SIGTERM\nMAINTAINER me\n"
              + "ENTRYPOINT [\"/bin/sh\"]\nSHELL [\"bash\", \"-c\"]\n";

      // when
      Dockerfile parsed = parse(text);

      // then
      assertThat(parsed.globalArgs().get(0).definitions())
          .containsExactly(
              new ArgDef("A", java.util.Optional.empty()),
              new ArgDef("B", java.util.Optional.of("2")),
              new ArgDef("C", java.util.Optional.of("x y")));
      Stage stage = parsed.finalStage();
      assertThat(stage.instructionsOf(Env.class).get(0).pairs())
          .containsExactly(new KeyValue("K", "v w"), new KeyValue("L", "1"));
      assertThat(stage.instructionsOf(Env.class).get(0).args())
          .containsExactly("K", "\"v w\"", "=", "L", "1", "=");
      assertThat(stage.instructionsOf(Label.class).get(0).pairs())
          .containsExactly(new KeyValue("a.b", "c"));
      assertThat(stage.lastUser()).get().extracting(u -> u.spec().uid().getAsInt()).isEqualTo(1000);
      assertThat(stage.instructionsOf(Workdir.class).get(0).path()).isEqualTo("/app");
      assertThat(stage.instructionsOf(Expose.class).get(0).ports()).containsExactly("80/tcp", "443");
      assertThat(stage.instructionsOf(StopSignal.class).get(0).signal()).isEqualTo("SIGTERM");
      assertThat(stage.instructionsOf(Maintainer.class).get(0).maintainer()).isEqualTo("me");
      assertThat(stage.instructionsOf(Entrypoint.class).get(0).command()).containsExactly("/bin/sh");
      assertThat(stage.instructionsOf(Shell.class).get(0).shell()).containsExactly("bash", "-c");
    }

    @Test
    void unknown_instruction_is_rejected_by_the_instruction_layer() {
      // given: parser.go keeps it (parseIgnore); instructions/parse.go UnknownInstruction
      SourceParseException e = failure("FROM scratch\n  foo bar\n");

      // then
      assertThat(e.reason()).isEqualTo("unknown instruction: FOO");
      assertThat(e.location().render()).isEqualTo("Dockerfile:2:3");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "RUN x|no build stage in current context",
          "FROM|FROM requires either one or three arguments",
          "FROM a b|FROM requires either one or three arguments",
          "FROM a AS 1x|invalid name for build stage: \"1x\", name can't start with a number or"
              + " contain symbols",
          "FROM scratch\nONBUILD ONBUILD RUN x|Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
          "FROM scratch\nONBUILD FROM x|FROM isn't allowed as an ONBUILD trigger",
          "FROM scratch\nENV a|ENV must have two arguments",
          "FROM scratch\nENV a=b c|Syntax error - can't find = in \"c\". Must be of the form:"
              + " name=value",
          "FROM scratch\nCOPY a|COPY requires at least two arguments, but only one was provided."
              + " Destination could not be determined.",
          "FROM scratch\nUSER|USER requires exactly one argument",
          "FROM scratch\nARG =x|ARG names can not be blank",
          "ARG A|dockerfile contains no stages to build",
          "FROM scratch\nWORKDIR --x=1 /a|unknown flag: x"
        })
    void buildkit_errors_are_located(String testCase) {
      // given: instructions/parse.go (parseFrom, parseBuildStageName, parseOnBuild, parseCopy,
      // parseUser, parseArg, CurrentStage) and line_parsers.go parseNameVal
      String[] parts = testCase.split("\\|");

      // when
      SourceParseException e = failure(parts[0] + "\n");

      // then
      assertThat(e.reason()).isEqualTo(parts[1]);
      assertThat(e.location().line()).isEqualTo(parts[0].split("\n").length > 1 ? 2 : 1);
    }
  }

  @Nested
  class hostile_input {

    @Test
    void empty_file_and_only_comments_have_no_instructions() {
      // given: parser.go Parse ("file with no instructions"); parser_test.go TestParseEmpty
      for (String text : List.of("", "\n\n", "# just a comment\n# another\n", "  \n# x\n")) {
        // when
        SourceParseException e = failure(text);

        // then
        assertThat(e.reason()).isEqualTo("file with no instructions");
      }
    }

    @Test
    void lone_continuation_makes_an_empty_instruction_as_in_buildkit() {
      // given: parser.go Parse keeps the empty joined line as a node; the instruction layer
      // rejects its empty keyword
      SourceParseException e = failure("\\\n");

      // then
      assertThat(e.reason()).isEqualTo("unknown instruction: ");
      assertThat(e.location().line()).isEqualTo(1);
    }

    @Test
    void binary_garbage_ends_in_a_located_error() {
      // given
      byte[] bytes = new byte[4096];
      new java.util.Random(42).nextBytes(bytes);
      String text = new String(bytes, StandardCharsets.ISO_8859_1);

      // when
      Throwable thrown = catchThrowable(() -> parse(text));

      // then
      assertThat(thrown).isInstanceOf(SourceParseException.class);
    }

    @Test
    void binary_file_is_refused_by_source_file() throws IOException {
      // given
      Path file = Files.createTempFile("gpukit", ".Dockerfile");
      try {
        Files.write(file, new byte[] {'F', 'R', 0, 1, 2});

        // when / then
        assertThatThrownBy(() -> Dockerfile.parse(file))
            .isInstanceOf(SourceParseException.class)
            .hasMessageContaining("binary content");
      } finally {
        Files.deleteIfExists(file);
      }
    }

    @Test
    void twenty_thousand_line_continuation_parses() {
      // given
      StringBuilder text = new StringBuilder("FROM scratch\nRUN echo \\\n");
      for (int i = 0; i < 20_000; i++) {
        text.append("  word").append(i).append(" \\\n");
      }
      text.append("  end\n");

      // when
      Run run = parse(text.toString()).finalStage().instructionsOf(Run.class).get(0);

      // then
      assertThat(run.startLine()).isEqualTo(2);
      assertThat(run.endLine()).isEqualTo(20_003);
      assertThat(run.commandLine()).endsWith("word19999   end");
    }

    @Test
    void line_longer_than_buildkit_scanner_buffer_is_an_error() {
      // given: parser_test.go TestParseReturnsScannerErrors
      String text = "FROM scratch\nLABEL a=" + "x".repeat(70_000) + "\n";

      // when
      SourceParseException e = failure(text);

      // then
      assertThat(e.reason()).isEqualTo("dockerfile line greater than max allowed size of 65535");
      assertThat(e.location().line()).isEqualTo(2);
    }

    @Test
    void fifty_megabytes_in_memory_parse_or_fail_located() {
      // given
      String line = "RUN echo " + "a ".repeat(500) + "\n";
      StringBuilder text = new StringBuilder(50 * 1024 * 1024 + 200).append("FROM scratch\n");
      while (text.length() < 50 * 1024 * 1024) {
        text.append(line);
      }
      SourceFile source = SourceFile.of(FILE, text.toString());

      // when
      Throwable thrown = catchThrowable(() -> DockerfileParser.parse(source));

      // then
      assertThat(thrown == null || thrown instanceof SourceParseException).isTrue();
    }

    @Test
    void fifty_megabytes_of_one_json_line_fails_located() {
      // given
      String text = "FROM scratch\nCMD " + "[".repeat(50 * 1024 * 1024) + "\n";

      // when
      SourceParseException e = failure(text);

      // then
      assertThat(e.location().line()).isEqualTo(2);
    }

    @Test
    void deeply_nested_defaults_in_from_stay_bounded() {
      // given
      String nested = "${A:-".repeat(5_000) + "x" + "}".repeat(5_000);
      String text = "FROM " + nested + "\n";

      // when
      Dockerfile parsed = parse(text);

      // then
      assertThat(parsed.finalStage().baseImage().unresolved()).isTrue();
    }
  }
}

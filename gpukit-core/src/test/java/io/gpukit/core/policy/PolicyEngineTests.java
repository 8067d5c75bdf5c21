package io.gpukit.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyEngineTests {

  private static final LinesKind KIND = new LinesKind();

  private static PolicyReport check(String text) {
    return PolicyEngine.withDefaults().evaluate(SourceFile.of(Path.of("f.txt"), text), KIND);
  }

  private static List<String> rendered(PolicyReport report) {
    return report.violations().stream().map(Violation::render).toList();
  }

  @Nested
  class Evaluating {

    @Test
    void reports_violations_sorted_by_line_column_and_rule() {
      // when
      PolicyReport report = check("ok\nroot TODO\nTODO\n");

      // then
      assertThat(rendered(report))
          .containsExactly(
              "f.txt:2:1: error: line says 'root' [lines/no-root]",
              "f.txt:2:6: warning: line says 'TODO' [lines/no-todo]",
              "f.txt:3:1: warning: line says 'TODO' [lines/no-todo]");
      assertThat(report.files()).containsExactly(Path.of("f.txt"));
      assertThat(report.rules()).extracting(RuleDescriptor::id).contains("lines/no-todo", "gpukit/parse-error");
    }

    @Test
    void turns_a_parse_failure_into_a_located_violation() {
      // when
      PolicyReport report = check("ok\nBROKEN\nTODO\n");

      // then
      assertThat(rendered(report)).containsExactly("f.txt:2:1: error: broken line [gpukit/parse-error]");
    }

    @Test
    void turns_a_missing_file_into_a_violation(@TempDir Path dir) {
      // when
      PolicyReport report = PolicyEngine.withDefaults().evaluate(dir.resolve("nope"), KIND);

      // then
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.ruleId()).isEqualTo("gpukit/parse-error");
        assertThat(v.message()).isEqualTo("file not found");
      });
    }

    @Test
    void turns_binary_garbage_into_a_located_violation(@TempDir Path dir) throws IOException {
      // given
      Path file = dir.resolve("bin");
      Files.write(file, new byte[] {'a', '\n', 'b', 'c', 0, 1, 2});

      // when
      PolicyReport report = PolicyEngine.withDefaults().evaluate(file, KIND);

      // then
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.location().line()).isEqualTo(2);
        assertThat(v.location().column()).isEqualTo(3);
        assertThat(v.message()).contains("binary");
      });
    }

    @Test
    void reports_a_throwing_rule_as_an_internal_error_and_keeps_the_others() {
      // when
      PolicyReport report = check("BOOM root\n");

      // then
      assertThat(report.violations())
          .extracting(Violation::ruleId)
          .containsExactly("gpukit/internal-error", "lines/no-root");
    }
  }

  @Nested
  class Inline_ignores {

    @Test
    void silence_the_named_rule_on_the_same_line_and_the_next() {
      // when
      PolicyReport report =
          check("# gpukit:ignore lines/no-todo -- tracked in #12\nTODO\nTODO root # gpukit:ignore lines/no-root -- demo\n");

      // then
      assertThat(rendered(report)).containsExactly("f.txt:3:1: warning: line says 'TODO' [lines/no-todo]");
      assertThat(report.suppressed()).hasSize(2);
    }

    @Test
    void do_not_reach_two_lines_down() {
      // when
      PolicyReport report = check("# gpukit:ignore lines/no-root -- far\nok\nroot\n");

      // then
      assertThat(report.violationsOf("lines/no-root")).hasSize(1);
    }

    @Test
    void without_a_reason_still_work_but_warn() {
      // when
      PolicyReport report = check("# gpukit:ignore lines/no-root\nroot\n");

      // then
      assertThat(rendered(report))
          .containsExactly(
              "f.txt:1:1: warning: inline ignore of 'lines/no-root' gives no reason [gpukit/ignore-without-reason]");
      assertThat(report.violations().get(0).hint()).contains("-- <why>");
    }

    @Test
    void accept_several_ids_and_a_wildcard() {
      // when
      PolicyReport report = check("root TODO # gpukit:ignore lines/no-root,lines/no-todo -- both\n# gpukit:ignore * -- all\nroot TODO\n");

      // then
      assertThat(report.violations()).isEmpty();
      assertThat(report.suppressed()).hasSize(4);
    }
  }

  @Nested
  class Configuration {

    @Test
    void overrides_severities_and_turns_rules_off(@TempDir Path dir) throws IOException {
      // given
      Files.writeString(dir.resolve("gpukit.yaml"), "severity:\n  lines/no-todo: error\n  lines/no-root: off\n");
      PolicyEngine engine = PolicyEngine.with(GpuKitConfig.discover(dir));

      // when
      PolicyReport report = engine.evaluate(SourceFile.of(dir.resolve("f.txt"), "root TODO\n"), KIND);

      // then
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.ruleId()).isEqualTo("lines/no-todo");
        assertThat(v.severity()).isEqualTo(Severity.ERROR);
      });
    }

    @Test
    void ignores_rules_by_id_and_path_glob(@TempDir Path dir) throws IOException {
      // given
      Files.writeString(
          dir.resolve("gpukit.yaml"),
          "ignore:\n  - rule: lines/no-root\n    paths: ['legacy/**']\n    reason: old\n");
      PolicyEngine engine = PolicyEngine.with(GpuKitConfig.discover(dir));

      // when
      PolicyReport legacy = engine.evaluate(SourceFile.of(dir.resolve("legacy/a/f.txt"), "root\n"), KIND);
      PolicyReport current = engine.evaluate(SourceFile.of(dir.resolve("f.txt"), "root\n"), KIND);

      // then
      assertThat(legacy.violations()).isEmpty();
      assertThat(legacy.suppressed()).hasSize(1);
      assertThat(current.violations()).hasSize(1);
    }
  }

  @Nested
  class Baselines {

    @Test
    void drop_known_violations_whatever_their_line_and_fail_on_new_ones(@TempDir Path dir) {
      // given a baseline written from the old file
      Path baselineFile = dir.resolve("baseline.txt");
      Baseline.write(baselineFile, check("root\nTODO\n"));

      // when the code moved down and a new violation appeared
      PolicyReport report =
          PolicyEngine.withDefaults().withBaseline(Baseline.read(baselineFile)).evaluate(
              SourceFile.of(Path.of("f.txt"), "\n\nroot\nTODO\nTODO\n"), KIND);

      // then only the new TODO counts
      assertThat(rendered(report)).containsExactly("f.txt:5:1: warning: line says 'TODO' [lines/no-todo]");
      assertThat(report.baselined()).hasSize(2);
    }

    @Test
    void are_one_rendered_violation_a_line(@TempDir Path dir) throws IOException {
      // given
      Path baselineFile = dir.resolve("b.txt");

      // when
      Baseline.write(
          baselineFile,
          PolicyEngine.withDefaults().evaluate(SourceFile.of(dir.resolve("f.txt"), "root TODO\n"), KIND));

      // then
      assertThat(Files.readAllLines(baselineFile))
          .containsExactly(
              "f.txt:1:1: error: line says 'root' [lines/no-root]",
              "f.txt:1:6: warning: line says 'TODO' [lines/no-todo]");
    }

    @Test
    void match_however_the_checked_path_was_spelled(@TempDir Path dir) throws IOException {
      // given a baseline written from a check of dir/svc, with paths relative to the baseline's folder
      Path svc = Files.createDirectories(dir.resolve("svc"));
      Path baselineFile = dir.resolve("gpukit-baseline.txt");
      PolicyEngine engine = PolicyEngine.withDefaults();
      Baseline.write(baselineFile, engine.evaluate(SourceFile.of(svc.resolve("f.txt"), "root\n"), KIND));

      // when the same file is checked through another spelling of its path
      PolicyReport report =
          engine.withBaseline(Baseline.read(baselineFile))
              .evaluate(SourceFile.of(svc.resolve("../svc/./f.txt"), "root\n"), KIND);

      // then
      assertThat(Files.readAllLines(baselineFile)).containsExactly("svc/f.txt:1:1: error: line says 'root' [lines/no-root]");
      assertThat(report.violations()).isEmpty();
      assertThat(report.baselined()).hasSize(1);
    }

    @Test
    void keep_one_violation_a_line_whatever_its_message(@TempDir Path dir) {
      // given a message with a line break and a backslash
      Path baselineFile = dir.resolve("b.txt");
      Violation odd =
          new Violation("lines/no-root", Severity.ERROR, SourceLocation.of(Path.of("f.txt"), 1, 1), "a\nb \\ c", "");
      PolicyReport report = PolicyReport.of(List.of(Path.of("f.txt")), List.of(odd), List.of());

      // when
      Baseline.write(baselineFile, report);

      // then
      assertThat(Baseline.read(baselineFile).apply(report).violations()).isEmpty();
    }

    @Test
    void reject_a_line_that_is_not_a_violation_with_its_location(@TempDir Path dir) throws IOException {
      // given
      Path baselineFile = dir.resolve("b.txt");
      Files.writeString(baselineFile, "# comment\n\nnot a violation\n");

      // then
      assertThatThrownBy(() -> Baseline.read(baselineFile))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("b.txt:3:1");
    }
  }

  @Nested
  class Reports {

    @Test
    void assert_no_violations_lists_every_violation_with_hints() {
      // given
      PolicyReport report = check("root\nTODO\n");

      // then
      assertThatThrownBy(report::assertNoViolations)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("f.txt:1:1: error: line says 'root' [lines/no-root]")
          .hasMessageContaining("  hint: use 10001")
          .hasMessageContaining("f.txt:2:1: warning: line says 'TODO' [lines/no-todo]")
          .hasMessageContaining("1 file checked: 1 error, 1 warning, 0 info");
    }

    @Test
    void fail_at_a_threshold() {
      // given
      PolicyReport warningsOnly = check("TODO\n");

      // then
      assertThat(warningsOnly.failsAt(Severity.ERROR)).isFalse();
      assertThat(warningsOnly.failsAt(Severity.WARNING)).isTrue();
      assertThat(warningsOnly.failsAt(null)).isFalse();
    }

    @Test
    void merge_keeping_order_and_files() {
      // given
      PolicyReport a = PolicyEngine.withDefaults().evaluate(SourceFile.of(Path.of("b.txt"), "root\n"), KIND);
      PolicyReport b = PolicyEngine.withDefaults().evaluate(SourceFile.of(Path.of("a.txt"), "root\n"), KIND);

      // when
      PolicyReport merged = a.merge(b);

      // then
      assertThat(merged.files()).containsExactly(Path.of("b.txt"), Path.of("a.txt"));
      assertThat(merged.violations()).extracting(v -> v.location().file()).containsExactly(Path.of("a.txt"), Path.of("b.txt"));
      assertThat(merged.count(Severity.ERROR)).isEqualTo(2);
    }
  }

  @Test
  void source_locations_are_one_based() {
    assertThatThrownBy(() -> SourceLocation.of(Path.of("x"), 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(SourceLocation.ofZeroBased(Path.of("x"), 0, 0).render()).isEqualTo("x:1:1");
    assertThat(Optional.of(1)).isPresent();
  }
}

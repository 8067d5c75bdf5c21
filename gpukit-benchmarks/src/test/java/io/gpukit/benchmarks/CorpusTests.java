package io.gpukit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.dockerfile.DockerfileKind;
import io.gpukit.core.dockerfile.DockerfileParser;
import io.gpukit.core.policy.BuiltInRules;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks' inputs are what they claim to be. Timings are never asserted. */
class CorpusTests {

  @Test
  void the_corpus_holds_as_many_files_as_one_invocation_counts() {
    assertThat(Corpus.bundled()).hasSize(DockerfileBenchmarks.FILES_PER_INVOCATION);
  }

  @Test
  void every_corpus_file_parses_and_checks_without_a_parse_or_internal_error() {
    PolicyEngine engine = PolicyEngine.withDefaults();
    for (Corpus.Entry e : Corpus.bundled()) {
      SourceFile source = SourceFile.of(Path.of(e.name()), e.text());

      PolicyReport report = engine.evaluate(source, DockerfileKind.INSTANCE);

      assertThat(DockerfileParser.parse(source).stages()).as(e.name()).isNotEmpty();
      assertThat(report.violationsOf(BuiltInRules.PARSE_ERROR.id())).as(e.name()).isEmpty();
      assertThat(report.violationsOf(BuiltInRules.INTERNAL_ERROR.id())).as(e.name()).isEmpty();
    }
  }

  @Test
  void the_large_file_is_at_least_one_mebibyte_of_distinct_stages_and_parses() {
    Corpus.Entry large = Corpus.large();

    assertThat(large.bytes()).isGreaterThanOrEqualTo(Corpus.LARGE_MIN_BYTES).isLessThan(Corpus.LARGE_MIN_BYTES + 4096);
    assertThat(DockerfileParser.parse(SourceFile.of(Path.of(large.name()), large.text())).stages())
        .hasSizeGreaterThan(1000);
  }

  @Test
  void the_floor_finds_the_instruction_lines() {
    String text = "# syntax=docker/dockerfile:1\nFROM a AS b\n  run echo \\\n  hi\n\nCOPYX x\nUSER 1\n";

    assertThat(DockerfileBenchmarks.countInstructionLines(text)).isEqualTo(3);
  }

  @Test
  void setup_records_the_input_sizes_for_the_runner(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("sizes.txt");
    String previous = System.getProperty(DockerfileBenchmarks.REPORT_PROPERTY);
    System.setProperty(DockerfileBenchmarks.REPORT_PROPERTY, report.toString());
    try {
      DockerfileBenchmarks.Input input = new DockerfileBenchmarks.Input();
      input.input = "corpus";

      input.load();

      List<String> lines = Files.readAllLines(report);
      long corpusBytes = Corpus.bundled().stream().mapToLong(Corpus.Entry::bytes).sum();
      assertThat(lines)
          .contains("corpus " + DockerfileBenchmarks.FILES_PER_INVOCATION + " " + corpusBytes)
          .anyMatch(l -> l.startsWith("large 1 "));
      assertThat(input.texts).hasSize(DockerfileBenchmarks.FILES_PER_INVOCATION).doesNotContainNull();
    } finally {
      if (previous == null) {
        System.clearProperty(DockerfileBenchmarks.REPORT_PROPERTY);
      } else {
        System.setProperty(DockerfileBenchmarks.REPORT_PROPERTY, previous);
      }
    }
  }
}

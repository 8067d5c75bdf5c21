package io.gpukit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.BuiltInRules;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.workflow.WorkflowKind;
import io.gpukit.core.workflow.WorkflowParser;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The workflow benchmarks' inputs are what they claim to be. Timings are never asserted. */
class WorkflowCorpusTests {

  @Test
  void the_corpus_holds_as_many_files_as_one_invocation_counts() {
    assertThat(WorkflowCorpus.bundled()).hasSize(WorkflowBenchmarks.FILES_PER_INVOCATION);
  }

  @Test
  void every_corpus_file_parses_and_checks_without_a_parse_or_internal_error() {
    PolicyEngine engine = PolicyEngine.withDefaults();
    for (Corpus.Entry e : WorkflowCorpus.bundled()) {
      SourceFile source = SourceFile.of(Path.of(e.name()), e.text());

      PolicyReport report = engine.evaluate(source, WorkflowKind.INSTANCE);

      assertThat(WorkflowParser.parse(source).jobs()).as(e.name()).isNotEmpty();
      assertThat(report.violationsOf(BuiltInRules.PARSE_ERROR.id())).as(e.name()).isEmpty();
      assertThat(report.violationsOf(BuiltInRules.INTERNAL_ERROR.id())).as(e.name()).isEmpty();
    }
  }

  @Test
  void setup_loads_every_file() {
    WorkflowBenchmarks bench = new WorkflowBenchmarks();

    bench.setUp();

    assertThat(bench.texts).hasSize(WorkflowBenchmarks.FILES_PER_INVOCATION).doesNotContainNull();
  }
}

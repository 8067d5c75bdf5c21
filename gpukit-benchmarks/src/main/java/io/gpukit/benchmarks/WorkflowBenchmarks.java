package io.gpukit.benchmarks;

import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.workflow.WorkflowKind;
import io.gpukit.core.workflow.WorkflowParser;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the workflow parser and of the policy engine over workflows, in files per second.
 *
 * <p>One invocation processes the {@value #FILES_PER_INVOCATION} bundled workflows once each, so
 * JMH's score is files per second. Compare benchmarks by their ratio within one run, not by
 * absolute figures across machines.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class WorkflowBenchmarks {

  /** The number of workflows in the bundled corpus, and the files one invocation processes. */
  public static final int FILES_PER_INVOCATION = 20;

  /** The paths, {@link #FILES_PER_INVOCATION} of them, in processing order. */
  Path[] paths;

  /** The texts, parallel to {@link #paths}. */
  String[] texts;

  private PolicyEngine engine;

  /** Loads the corpus, refuses a file that does not parse, and builds the default policy once. */
  @Setup(Level.Trial)
  public void setUp() {
    List<Corpus.Entry> bundled = WorkflowCorpus.bundled();
    if (bundled.size() != FILES_PER_INVOCATION) {
      throw new IllegalStateException(
          "the workflow corpus holds " + bundled.size() + " files but the benchmarks count "
              + FILES_PER_INVOCATION + " per invocation; update FILES_PER_INVOCATION");
    }
    paths = new Path[FILES_PER_INVOCATION];
    texts = new String[FILES_PER_INVOCATION];
    for (int i = 0; i < FILES_PER_INVOCATION; i++) {
      paths[i] = Path.of(bundled.get(i).name());
      texts[i] = bundled.get(i).text();
      // A file that does not parse would measure the error path; refuse it here.
      WorkflowParser.parse(SourceFile.of(paths[i], texts[i]));
    }
    engine = PolicyEngine.withDefaults();
  }

  /** Parses every workflow into the model. */
  @Benchmark
  @OperationsPerInvocation(FILES_PER_INVOCATION)
  public void parse(Blackhole bh) {
    for (int i = 0; i < FILES_PER_INVOCATION; i++) {
      bh.consume(WorkflowParser.parse(SourceFile.of(paths[i], texts[i])));
    }
  }

  /** Parses and checks every workflow against the workflow rules, as {@code gpukit check} does. */
  @Benchmark
  @OperationsPerInvocation(FILES_PER_INVOCATION)
  public void parseAndCheck(Blackhole bh) {
    for (int i = 0; i < FILES_PER_INVOCATION; i++) {
      bh.consume(engine.evaluate(SourceFile.of(paths[i], texts[i]), WorkflowKind.INSTANCE));
    }
  }

  /**
   * The peer floor: snakeyaml-engine composing the same text into nodes, with no model, limits or
   * locations of gpukit's. Every YAML-based parse pays at least this.
   */
  @Benchmark
  @OperationsPerInvocation(FILES_PER_INVOCATION)
  public void composeOnly(Blackhole bh) {
    org.snakeyaml.engine.v2.api.lowlevel.Compose compose =
        new org.snakeyaml.engine.v2.api.lowlevel.Compose(org.snakeyaml.engine.v2.api.LoadSettings.builder().build());
    for (int i = 0; i < FILES_PER_INVOCATION; i++) {
      compose.composeAllFromString(texts[i]).forEach(bh::consume);
    }
  }
}

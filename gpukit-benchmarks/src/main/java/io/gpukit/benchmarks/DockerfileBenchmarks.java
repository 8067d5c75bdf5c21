package io.gpukit.benchmarks;

import io.gpukit.core.dockerfile.DockerfileKind;
import io.gpukit.core.dockerfile.DockerfileParser;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.source.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the Dockerfile parser and of the policy engine, in files per second, next to a
 * floor every parser pays: splitting the same text into lines.
 *
 * <p>One invocation processes {@link #FILES_PER_INVOCATION} files, so JMH's score is files per
 * second. With {@code input=corpus} those are the {@value #FILES_PER_INVOCATION} bundled files, once
 * each; with {@code input=large} it is the one generated file of about 1 MiB, that many times.
 * Compare benchmarks by their ratio within one run, not by absolute figures across machines.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class DockerfileBenchmarks {

  /** The number of files in the bundled corpus, and the files one invocation processes. */
  public static final int FILES_PER_INVOCATION = 20;

  /**
   * Where setup writes the byte sizes of the inputs, so a runner can turn files/s into MB/s:
   * {@code target/dockerfile-corpus.txt} under the working folder unless this system property
   * names another file.
   */
  public static final String REPORT_PROPERTY = "gpukit.bench.corpus-report";

  /** The instructions the line-splitting floor looks for. */
  private static final String[] KEYWORDS = {
    "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
    "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"
  };

  /** What the benchmarks read: the bundled corpus or the generated large file. */
  @State(Scope.Benchmark)
  public static class Input {

    /** {@code corpus}: the bundled files; {@code large}: one generated file of about 1 MiB. */
    @Param({"corpus", "large"})
    public String input;

    /** The paths, {@link #FILES_PER_INVOCATION} of them, in processing order. */
    Path[] paths;

    /** The texts, parallel to {@link #paths}. */
    String[] texts;

    /** Loads the corpus or generates the large file, and records the sizes for the runner. */
    @Setup(Level.Trial)
    public void load() {
      List<Corpus.Entry> bundled = Corpus.bundled();
      if (bundled.size() != FILES_PER_INVOCATION) {
        throw new IllegalStateException(
            "the corpus holds " + bundled.size() + " files but the benchmarks count "
                + FILES_PER_INVOCATION + " per invocation; update FILES_PER_INVOCATION");
      }
      Corpus.Entry large = Corpus.large();
      List<Corpus.Entry> chosen;
      switch (input) {
        case "corpus" -> chosen = bundled;
        case "large" -> chosen = Collections.nCopies(FILES_PER_INVOCATION, large);
        default -> throw new IllegalArgumentException("unknown input: " + input);
      }
      paths = new Path[FILES_PER_INVOCATION];
      texts = new String[FILES_PER_INVOCATION];
      for (int i = 0; i < FILES_PER_INVOCATION; i++) {
        paths[i] = Path.of(chosen.get(i).name());
        texts[i] = chosen.get(i).text();
        // A file that does not parse would measure the error path; refuse it here.
        DockerfileParser.parse(SourceFile.of(paths[i], texts[i]));
      }
      writeReport(bundled, large);
    }
  }

  private PolicyEngine engine;

  /** The default policy, built once: what {@code gpukit check} does for every file of a run. */
  @Setup(Level.Trial)
  public void setUp() {
    engine = PolicyEngine.withDefaults();
  }

  /** Parses every file into the model. */
  @Benchmark
  @OperationsPerInvocation(FILES_PER_INVOCATION)
  public void parse(Input in, Blackhole bh) {
    for (int i = 0; i < FILES_PER_INVOCATION; i++) {
      bh.consume(DockerfileParser.parse(SourceFile.of(in.paths[i], in.texts[i])));
    }
  }

  /** Parses and checks every file against the built-in rules, as {@code gpukit check} does. */
  @Benchmark
  @OperationsPerInvocation(FILES_PER_INVOCATION)
  public void parseAndCheck(Input in, Blackhole bh) {
    for (int i = 0; i < FILES_PER_INVOCATION; i++) {
      bh.consume(engine.evaluate(SourceFile.of(in.paths[i], in.texts[i]), DockerfileKind.INSTANCE));
    }
  }

  /**
   * The floor: splits every text into lines, trims each and tests it for a leading instruction
   * keyword. Any line-based parser pays at least this.
   */
  @Benchmark
  @OperationsPerInvocation(FILES_PER_INVOCATION)
  public void splitLines(Input in, Blackhole bh) {
    for (int i = 0; i < FILES_PER_INVOCATION; i++) {
      bh.consume(countInstructionLines(in.texts[i]));
    }
  }

  static int countInstructionLines(String text) {
    int count = 0;
    for (Iterator<String> it = text.lines().iterator(); it.hasNext(); ) {
      if (startsWithKeyword(it.next().trim())) {
        count++;
      }
    }
    return count;
  }

  private static boolean startsWithKeyword(String line) {
    if (line.isEmpty() || line.charAt(0) == '#') {
      return false;
    }
    for (String k : KEYWORDS) {
      int n = k.length();
      if (line.regionMatches(true, 0, k, 0, n) && (line.length() == n || Character.isWhitespace(line.charAt(n)))) {
        return true;
      }
    }
    return false;
  }

  private static void writeReport(List<Corpus.Entry> bundled, Corpus.Entry large) {
    long corpusBytes = 0;
    for (Corpus.Entry e : bundled) {
      corpusBytes += e.bytes();
    }
    String report =
        "# input files bytes (the inputs of DockerfileBenchmarks; mean bytes per file = bytes / files)\n"
            + "corpus " + bundled.size() + " " + corpusBytes + "\n"
            + "large 1 " + large.bytes() + "\n";
    Path file = Path.of(System.getProperty(REPORT_PROPERTY, "target/dockerfile-corpus.txt"));
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Files.writeString(file, report, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the corpus report " + file, e);
    }
  }
}

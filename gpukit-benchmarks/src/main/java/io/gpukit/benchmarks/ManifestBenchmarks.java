package io.gpukit.benchmarks;

import io.gpukit.core.k8s.K8sKind;
import io.gpukit.core.k8s.ManifestParser;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.source.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the Kubernetes manifest parser and of the policy engine over it, in files per
 * second, on a small corpus of realistic manifests (multi-document files, a StatefulSet, a Job, a
 * CronJob, Helm-rendered output). Compare benchmarks by their ratio within one run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class ManifestBenchmarks {

  /** The bundled manifests, under {@code corpus-k8s/} on the classpath. */
  static final List<String> FILES =
      List.of(
          "seed-deployment.yaml",
          "deployment-service-configmap.yaml",
          "statefulset-job-cronjob.yaml",
          "helm-rendered.yaml",
          "daemonset-cpu.yaml");

  /** The files one invocation processes. */
  public static final int FILES_PER_INVOCATION = 5;

  private Path[] paths;
  private String[] texts;
  private PolicyEngine engine;

  /** Loads the corpus, refusing a file that does not parse, and builds the default policy. */
  @Setup
  public void setUp() {
    paths = new Path[FILES_PER_INVOCATION];
    texts = new String[FILES_PER_INVOCATION];
    for (int i = 0; i < FILES_PER_INVOCATION; i++) {
      String name = FILES.get(i);
      try (InputStream in = ManifestBenchmarks.class.getClassLoader().getResourceAsStream("corpus-k8s/" + name)) {
        if (in == null) {
          throw new IllegalStateException("corpus-k8s/" + name + " is not on the classpath");
        }
        texts[i] = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      paths[i] = Path.of(name);
      ManifestParser.parse(SourceFile.of(paths[i], texts[i]));
    }
    engine = PolicyEngine.withDefaults();
  }

  /** Parses every file into the model. */
  @Benchmark
  @OperationsPerInvocation(FILES_PER_INVOCATION)
  public void parse(Blackhole bh) {
    for (int i = 0; i < FILES_PER_INVOCATION; i++) {
      bh.consume(ManifestParser.parse(SourceFile.of(paths[i], texts[i])));
    }
  }

  /** Parses and checks every file against the Kubernetes rules, as {@code gpukit check} does. */
  @Benchmark
  @OperationsPerInvocation(FILES_PER_INVOCATION)
  public void parseAndCheck(Blackhole bh) {
    for (int i = 0; i < FILES_PER_INVOCATION; i++) {
      bh.consume(engine.evaluate(SourceFile.of(paths[i], texts[i]), K8sKind.INSTANCE));
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

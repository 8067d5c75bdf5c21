package io.gpukit.core.workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The runs of a job: one per combination of its matrix, each with the runner it asks for, as
 * GitHub expands them (axes, then {@code exclude}, then {@code include}).
 *
 * <p>When the combinations cannot be listed (a {@code fromJSON} matrix, an expression among the
 * values, more than GitHub's 256), each set of labels {@link RunsOn#labelSets()} gives is one run
 * whose matrix is unknown, so that no condition on the matrix is decided.
 */
final class JobLegs {

  /** GitHub runs at most this many jobs per matrix. */
  static final int MAX_COMBINATIONS = 256;

  /**
   * One run of a job.
   *
   * @param matrix the matrix combination; empty when it is not known
   * @param labels the runner labels it asks for, an unresolved expression kept as written
   * @param group the runner group it asks for, if any
   */
  record Leg(Optional<Map<String, Matrix.Value>> matrix, List<String> labels, Optional<String> group) {
    Leg {
      matrix = matrix.map(m -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m)));
      labels = List.copyOf(labels);
    }
  }

  private JobLegs() {}

  /** The runs of a job that has a {@code runs-on}; empty for a reusable workflow call. */
  static List<Leg> of(Job job) {
    if (job.runsOn().isEmpty()) {
      return List.of();
    }
    RunsOn runsOn = job.runsOn().get();
    Optional<String> group = runsOn instanceof RunsOn.Group g ? g.group() : Optional.empty();
    Optional<List<Map<String, Matrix.Value>>> combinations = job.matrix().flatMap(JobLegs::combinations);
    if (combinations.isEmpty()) {
      return job.runnerLabelSets().stream().map(set -> new Leg(Optional.empty(), set, group)).toList();
    }
    List<Leg> out = new ArrayList<>();
    for (Map<String, Matrix.Value> c : combinations.get()) {
      Optional<Map<String, Matrix.Value>> matrix = Optional.of(c);
      List<String> labels = new ArrayList<>();
      for (String written : written(runsOn)) {
        labels.addAll(GithubExpression.labels(written, matrix)
            .filter(resolved -> resolved.stream().noneMatch(String::isBlank)) // a key this combination lacks
            .orElse(List.of(written)));
      }
      Optional<String> g = group.map(x -> GithubExpression.labels(x, matrix)
          .filter(l -> l.size() == 1 && !l.get(0).isBlank()).map(l -> l.get(0)).orElse(x));
      out.add(new Leg(matrix, labels, g));
    }
    return List.copyOf(out);
  }

  private static List<String> written(RunsOn runsOn) {
    if (runsOn instanceof RunsOn.Labels l) {
      return l.labels();
    }
    if (runsOn instanceof RunsOn.Group g) {
      return g.labels();
    }
    return List.of(((RunsOn.Expression) runsOn).expression());
  }

  /**
   * Every combination of a matrix, as GitHub lists them; empty when they cannot be listed: an
   * expression as the matrix, its {@code include} or {@code exclude}, or among its values; no
   * combination; more than {@link #MAX_COMBINATIONS}.
   */
  static Optional<List<Map<String, Matrix.Value>>> combinations(Matrix matrix) {
    if (matrix.expression().isPresent() || !matrix.entriesWritten() || holdsExpression(matrix)) {
      return Optional.empty();
    }
    List<Map<String, Matrix.Value>> combos = new ArrayList<>();
    if (!matrix.axes().isEmpty()) {
      combos.add(new LinkedHashMap<>());
    }
    for (Matrix.Axis axis : matrix.axes()) {
      List<Map<String, Matrix.Value>> next = new ArrayList<>();
      for (Map<String, Matrix.Value> c : combos) {
        for (Matrix.Value v : axis.values()) {
          Map<String, Matrix.Value> n = new LinkedHashMap<>(c);
          n.put(axis.key(), v);
          next.add(n);
        }
      }
      if (next.size() > MAX_COMBINATIONS) {
        return Optional.empty();
      }
      combos = next;
    }
    combos.removeIf(c -> matrix.exclude().stream().anyMatch(e -> matches(c, e.values())));
    Set<String> axisKeys = matrix.axes().stream().map(Matrix.Axis::key).collect(Collectors.toSet());
    List<Map<String, Matrix.Value>> extra = new ArrayList<>();
    for (Matrix.Combination include : matrix.include()) {
      Map<String, Matrix.Value> original = new LinkedHashMap<>();
      include.values().forEach((k, v) -> {
        if (axisKeys.contains(k)) {
          original.put(k, v);
        }
      });
      boolean added = false;
      for (Map<String, Matrix.Value> c : combos) {
        if (matches(c, original)) {
          c.putAll(include.values()); // original values are equal; added ones may be overwritten
          added = true;
        }
      }
      if (!added) {
        extra.add(new LinkedHashMap<>(include.values()));
      }
    }
    combos.addAll(extra);
    if (combos.isEmpty() || combos.size() > MAX_COMBINATIONS) {
      return Optional.empty();
    }
    return Optional.of(combos.stream().map(c -> (Map<String, Matrix.Value>) new LinkedHashMap<>(c)).toList());
  }

  private static boolean holdsExpression(Matrix matrix) {
    Stream<Matrix.Value> values = Stream.concat(
        matrix.axes().stream().flatMap(a -> a.values().stream()),
        Stream.concat(matrix.include().stream(), matrix.exclude().stream()).flatMap(c -> c.values().values().stream()));
    return values.anyMatch(Matrix.Value::isExpression);
  }

  /** Whether a combination has every one of these values (a partial entry matches on its keys). */
  private static boolean matches(Map<String, Matrix.Value> combination, Map<String, Matrix.Value> values) {
    return values.entrySet().stream().allMatch(e -> {
      Matrix.Value v = combination.get(e.getKey());
      return v != null && v.text().equals(e.getValue().text());
    });
  }
}

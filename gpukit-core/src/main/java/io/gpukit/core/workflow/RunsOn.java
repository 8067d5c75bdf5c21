package io.gpukit.core.workflow;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A job's {@code runs-on}: one label or a list of labels, a runner group, or an expression.
 *
 * <p>{@link #labelSets()} lists every set of labels a run of the job may get: one set for plain
 * labels, one per matrix value for {@code ${{ matrix.runner }}}. A label that still holds
 * {@code ${{ … }}} could not be resolved (an input, a {@code fromJSON}, an operator).
 *
 * @since 0.1.0
 */
public sealed interface RunsOn permits RunsOn.Labels, RunsOn.Group, RunsOn.Expression {

  /** Where {@code runs-on}'s value is. */
  SourceLocation location();

  /** The sets of labels a run may get, expressions resolved against the job's matrix where possible. */
  List<List<String>> labelSets();

  /** The labels as written, e.g. {@code [self-hosted, gpu]}. */
  String written();

  /** Whether a label is an unresolved expression. */
  static boolean isExpression(String label) {
    return label.contains("${{");
  }

  /**
   * {@code runs-on: ubuntu-latest} or {@code runs-on: [self-hosted, gpu]}.
   *
   * @param labels the labels as written
   * @param labelSets the labels with any matrix expression among them resolved
   * @param location where the value is
   */
  record Labels(List<String> labels, List<List<String>> labelSets, SourceLocation location) implements RunsOn {
    /** Copies the lists. */
    public Labels {
      labels = List.copyOf(labels);
      labelSets = labelSets.stream().map(List::copyOf).toList();
      Objects.requireNonNull(location, "location");
    }

    @Override
    public String written() {
      return labels.size() == 1 ? labels.get(0) : labels.toString();
    }
  }

  /**
   * {@code runs-on: {group: gpu-runners, labels: [linux, a100]}}.
   *
   * @param group the runner group
   * @param labels the labels
   * @param labelSets the labels with any matrix expression among them resolved
   * @param location where the value is
   */
  record Group(Optional<String> group, List<String> labels, List<List<String>> labelSets, SourceLocation location)
      implements RunsOn {
    /** Copies the lists. */
    public Group {
      Objects.requireNonNull(group, "group");
      labels = List.copyOf(labels);
      labelSets = labelSets.stream().map(List::copyOf).toList();
      Objects.requireNonNull(location, "location");
    }

    @Override
    public String written() {
      return "{group: " + group.orElse("") + ", labels: " + labels + "}";
    }
  }

  /**
   * {@code runs-on: ${{ matrix.runner }}}: one expression.
   *
   * @param expression the expression as written
   * @param labelSets the label sets of every matrix value the expression names; the expression
   *     itself as the only label when it cannot be resolved
   * @param location where the value is
   */
  record Expression(String expression, List<List<String>> labelSets, SourceLocation location) implements RunsOn {
    /** Copies the list. */
    public Expression {
      Objects.requireNonNull(expression, "expression");
      labelSets = labelSets.stream().map(List::copyOf).toList();
      Objects.requireNonNull(location, "location");
    }

    @Override
    public String written() {
      return expression;
    }

    /** Whether the expression was resolved against the matrix. */
    public boolean resolved() {
      return labelSets.stream().flatMap(List::stream).noneMatch(RunsOn::isExpression);
    }
  }
}

package io.gpukit.core.workflow;

import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A job's {@code strategy.matrix}: its axes, {@code include} and {@code exclude} entries, or one
 * expression ({@code ${{ fromJSON(needs.setup.outputs.matrix) }}}).
 *
 * @param axes the axes, in file order
 * @param include the {@code include} entries
 * @param exclude the {@code exclude} entries
 * @param expression the expression, when the whole matrix is one
 * @param location where the matrix is
 * @param entriesWritten whether {@code include} and {@code exclude} are written out as lists of
 *     mappings; {@code false} when either is an expression, so the combinations cannot be listed
 * @since 0.1.0
 */
public record Matrix(
    List<Axis> axes,
    List<Combination> include,
    List<Combination> exclude,
    Optional<String> expression,
    SourceLocation location,
    boolean entriesWritten) {

  /**
   * One value of an axis or an entry: a scalar, or a list of scalars such as runner labels.
   *
   * @param text the value as written (a list as {@code [a, b]})
   * @param items the scalars: the value itself, or the list's items
   * @param quoted whether a scalar was written in quotes, so that it is a string whatever it
   *     reads ({@code 'true'} is a string, {@code true} a boolean)
   */
  public record Value(String text, List<String> items, boolean quoted) {
    /** Copies the list. */
    public Value {
      Objects.requireNonNull(text, "text");
      items = List.copyOf(items);
    }

    /** A value written without quotes. */
    public Value(String text, List<String> items) {
      this(text, items, false);
    }

    /** Whether this is one scalar rather than a list or a mapping. */
    public boolean isScalar() {
      return items.size() == 1 && items.get(0).equals(text);
    }

    /** Whether the value holds an expression ({@code ${{ … }}}), known only when the workflow runs. */
    public boolean isExpression() {
      return text.contains("${{");
    }
  }

  /**
   * One axis: {@code gpu: [t4, a100]}.
   *
   * @param key the axis name
   * @param values its values
   * @param location where the key is
   */
  public record Axis(String key, List<Value> values, SourceLocation location) {
    /** Copies the list. */
    public Axis {
      Objects.requireNonNull(key, "key");
      values = List.copyOf(values);
      Objects.requireNonNull(location, "location");
    }
  }

  /**
   * One {@code include} or {@code exclude} entry.
   *
   * @param values the keys and values, in file order
   * @param location where the entry is
   */
  public record Combination(Map<String, Value> values, SourceLocation location) {
    /** Copies the map, keeping its order. */
    public Combination {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
      Objects.requireNonNull(location, "location");
    }
  }

  /** Validates the fields and copies the lists. */
  public Matrix {
    axes = List.copyOf(axes);
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(location, "location");
  }

  /** A matrix whose {@code include} and {@code exclude}, if any, are written out. */
  public Matrix(
      List<Axis> axes, List<Combination> include, List<Combination> exclude, Optional<String> expression,
      SourceLocation location) {
    this(axes, include, exclude, expression, location, true);
  }

  /**
   * Every value {@code matrix.<key>} may take: the axis's values and the {@code include} entries'
   * values, without duplicates. Exclusions are not applied (an excluded value may still occur in
   * another combination).
   */
  public List<Value> values(String key) {
    List<Value> out = new ArrayList<>();
    for (Axis a : axes) {
      if (a.key().equals(key)) {
        a.values().stream().filter(v -> absent(out, v)).forEach(out::add);
      }
    }
    for (Combination c : include) {
      Value v = c.values().get(key);
      if (v != null && absent(out, v)) {
        out.add(v);
      }
    }
    return List.copyOf(out);
  }

  private static boolean absent(List<Value> values, Value v) {
    return values.stream().noneMatch(o -> o.text().equals(v.text()) && o.items().equals(v.items()));
  }
}

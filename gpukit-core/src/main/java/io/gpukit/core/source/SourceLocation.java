package io.gpukit.core.source;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;

/**
 * A 1-based position in a file, rendered {@code file:line:col} so that IDEs, terminals and GitHub
 * make it clickable.
 *
 * <p>Parsers that work with 0-based marks (snakeyaml-engine) convert once, through
 * {@link #ofZeroBased(Path, int, int)}.
 *
 * @param file the file as it was named (relative paths stay relative)
 * @param line the 1-based line
 * @param column the 1-based column
 * @since 0.1.0
 */
public record SourceLocation(Path file, int line, int column) implements Comparable<SourceLocation> {

  private static final Comparator<SourceLocation> ORDER =
      Comparator.comparing((SourceLocation l) -> l.file().toString())
          .thenComparingInt(SourceLocation::line)
          .thenComparingInt(SourceLocation::column);

  /** Validates the position. */
  public SourceLocation {
    Objects.requireNonNull(file, "file");
    if (line < 1) {
      throw new IllegalArgumentException("line must be 1 or more but was " + line);
    }
    if (column < 1) {
      throw new IllegalArgumentException("column must be 1 or more but was " + column);
    }
  }

  /** The location of a 1-based line and column. */
  public static SourceLocation of(Path file, int line, int column) {
    return new SourceLocation(file, line, column);
  }

  /** The start of a 1-based line. */
  public static SourceLocation of(Path file, int line) {
    return new SourceLocation(file, line, 1);
  }

  /** The start of a file. */
  public static SourceLocation startOf(Path file) {
    return new SourceLocation(file, 1, 1);
  }

  /** Converts 0-based marks (as snakeyaml-engine reports them) to a location. */
  public static SourceLocation ofZeroBased(Path file, int line, int column) {
    return new SourceLocation(file, line + 1, column + 1);
  }

  /** This location on another line of the same file, column 1. */
  public SourceLocation atLine(int otherLine) {
    return new SourceLocation(file, otherLine, 1);
  }

  /** {@code file:line:col} with forward slashes, whatever the platform. */
  public String render() {
    return renderPath(file) + ":" + line + ":" + column;
  }

  /** A path rendered with forward slashes, as reports print it. */
  public static String renderPath(Path path) {
    return path.toString().replace('\\', '/');
  }

  @Override
  public int compareTo(SourceLocation other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return render();
  }
}

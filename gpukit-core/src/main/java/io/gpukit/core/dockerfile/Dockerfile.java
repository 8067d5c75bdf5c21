package io.gpukit.core.dockerfile;

import io.gpukit.core.source.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed Dockerfile: its parser directives, all instructions in order, the global {@code ARG}s
 * and the build stages.
 *
 * @param path the file as it was named
 * @param directives the parser directives at the top of the file
 * @param escapeChar the escape character: {@code \} or, with {@code # escape=`}, a backtick
 * @param instructions all top-level instructions in file order
 * @param globalArgs the {@code ARG}s before the first {@code FROM}
 * @param stages the build stages, at least one
 * @since 0.1.0
 */
public record Dockerfile(
    Path path,
    List<Directive> directives,
    char escapeChar,
    List<Instruction> instructions,
    List<Arg> globalArgs,
    List<Stage> stages) {

  /** Validates the fields and copies the lists. */
  public Dockerfile {
    Objects.requireNonNull(path, "path");
    directives = List.copyOf(directives);
    instructions = List.copyOf(instructions);
    globalArgs = List.copyOf(globalArgs);
    stages = List.copyOf(stages);
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("a Dockerfile has at least one stage");
    }
  }

  /**
   * Reads and parses a file.
   *
   * @throws io.gpukit.core.source.SourceParseException when the file cannot be read or parsed
   */
  public static Dockerfile parse(Path path) {
    return DockerfileParser.parse(SourceFile.read(path));
  }

  /**
   * Parses text in memory.
   *
   * @throws io.gpukit.core.source.SourceParseException when the text cannot be parsed
   */
  public static Dockerfile parse(Path path, String text) {
    return DockerfileParser.parse(SourceFile.of(path, text));
  }

  /** The last stage: what {@code docker build} builds without {@code --target}. */
  public Stage finalStage() {
    return stages.get(stages.size() - 1);
  }

  /** A stage by name (case-insensitive) or by 0-based index. */
  public Optional<Stage> stage(String nameOrIndex) {
    for (Stage s : stages) {
      if (s.isNamed(nameOrIndex)) {
        return Optional.of(s);
      }
    }
    int index = parseIndex(nameOrIndex);
    return index >= 0 && index < stages.size() ? Optional.of(stages.get(index)) : Optional.empty();
  }

  /** The directive with this name (lower-case), if present. */
  public Optional<Directive> directive(String name) {
    return directives.stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /**
   * Every {@code COPY --from} of every stage, resolved against the earlier stages by name or
   * index.
   */
  public List<CopyFromEdge> copyFromGraph() {
    List<CopyFromEdge> edges = new ArrayList<>();
    for (Stage to : stages) {
      for (Copy copy : to.instructionsOf(Copy.class)) {
        Optional<String> from = copy.from();
        if (from.isEmpty()) {
          continue;
        }
        edges.add(new CopyFromEdge(to, from.get(), earlier(to, from.get()), copy.location()));
      }
    }
    return List.copyOf(edges);
  }

  private Optional<Stage> earlier(Stage to, String from) {
    for (int i = 0; i < to.index(); i++) {
      if (stages.get(i).isNamed(from)) {
        return Optional.of(stages.get(i));
      }
    }
    int index = parseIndex(from);
    return index >= 0 && index < to.index() ? Optional.of(stages.get(index)) : Optional.empty();
  }

  private static int parseIndex(String text) {
    if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    return Integer.parseInt(text);
  }
}

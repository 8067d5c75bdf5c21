package io.gpukit.core.project;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One repository of the realistic corpus and the files beside it: {@code <name>.expected} (the
 * truth, as a reviewer judges it), {@code <name>.deviations} (where gpukit differs today: {@code fp}
 * and {@code miss} lines) and {@code <name>.scope} (each Dockerfile and manifest, {@code gpu} or
 * {@code not-gpu}).
 */
record CorpusRepository(Path folder) {

  /** {@code path:LINE rule-id}, nothing else on the line once comments and reasons are cut. */
  static final Pattern ENTRY = Pattern.compile("[^\\s:]+(/[^\\s:]+)*:\\d+ [a-z0-9-]+/[a-z0-9-]+");

  String name() {
    return folder.getFileName().toString();
  }

  @Override
  public String toString() {
    return name();
  }

  Path expectedFile() {
    return folder.resolveSibling(name() + ".expected");
  }

  Path deviationsFile() {
    return folder.resolveSibling(name() + ".deviations");
  }

  Path scopeFile() {
    return folder.resolveSibling(name() + ".scope");
  }

  /** The expected findings, in file order. */
  List<String> expectedLines() {
    return contentLines(expectedFile());
  }

  CorpusFindings expected() {
    return new CorpusFindings(expectedLines());
  }

  /** The deviations file's {@code fp} entries. */
  CorpusFindings falsePositives() {
    return deviations("fp");
  }

  /** The deviations file's {@code miss} entries. */
  CorpusFindings misses() {
    return deviations("miss");
  }

  /** The deviations file's lines as {@code fp|miss entry} to their reason ({@code -- why}), if any. */
  Map<String, String> deviationReasons() {
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.isRegularFile(deviationsFile())) {
      return out;
    }
    for (String raw : readAll(deviationsFile())) {
      String line = withoutComment(raw);
      int reason = line.indexOf(" -- ");
      if (!line.isEmpty() && reason > 0) {
        out.put(line.substring(0, reason).strip(), line.substring(reason + 4).strip());
      }
    }
    return out;
  }

  private CorpusFindings deviations(String kind) {
    if (!Files.isRegularFile(deviationsFile())) {
      return new CorpusFindings(List.of());
    }
    List<String> out = new ArrayList<>();
    for (String line : contentLines(deviationsFile())) {
      if (line.startsWith(kind + " ")) {
        out.add(line.substring(kind.length() + 1).strip());
      } else if (!line.startsWith("fp ") && !line.startsWith("miss ")) {
        throw new IllegalStateException(deviationsFile() + ": neither 'fp' nor 'miss': " + line);
      }
    }
    return new CorpusFindings(out);
  }

  /** Each Dockerfile and manifest by relative path: true for {@code gpu}, false for {@code not-gpu}. */
  Map<String, Boolean> scope() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (String line : contentLines(scopeFile())) {
      String[] parts = line.split("\\s+");
      if (parts.length != 2 || !(parts[1].equals("gpu") || parts[1].equals("not-gpu"))) {
        throw new IllegalStateException(scopeFile() + ": not 'path gpu|not-gpu': " + line);
      }
      if (out.put(parts[0], parts[1].equals("gpu")) != null) {
        throw new IllegalStateException(scopeFile() + ": listed twice: " + parts[0]);
      }
    }
    return out;
  }

  /** The lines that say something: comments ({@code #}) and reasons ({@code -- why}) cut, blank lines skipped. */
  static List<String> contentLines(Path file) {
    List<String> out = new ArrayList<>();
    for (String raw : readAll(file)) {
      String line = withoutComment(raw);
      int reason = line.indexOf(" -- ");
      if (reason >= 0) {
        line = line.substring(0, reason).strip();
      }
      if (!line.isEmpty()) {
        out.add(line);
      }
    }
    return out;
  }

  private static String withoutComment(String raw) {
    String line = raw.strip();
    return line.startsWith("#") ? "" : line;
  }

  private static List<String> readAll(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

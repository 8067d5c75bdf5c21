package io.gpukit.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The GitHub Actions workflows the workflow benchmarks read: a bundled corpus of realistic files
 * (GPU pipelines, matrix runners, runner groups, reusable workflow calls, anchors, broken
 * pipelines), sorted by name so every run measures the same bytes.
 */
public final class WorkflowCorpus {

  /** The classpath folder of the bundled workflows. */
  public static final String RESOURCE_FOLDER = "workflow-corpus";

  private WorkflowCorpus() {}

  /** The bundled workflows, sorted by name, read from the classpath (a folder or the shaded jar). */
  public static List<Corpus.Entry> bundled() {
    URL url = WorkflowCorpus.class.getClassLoader().getResource(RESOURCE_FOLDER);
    if (url == null) {
      throw new IllegalStateException("the corpus folder '" + RESOURCE_FOLDER + "' is not on the classpath");
    }
    try {
      URI uri = url.toURI();
      if (!"jar".equals(uri.getScheme())) {
        return readFolder(Path.of(uri));
      }
      try {
        return readFolder(FileSystems.getFileSystem(uri).getPath("/" + RESOURCE_FOLDER));
      } catch (FileSystemNotFoundException e) {
        try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
          return readFolder(jar.getPath("/" + RESOURCE_FOLDER));
        }
      }
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the corpus: " + url, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Corpus.Entry> readFolder(Path folder) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".yml"))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    }
    List<Corpus.Entry> entries = new ArrayList<>(files.size());
    for (Path f : files) {
      entries.add(new Corpus.Entry(
          ".github/workflows/" + f.getFileName(), Files.readString(f, StandardCharsets.UTF_8)));
    }
    if (entries.isEmpty()) {
      throw new IllegalStateException("the corpus folder " + folder + " holds no *.yml");
    }
    return List.copyOf(entries);
  }
}

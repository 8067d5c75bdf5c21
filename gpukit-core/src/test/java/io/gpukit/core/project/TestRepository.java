package io.gpukit.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A small repository in a temporary folder, started from a fixture under {@code fixtures/project}
 * and changed one file at a time.
 */
final class TestRepository {

  private final Path root;

  private TestRepository(Path root) {
    this.root = root;
  }

  /** A copy of {@code fixtures/project/<okOrErr>/<name>} in {@code folder}. */
  static TestRepository copyOf(String fixture, Path folder) {
    try {
      Path from = Path.of(TestRepository.class.getResource("/fixtures/project/" + fixture).toURI());
      try (Stream<Path> files = Files.walk(from)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Path to = folder.resolve(from.relativize(f).toString());
          Files.createDirectories(to.getParent());
          Files.copy(f, to);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return new TestRepository(folder);
  }

  /** The text of a file of a fixture, e.g. {@code ok/complete/k8s/deployment.yaml}. */
  static String fixtureText(String relative) {
    try {
      return Files.readString(Path.of(TestRepository.class.getResource("/fixtures/project/" + relative).toURI()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The complete repository that breaks no rule. */
  static TestRepository complete(Path folder) {
    return copyOf("ok/complete", folder);
  }

  /** An empty repository. */
  static TestRepository empty(Path folder) {
    return new TestRepository(folder);
  }

  Path root() {
    return root;
  }

  Path path(String relative) {
    return root.resolve(relative);
  }

  /** Writes a file, creating its folders. */
  TestRepository with(String relative, String text) {
    try {
      Path file = path(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Replaces text in a file; the text must be there. */
  TestRepository replace(String relative, String old, String replacement) {
    String text = read(relative);
    assertThat(text).as("%s of the test repository", relative).contains(old);
    return with(relative, text.replace(old, replacement));
  }

  /** Deletes a file. */
  TestRepository without(String relative) {
    try {
      Files.delete(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  String read(String relative) {
    try {
      return Files.readString(path(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Scans the repository under its own gpukit.yaml. */
  GpuProject scan() {
    return GpuProject.scan(root);
  }
}

package io.gpukit.core.policy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gpukit.core.source.SourceLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any bytes in a baseline file give a baseline, or the documented {@link IllegalArgumentException}
 * that starts with the file:line of the line that is not a rendered violation. Bytes that are not
 * UTF-8 are the documented {@link UncheckedIOException} naming the file (it has no line to name).
 */
class BaselineFuzzTests {

  private static final Path FILE = file();

  private static Path file() {
    try {
      Path folder = Files.createTempDirectory("gpukit-baseline-fuzz");
      folder.toFile().deleteOnExit();
      Path file = folder.resolve("gpukit-baseline.txt");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "90s")
  void baseline_or_located_error(byte[] bytes) throws IOException {
    Files.write(FILE, bytes);
    try {
      if (Baseline.read(FILE) == null) {
        throw new AssertionError("no baseline");
      }
    } catch (IllegalArgumentException e) {
      String prefix = SourceLocation.renderPath(FILE) + ":";
      if (e.getMessage() == null || !e.getMessage().startsWith(prefix)) {
        throw new AssertionError("the baseline error does not start with " + prefix + ": " + e.getMessage(), e);
      }
    } catch (UncheckedIOException e) {
      if (e.getMessage() == null || !e.getMessage().contains(FILE.toString())) {
        throw new AssertionError("the baseline read error does not name the file: " + e.getMessage(), e);
      }
    }
  }
}

package io.gpukit.core.policy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gpukit.core.source.ParseFuzzing;
import io.gpukit.core.source.SourceParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Any bytes in {@code gpukit.yaml} give a configuration or a located parse error. */
class GpuKitConfigFuzzTests {

  private static final Path FILE = file();

  private static Path file() {
    try {
      Path folder = Files.createTempDirectory("gpukit-config-fuzz");
      folder.toFile().deleteOnExit();
      Path file = folder.resolve(GpuKitConfig.FILE_NAME);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "90s")
  void configuration_or_located_error(byte[] bytes) throws IOException {
    Files.write(FILE, bytes);
    try {
      if (GpuKitConfig.load(FILE) == null) {
        throw new AssertionError("no configuration");
      }
    } catch (SourceParseException e) {
      ParseFuzzing.assertLocated(e, FILE, bytes.length + 1);
    }
  }
}

package io.gpukit.core.dockerfile;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gpukit.core.source.ParseFuzzing;
import java.nio.file.Path;

/**
 * Any bytes read as a Dockerfile give a model the rules check without crashing, or a located parse
 * error. Regression mode (every build) replays the committed inputs; {@code JAZZER_FUZZ=1} searches
 * for new ones (see bench/fuzz-campaign.sh).
 */
class DockerfileFuzzTests {

  private static final Path FILE = Path.of("Dockerfile");

  @FuzzTest(maxDuration = "90s")
  void model_or_located_error(byte[] bytes) {
    ParseFuzzing.parseAndCheck(FILE, bytes, DockerfileKind.INSTANCE);
  }
}

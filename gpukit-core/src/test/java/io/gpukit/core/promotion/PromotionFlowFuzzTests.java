package io.gpukit.core.promotion;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gpukit.core.source.ParseFuzzing;
import java.nio.file.Path;

/**
 * Any bytes read as a promotion flow (YAML or JSON) give a checked flow or a located parse error;
 * the rules match each stage's tag_pattern, so a costly pattern shows here as a fuzzer timeout.
 */
class PromotionFlowFuzzTests {

  private static final Path FILE = Path.of("promotion.yaml");

  @FuzzTest(maxDuration = "90s")
  void model_or_located_error(byte[] bytes) {
    ParseFuzzing.parseAndCheck(FILE, bytes, PromotionKind.INSTANCE);
  }
}

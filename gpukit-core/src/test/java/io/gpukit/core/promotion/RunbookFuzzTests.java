package io.gpukit.core.promotion;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gpukit.core.source.ParseFuzzing;
import java.nio.file.Path;

/** Any bytes read as a rollback runbook (Markdown) give checked commands or a located parse error. */
class RunbookFuzzTests {

  private static final Path FILE = Path.of("docs", "ROLLBACK.md");

  @FuzzTest(maxDuration = "90s")
  void model_or_located_error(byte[] bytes) {
    ParseFuzzing.parseAndCheck(FILE, bytes, PromotionKind.INSTANCE);
  }
}

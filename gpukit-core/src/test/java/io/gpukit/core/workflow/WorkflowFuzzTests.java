package io.gpukit.core.workflow;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gpukit.core.source.ParseFuzzing;
import java.nio.file.Path;

/** Any bytes read as a GitHub Actions workflow give a checked model or a located parse error. */
class WorkflowFuzzTests {

  private static final Path FILE = Path.of(".github", "workflows", "gpu.yml");

  @FuzzTest(maxDuration = "90s")
  void model_or_located_error(byte[] bytes) {
    ParseFuzzing.parseAndCheck(FILE, bytes, WorkflowKind.INSTANCE);
  }
}

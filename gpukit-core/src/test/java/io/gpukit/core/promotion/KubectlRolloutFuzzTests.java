package io.gpukit.core.promotion;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gpukit.core.source.SourceLocation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Any command line gives its kubectl rollout commands (maybe none), located in the file: never an error. */
class KubectlRolloutFuzzTests {

  private static final SourceLocation AT = SourceLocation.of(Path.of("ROLLBACK.md"), 12, 3);

  @FuzzTest(maxDuration = "90s")
  void commands_or_none(byte[] bytes) {
    String line = new String(bytes, StandardCharsets.UTF_8);
    List<KubectlRollout> all = KubectlRollout.parseAll(line, AT);
    for (KubectlRollout rollout : all) {
      if (!rollout.location().file().equals(AT.file()) || rollout.location().line() < AT.line()) {
        throw new AssertionError("'" + line + "' gave a rollout at " + rollout.location().render());
      }
    }
    if (KubectlRollout.parse(line, AT).isPresent() != !all.isEmpty()) {
      throw new AssertionError("parse and parseAll disagree on '" + line + "'");
    }
  }
}

package io.gpukit.core.dockerfile;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A HEALTHCHECK duration is a {@link Duration} or Go's "invalid duration" message, nothing else. */
class GoDurationFuzzTests {

  @FuzzTest(maxDuration = "90s")
  void duration_or_go_message(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    try {
      Duration d = GoDuration.parse(text);
      if (d == null) {
        throw new AssertionError("null duration for '" + text + "'");
      }
    } catch (IllegalArgumentException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith("time: ")) {
        throw new AssertionError("not Go's message for '" + text + "': " + e.getMessage(), e);
      }
    }
  }
}

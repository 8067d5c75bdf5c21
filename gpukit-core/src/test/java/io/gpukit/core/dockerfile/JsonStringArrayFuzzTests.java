package io.gpukit.core.dockerfile;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The exec form decodes any text as BuildKit does: strings, shell form ({@code null}), or the
 * line error for an array holding something other than strings.
 */
class JsonStringArrayFuzzTests {

  @FuzzTest(maxDuration = "90s")
  void strings_shell_form_or_line_error(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    try {
      List<String> strings = JsonStringArray.decode(text);
      if (strings != null && strings.stream().anyMatch(java.util.Objects::isNull)) {
        throw new AssertionError("a null string from '" + text + "'");
      }
    } catch (LineParsers.LineException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError("a line error without a message for '" + text + "'", e);
      }
    }
  }
}

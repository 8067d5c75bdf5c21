package io.gpukit.core.dockerfile;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;
import java.util.Set;

/** The shell lexer splits, unquotes and expands any text: it never throws and always ends. */
class ShellWordsFuzzTests {

  private static final Map<String, String> ENV = Map.of("CUDA", "12.4.1", "BASE", "nvidia/cuda", "EMPTY", "");

  @FuzzTest(maxDuration = "90s")
  void splits_unquotes_and_expands_anything(FuzzedDataProvider data) {
    char escape = data.consumeBoolean() ? '\\' : '`';
    String text = data.consumeRemainingAsString();
    for (String word : ShellWords.rawWords(text)) {
      if (word.isEmpty()) {
        throw new AssertionError("an empty raw word from '" + text + "'");
      }
    }
    ShellWords.unquote(text, escape);
    ShellWords.Expansion expansion = ShellWords.expand(text, escape, ENV, Set.of("UNKNOWN"));
    if (expansion.value() == null) {
      throw new AssertionError("no expansion of '" + text + "'");
    }
  }
}

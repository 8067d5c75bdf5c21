package io.gpukit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BoundedMatchTests {

  private static final Pattern NESTED = Pattern.compile("((a+)+)+b");

  @Nested
  class Within_the_budget {

    @Test
    void matches_and_find_answer_like_the_matcher() {
      assertThat(BoundedMatch.matches(Pattern.compile("sha-[0-9a-f]{7}"), "sha-0a1b2c3")).contains(true);
      assertThat(BoundedMatch.matches(Pattern.compile("sha-[0-9a-f]{7}"), "x-sha-0a1b2c3")).contains(false);
      assertThat(BoundedMatch.find(Pattern.compile("nvidia-smi"), "run: nvidia-smi -L")).contains(true);
      assertThat(BoundedMatch.find(Pattern.compile("nvidia-smi"), "run: rocm-smi")).contains(false);
    }
  }

  @Nested
  class Past_the_budget {

    @Test
    void a_catastrophic_pattern_on_a_long_input_ends_with_no_answer() {
      // given
      String input = "a".repeat(200) + "!";

      // when / then: it ends, and says it could not decide
      assertThat(BoundedMatch.matches(NESTED, input)).isEmpty();
      assertThat(BoundedMatch.find(NESTED, input)).isEmpty();
    }
  }
}

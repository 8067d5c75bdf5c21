package io.gpukit.core.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TagPatternCostTests {

  private static final Path FLOW = Path.of("promotion.yaml");

  private static PolicyReport check(String tagPattern) {
    String yaml = """
        image_promotion_flow:
          - stage: dev
            env: development
            tag_pattern: '%s'
            gate: ci-green
        """.formatted(tagPattern);
    return PolicyEngine.withDefaults().evaluate(SourceFile.of(FLOW, yaml), PromotionKind.INSTANCE);
  }

  private static List<Violation> costly(PolicyReport report) {
    return report.violationsOf(PromotionRules.TAG_PATTERN_COMPILES.descriptor().id()).stream()
        .filter(v -> v.message().contains("too costly"))
        .toList();
  }

  @Nested
  class Catastrophic_patterns {

    @Test
    void nested_repetition_ends_with_a_located_finding_instead_of_hanging_the_check() {
      // when
      PolicyReport report = check("^((a+)+)+$");

      // then
      assertThat(costly(report)).singleElement().satisfies(v -> {
        assertThat(v.location()).isEqualTo(SourceLocation.of(FLOW, 4, 18));
        assertThat(v.message()).startsWith("stage 'dev' has tag_pattern '^((a+)+)+$', which is too costly to match:"
            + " on the 128-character tag 'aaaaaaaaaaaaaaaa…!' it backtracks past 200000 steps");
        assertThat(v.hint()).contains("sha-[0-9a-f]{7,40}");
      });
    }

    @ParameterizedTest
    @ValueSource(strings = {"(a|aa){1,100}b", "sha-([0-9a-f]+){1,40}", "(v|v[0-9]|[0-9.]+){1,64}", "(.*a){20}",
        "([a-z0-9]+-?){2,40}$"})
    void other_exponential_shapes_are_found(String pattern) {
      assertThat(costly(check(pattern))).hasSize(1);
    }

    @Test
    void a_long_string_against_nested_repetition_is_refused_not_matched_forever() {
      // given
      Pattern pattern = Pattern.compile("^(a+)+$");
      String tag = "a".repeat(10_000) + "!";

      // when / then: the match gives up; the stage accepts nothing it cannot decide
      assertThat(TagMatching.tryMatches(pattern, tag)).isEmpty();
      assertThat(TagMatching.matches(pattern, tag)).isFalse();
    }
  }

  @Nested
  class Ordinary_patterns {

    // Java 9+ remembers where a plain (a+)+ or (a|aa)* failed: quadratic, cheap on a 128-character tag
    @ParameterizedTest
    @ValueSource(strings = {"^(a+)+$", "(a|aa)*b", "sha-[0-9a-f]{7,40}", "v[0-9]+\\.[0-9]+\\.[0-9]+(-rc[0-9]+)?", "[a-z0-9._-]+",
        "(sha|git)-[0-9a-f]{40}", "release-.*", "\\d{8}-[0-9a-f]{7}"})
    void are_not_reported_as_costly(String pattern) {
      assertThat(costly(check(pattern))).isEmpty();
    }

    @Test
    void the_probe_finds_no_costly_tag_for_a_commit_pattern() {
      assertThat(TagMatching.costlyTag(Pattern.compile("sha-[0-9a-f]{7,40}"), List.of("sha-0000000"))).isEmpty();
    }
  }
}

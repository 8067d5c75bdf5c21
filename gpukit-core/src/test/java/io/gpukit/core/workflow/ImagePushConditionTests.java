package io.gpukit.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagePushConditionTests {

  private static final Predicate<String> ON_MAIN = atom -> atom.contains("github.ref == 'refs/heads/main'");

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiterString = " => ",
      value = {
        "github.ref == 'refs/heads/main' => true",
        "${{ github.ref == 'refs/heads/main' }} => true",
        "success() && github.ref == 'refs/heads/main' => true",
        "(github.ref == 'refs/heads/main') && github.event_name == 'push' => true",
        "github.ref == 'refs/heads/main' || github.event_name == 'workflow_dispatch' => false",
        "${{ github.event_name == 'pull_request' || github.ref == 'refs/heads/main' }} => false",
        "(github.ref == 'refs/heads/main' || inputs.force) && success() => false",
        "github.ref == 'refs/heads/main' || (github.ref == 'refs/heads/main' && inputs.force) => true",
        "!(github.ref == 'refs/heads/main') => false",
        "contains(github.event.head_commit.message, '||') && github.ref == 'refs/heads/main' => true",
      })
  void a_condition_gates_only_when_every_alternative_requires_the_comparison(String condition, boolean gated) {
    assertThat(ImagePush.requires(condition, ON_MAIN)).isEqualTo(gated);
  }
}

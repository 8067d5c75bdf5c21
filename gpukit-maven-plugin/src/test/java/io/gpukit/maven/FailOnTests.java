package io.gpukit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.policy.Severity;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FailOnTests {

  @Nested
  class Parsing {

    @Test
    void reads_each_level_ignoring_case_and_blanks() {
      assertThat(FailOn.parse("error")).isEqualTo(FailOn.ERROR);
      assertThat(FailOn.parse(" Warning ")).isEqualTo(FailOn.WARNING);
      assertThat(FailOn.parse("INFO")).isEqualTo(FailOn.INFO);
      assertThat(FailOn.parse("none")).isEqualTo(FailOn.NONE);
    }

    @Test
    void reads_the_clis_never_as_none() {
      assertThat(FailOn.parse("never")).isEqualTo(FailOn.NONE);
    }

    @Test
    void refuses_anything_else_naming_the_accepted_values() {
      assertThatThrownBy(() -> FailOn.parse("errors"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("failOn 'errors' is not one of error, warning, info, none");
    }
  }

  @Nested
  class Thresholds {

    @Test
    void none_never_fails_and_the_others_are_their_severity() {
      assertThat(FailOn.NONE.severity()).isEmpty();
      assertThat(FailOn.WARNING.severity()).contains(Severity.WARNING);
      assertThat(FailOn.of(Optional.of(Severity.INFO))).isEqualTo(FailOn.INFO);
      assertThat(FailOn.of(Optional.empty())).isEqualTo(FailOn.NONE);
    }
  }
}

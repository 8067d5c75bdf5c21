package io.gpukit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FindingsTests {

  static final Violation NO_USER = new Violation("dockerfile/final-stage-non-root", Severity.ERROR,
      SourceLocation.of(Path.of("service/Dockerfile"), 4, 1), "the final stage has no USER, so it runs as root",
      "add 'USER 10001' (a numeric uid) to the final stage after installing files");
  static final Violation SHELL_FORM = new Violation("dockerfile/exec-form", Severity.WARNING,
      SourceLocation.of(Path.of("service/Dockerfile"), 8, 1), "HEALTHCHECK uses the shell form", "");
  static final Violation NO_TIMEOUT = new Violation("workflow/job-timeout", Severity.INFO,
      SourceLocation.of(Path.of(".github/workflows/ci.yml"), 12, 3), "job 'build' has no timeout-minutes", "");

  static CheckRun.Outcome outcome(FailOn failOn, Violation... violations) {
    return new CheckRun.Outcome(PolicyReport.of(List.of(), List.of(violations), List.of()), failOn, Optional.empty());
  }

  @Nested
  class Lines {

    @Test
    void a_finding_reads_file_line_message_rule() {
      assertThat(Findings.line(NO_USER))
          .isEqualTo("service/Dockerfile:4: the final stage has no USER, so it runs as root [dockerfile/final-stage-non-root]");
    }

    @Test
    void the_console_has_the_rendered_finding_then_its_hint() {
      assertThat(Findings.consoleLines(NO_USER)).containsExactly(
          "service/Dockerfile:4:1: error: the final stage has no USER, so it runs as root [dockerfile/final-stage-non-root]",
          "  hint: add 'USER 10001' (a numeric uid) to the final stage after installing files");
      assertThat(Findings.consoleLines(SHELL_FORM)).hasSize(1);
    }

    @Test
    void control_characters_in_a_message_cannot_forge_log_lines() {
      Violation forged = new Violation("gpukit/parse-error", Severity.ERROR, SourceLocation.of(Path.of("a.yaml"), 1, 1),
          "bad\n[INFO] BUILD SUCCESS", "");

      assertThat(Findings.line(forged)).isEqualTo("a.yaml:1: bad?[INFO] BUILD SUCCESS [gpukit/parse-error]");
    }
  }

  @Nested
  class Failure {

    @Test
    void says_how_many_and_which_severities_failed_and_lists_only_those() {
      // given
      CheckRun.Outcome outcome = outcome(FailOn.WARNING, NO_TIMEOUT, SHELL_FORM, NO_USER);

      // when
      String message = Findings.failure(outcome, "service", List.of("target/gpukit/gpukit.sarif"));

      // then
      assertThat(message.lines()).containsExactly(
          "gpukit found 2 findings at or above failOn 'warning' in service (1 error, 1 warning):",
          "service/Dockerfile:4: the final stage has no USER, so it runs as root [dockerfile/final-stage-non-root]",
          "service/Dockerfile:8: HEALTHCHECK uses the shell form [dockerfile/exec-form]",
          "Reports: target/gpukit/gpukit.sarif");
    }

    @Test
    void one_finding_reads_in_the_singular() {
      assertThat(Findings.failure(outcome(FailOn.ERROR, NO_USER, SHELL_FORM), "service", List.of()).lines().toList())
          .first().isEqualTo("gpukit found 1 finding at or above failOn 'error' in service (1 error):");
    }

    @Test
    void an_outcome_fails_only_at_or_above_its_threshold() {
      assertThat(outcome(FailOn.ERROR, SHELL_FORM).fails()).isFalse();
      assertThat(outcome(FailOn.WARNING, SHELL_FORM).fails()).isTrue();
      assertThat(outcome(FailOn.NONE, NO_USER).fails()).isFalse();
      assertThat(outcome(FailOn.INFO, NO_USER, SHELL_FORM, NO_TIMEOUT).failing()).isEqualTo(3);
    }
  }
}

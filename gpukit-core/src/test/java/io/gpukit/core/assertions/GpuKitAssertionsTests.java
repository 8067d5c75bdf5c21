package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.DockerfileKind;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuKitAssertionsTests {

  private static final String GOOD =
      "FROM nvidia/cuda:13.0.1-devel-ubuntu24.04 AS build\n"
          + "RUN make\n"
          + "FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04\n"
          + "COPY --from=build /src/server /app/server\n"
          + "USER 10001\n"
          + "HEALTHCHECK CMD [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\"]\n"
          + "ENTRYPOINT [\"/app/server\"]\n";

  private static final String BAD =
      "FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04\n"
          + "RUN make -C /src && cp /src/server /app/server\n"
          + "HEALTHCHECK CMD curl -f http://localhost:8000/healthz\n"
          + "ENTRYPOINT [\"/app/server\"]\n";

  private static Dockerfile dockerfile(String text) {
    return Dockerfile.parse(Path.of("Dockerfile"), text);
  }

  private static PolicyReport report(String text) {
    return PolicyEngine.withDefaults().evaluate(SourceFile.of(Path.of("Dockerfile"), text), DockerfileKind.INSTANCE);
  }

  @Nested
  class Dockerfile_assertions {

    @Test
    void pass_for_a_gpu_ready_two_stage_build() {
      assertThat(dockerfile(GOOD)).hasAtLeastStages(2).finalStage().runsAsNonRoot().hasGpuAwareHealthcheck();
    }

    @Test
    void name_the_file_and_line_of_the_stage_when_it_runs_as_root() {
      assertThatThrownBy(() -> assertThat(dockerfile(BAD)).finalStage().runsAsNonRoot())
          .isInstanceOf(AssertionError.class)
          .hasMessageContainingAll(
              "Dockerfile:1:1: FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04",
              "to run as a non-root user",
              "it has no USER instruction, so it runs as root");
    }

    @Test
    void show_the_root_user_instruction() {
      // given
      String rootAtTheEnd = GOOD.replace("USER 10001\n", "USER 10001\nUSER root\n");

      // then
      assertThatThrownBy(() -> assertThat(dockerfile(rootAtTheEnd)).finalStage().runsAsNonRoot())
          .hasMessageContaining("it runs as root: Dockerfile:6:1: USER root");
    }

    @Test
    void say_what_the_healthcheck_is_when_it_does_not_probe_the_gpu() {
      assertThatThrownBy(() -> assertThat(dockerfile(BAD)).finalStage().hasGpuAwareHealthcheck())
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("to have a HEALTHCHECK that runs a GPU probe")
          .hasMessageContaining("its HEALTHCHECK is http only: Dockerfile:3:1: HEALTHCHECK CMD curl -f");
    }

    @Test
    void accept_probes_declared_in_the_configuration(@TempDir Path dir) throws IOException {
      // given
      Files.writeString(dir.resolve("gpukit.yaml"), "gpu:\n  probe-commands: ['/app/server --selfcheck']\n");
      Dockerfile custom = dockerfile(GOOD.replace("[\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\"]", "/app/server --selfcheck"));

      // then
      assertThatThrownBy(() -> assertThat(custom).finalStage().hasGpuAwareHealthcheck()).isInstanceOf(AssertionError.class);
      assertThat(custom).usingConfig(GpuKitConfig.discover(dir)).finalStage().hasGpuAwareHealthcheck();
    }

    @Test
    void list_the_stages_when_there_are_too_few() {
      assertThatThrownBy(() -> assertThat(dockerfile(BAD)).hasAtLeastStages(2))
          .hasMessageContainingAll("to have at least 2 FROM stages", "but it has 1", "Dockerfile:1:1: FROM nvidia/cuda");
    }

    @Test
    void navigate_to_a_stage_by_name_or_index() {
      assertThat(dockerfile(GOOD)).stage("1").runsAsNonRoot();
      assertThatThrownBy(() -> assertThat(dockerfile(GOOD)).stage("BUILD").runsAsNonRoot())
          .hasMessageContaining("AS build");
    }

    @Test
    void fail_listing_the_stages_for_an_unknown_stage_name() {
      assertThatThrownBy(() -> assertThat(dockerfile(GOOD)).stage("test"))
          .hasMessageContainingAll("to have a stage named", "\"test\"", "AS build");
    }

    @Test
    void check_against_every_rule() {
      assertThat(dockerfile(GOOD)).checkedAgainstRules().hasNoViolations();
      assertThat(dockerfile(BAD)).checkedAgainstRules().hasViolation("dockerfile/multi-stage").atLine(1);
    }

    @Test
    void reject_bad_arguments() {
      assertThatIllegalArgumentException().isThrownBy(() -> assertThat(dockerfile(GOOD)).hasAtLeastStages(0));
      assertThatNullPointerException().isThrownBy(() -> assertThat(dockerfile(GOOD)).usingConfig(null))
          .withMessage("The given config should not be null");
    }

    @Test
    void work_as_soft_assertions() {
      // given
      SoftAssertions softly = new SoftAssertions();

      // when
      softly.proxy(DockerfileAssert.class, Dockerfile.class, dockerfile(BAD)).hasAtLeastStages(2);
      softly.proxy(DockerfileAssert.class, Dockerfile.class, dockerfile(BAD)).hasAtLeastStages(3);

      // then
      assertThatThrownBy(softly::assertAll).hasMessageContaining("Multiple Failures (2 failures)");
    }
  }

  @Nested
  class Report_assertions {

    @Test
    void pass_when_clean() {
      assertThat(report(GOOD)).hasNoViolations().doesNotHaveViolation("dockerfile/multi-stage");
    }

    @Test
    void list_every_violation_with_its_hint_when_not_clean() {
      assertThatThrownBy(() -> assertThat(report(BAD)).hasNoViolations())
          .isInstanceOf(AssertionError.class)
          .hasMessageContainingAll(
              "Expecting a gpukit report with no violations but found",
              "Dockerfile:1:1: error: only 1 FROM stage",
              "  hint: add a build stage",
              "Dockerfile:3:1: error: the HEALTHCHECK only checks HTTP/TCP",
              "1 file checked:");
    }

    @Test
    void find_a_violation_at_a_line() {
      assertThat(report(BAD))
          .hasViolation("dockerfile/final-stage-healthcheck")
          .atLine(3)
          .withMessageContaining("HTTP/TCP")
          .hasSize(1);
    }

    @Test
    void say_where_the_violations_are_when_the_line_is_wrong() {
      assertThatThrownBy(() -> assertThat(report(BAD)).hasViolation("dockerfile/final-stage-healthcheck").atLine(2))
          .hasMessageContainingAll("at line", "2", "Dockerfile:3:1: error: the HEALTHCHECK");
    }

    @Test
    void list_the_report_when_the_rule_did_not_fire() {
      assertThatThrownBy(() -> assertThat(report(GOOD)).hasViolation("dockerfile/multi-stage"))
          .hasMessageContainingAll("to have a violation of", "dockerfile/multi-stage", "(none)");
    }

    @Test
    void filter_by_threshold() {
      // given a report with only a warning
      PolicyReport warningsOnly = report(GOOD.replace("USER 10001", "USER app"));

      // then
      assertThat(warningsOnly).hasNoViolationsAtOrAbove(io.gpukit.core.policy.Severity.ERROR);
      assertThatThrownBy(() -> assertThat(warningsOnly).hasNoViolationsAtOrAbove(io.gpukit.core.policy.Severity.WARNING))
          .hasMessageContaining("numeric-user");
    }
  }
}

package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.policy.Severity;
import io.gpukit.core.project.GpuProject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GpuProjectAssert}: what passes, and the failure messages, file:line by file:line. */
class GpuProjectAssertTests {

  /** The probe-mismatch fixture (one cross-file error in the manifest) with a warning in the Dockerfile. */
  private static GpuProject unsound(Path folder) throws IOException, URISyntaxException {
    Path from = Path.of(GpuProjectAssertTests.class.getResource("/fixtures/project/err/probe-mismatch").toURI());
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path to = folder.resolve(from.relativize(f).toString());
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    }
    Path dockerfile = folder.resolve("Dockerfile");
    Files.writeString(dockerfile, Files.readString(dockerfile).replace("USER 10001:10001", "USER app"), StandardCharsets.UTF_8);
    return GpuProject.scan(folder);
  }

  @Nested
  class Has_no_violations {

    @Test
    void fails_listing_every_violation_by_file_with_its_hint_then_the_summary(@TempDir Path folder) throws Exception {
      // given
      GpuProject project = unsound(folder);

      // then
      assertThatThrownBy(() -> assertThat(project).hasNoViolations())
          .isInstanceOf(AssertionError.class)
          .hasMessage(String.join(System.lineSeparator(),
              "",
              "Expecting the GPU project",
              "  \"" + folder + "\"",
              "to break no gpukit rule, but it breaks 2:",
              "",
              "  " + folder.resolve("Dockerfile") + ":25:1: warning: the final USER 'app' is a name, not a uid"
                  + " [dockerfile/numeric-user]",
              "    hint: use the numeric uid, e.g. 'USER 10001' (create it with 'useradd -u 10001')",
              "",
              "  " + folder.resolve("k8s/deployment.yaml") + ":33:13: error: Deployment/llm GPU container 'server': the"
                  + " readinessProbe runs 'smoke_test.py' but the HEALTHCHECK of " + folder.resolve("Dockerfile")
                  + ":27 runs 'gpukit-probe' [project/probe-matches-healthcheck]",
              "    hint: exec: {command: [java, -jar, /opt/gpukit/gpukit-probe.jar, --mode, readiness]}",
              "",
              "5 files checked: 1 error, 1 warning, 0 info"));
    }

    @Test
    void fails_on_a_project_without_artifacts_instead_of_passing_unchecked(@TempDir Path folder) {
      // given
      GpuProject empty = GpuProject.scan(folder);

      // then
      assertThatThrownBy(() -> assertThat(empty).hasNoViolations())
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("error: nothing to check in " + folder.toAbsolutePath().normalize()
              + ": no Dockerfile, workflow, Kubernetes manifest, promotion flow or runbook was found there"
              + " [gpukit/nothing-to-check]")
          .hasMessageContaining("is the path right? Maven runs tests in the module's folder");
      assertThatThrownBy(() -> assertThat(empty).passesCheck()).hasMessageContaining("[gpukit/nothing-to-check]");
      assertThatThrownBy(() -> assertThat(empty).hasArtifacts()).hasMessageContaining("is the path right?");
    }

    @Test
    void passes_an_empty_project_where_gpukit_yaml_turns_nothing_to_check_off(@TempDir Path folder) throws Exception {
      // given
      Files.writeString(folder.resolve("gpukit.yaml"), "severity:\n  gpukit/nothing-to-check: off\n");

      // when
      GpuProject empty = GpuProject.scan(folder);

      // then
      assertThat(empty).hasNoViolations().passesCheck();
      assertThatThrownBy(() -> assertThat(empty).hasArtifacts()).isInstanceOf(AssertionError.class);
    }
  }

  @Nested
  class Thresholds {

    @Test
    void at_or_above_lists_only_what_reaches_the_threshold(@TempDir Path folder) throws Exception {
      // given
      GpuProject project = unsound(folder);

      // then
      assertThatThrownBy(() -> assertThat(project).hasNoViolationsAtOrAbove(Severity.ERROR))
          .hasMessageContaining("to break no gpukit rule at or above error, but it breaks 1:")
          .hasMessageContaining("[project/probe-matches-healthcheck]")
          .hasMessageNotContaining("[dockerfile/numeric-user]");
      assertThatThrownBy(() -> assertThat(project).hasNoViolationsAtOrAbove(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("The given threshold should not be null");
    }

    @Test
    void passes_check_follows_fail_on_in_gpukit_yaml(@TempDir Path folder) throws Exception {
      // given
      unsound(folder);
      Files.writeString(folder.resolve("gpukit.yaml"), "fail-on: never\n");
      GpuProject never = GpuProject.scan(folder);
      Files.writeString(folder.resolve("gpukit.yaml"), "fail-on: error\n");
      GpuProject onErrors = GpuProject.scan(folder);

      // then
      assertThat(never).passesCheck();
      assertThatThrownBy(() -> assertThat(onErrors).passesCheck()).hasMessageContaining("at or above error, but it breaks 1:");
    }
  }

  @Nested
  class One_rule {

    @Test
    void has_violation_navigates_to_its_violations(@TempDir Path folder) throws Exception {
      // given
      GpuProject project = unsound(folder);

      // then
      assertThat(project).hasViolation("project/probe-matches-healthcheck").atLine(33).withMessageContaining("smoke_test.py");
      assertThatThrownBy(() -> assertThat(project).hasViolation("project/gpu-ci-job"))
          .hasMessageContaining("to have a violation of").hasMessageContaining("project/gpu-ci-job");
    }

    @Test
    void does_not_have_violation_lists_where_it_fired(@TempDir Path folder) throws Exception {
      // given
      GpuProject project = unsound(folder);

      // then
      assertThat(project).doesNotHaveViolation("project/gpu-ci-job");
      assertThatThrownBy(() -> assertThat(project).doesNotHaveViolation("project/probe-matches-healthcheck"))
          .hasMessageContaining("to break no gpukit rule 'project/probe-matches-healthcheck', but it breaks 1:")
          .hasMessageContaining("deployment.yaml:33:13: error: ");
    }
  }
}

package io.gpukit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckMojoTests {

  @TempDir Path repo;

  CheckMojo mojo() throws IOException {
    Files.writeString(repo.resolve("Dockerfile"), CheckRunTests.ROOT_DOCKERFILE);
    CheckMojo mojo = new CheckMojo();
    mojo.directory = repo.toFile();
    mojo.outputDirectory = repo.resolve("target/gpukit").toFile();
    return mojo;
  }

  @Nested
  class Parameters {

    @Test
    void skip_runs_nothing() throws Exception {
      // given: a folder that would fail
      CheckMojo mojo = mojo();
      mojo.skip = true;
      mojo.formats = List.of("sarif");

      // when
      mojo.execute();

      // then
      assertThat(repo.resolve("target")).doesNotExist();
    }

    @Test
    void a_bad_fail_on_errs_the_build_naming_the_accepted_values() throws Exception {
      CheckMojo mojo = mojo();
      mojo.failOn = "high";

      assertThatThrownBy(mojo::execute)
          .isInstanceOf(MojoExecutionException.class)
          .hasMessage("gpukit: failOn 'high' is not one of error, warning, info, none");
    }

    @Test
    void a_bad_format_errs_the_build_before_checking() throws Exception {
      CheckMojo mojo = mojo();
      mojo.formats = List.of("pdf");

      assertThatThrownBy(mojo::execute)
          .isInstanceOf(MojoExecutionException.class)
          .hasMessageStartingWith("gpukit: formats: unknown report format 'pdf'");
    }

    @Test
    void fail_on_none_passes_and_still_writes_the_reports() throws Exception {
      // given
      CheckMojo mojo = mojo();
      mojo.failOn = "none";
      mojo.formats = List.of("json");

      // when
      mojo.execute();

      // then
      assertThat(Files.readString(repo.resolve("target/gpukit/gpukit.json")))
          .contains("dockerfile/final-stage-non-root");
    }
  }

  @Nested
  class Failing {

    @Test
    void findings_at_the_threshold_fail_the_build_listing_each() throws Exception {
      // given
      CheckMojo mojo = mojo();
      mojo.failOn = "warning";

      // then
      assertThatThrownBy(mojo::execute)
          .isInstanceOf(MojoFailureException.class)
          .hasMessageStartingWith("gpukit found 2 findings at or above failOn 'warning' in ")
          .hasMessageContaining("(1 error, 1 warning):")
          .hasMessageContaining("Dockerfile:1: the final stage has no USER, so it runs as root"
              + " [dockerfile/final-stage-non-root]")
          .hasMessageContaining("Dockerfile:3: HEALTHCHECK uses the shell form [dockerfile/exec-form]");
    }
  }

  @Nested
  class WriteBaseline {

    @Test
    void writes_the_findings_then_check_passes() throws Exception {
      // given
      CheckMojo check = mojo();
      WriteBaselineMojo write = new WriteBaselineMojo();
      write.directory = repo.toFile();

      // when
      write.execute();
      check.execute();

      // then
      assertThat(Files.readAllLines(repo.resolve("gpukit-baseline.txt"))).hasSize(2);
    }
  }
}

package io.gpukit.cli;

import static io.gpukit.cli.GpuKitCommandTests.CLEAN;
import static io.gpukit.cli.GpuKitCommandTests.UNPINNED;
import static io.gpukit.cli.GpuKitCommandTests.assertUsageError;
import static io.gpukit.cli.GpuKitCommandTests.gpukit;
import static io.gpukit.cli.GpuKitCommandTests.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.cli.GpuKitCommandTests.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpukit check} never passes what it did not read: unknown files, unreadable manifests, empty folders. */
class UnreadFilesCommandTests {

  private static final String DEPLOYMENT = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: llm\n";

  @Nested
  class Files_named_on_the_command_line {

    @Test
    void one_of_no_known_kind_is_a_finding_and_the_others_are_still_checked(@TempDir Path repo) throws IOException {
      // given
      Path dockerfile = write(repo.resolve("Dockerfile"), UNPINNED);
      Path notes = write(repo.resolve("notes.txt"), "release notes\n");

      // when
      Run run = gpukit("check", "--format", "json", dockerfile, notes);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.ruleIds()).containsExactlyInAnyOrder("dockerfile/base-image-pinned", "gpukit/unknown-file-kind");
      assertThat(run.files()).containsExactlyInAnyOrder(dockerfile.toString(), notes.toString());
    }

    @Test
    void the_unknown_file_finding_lists_what_gpukit_reads(@TempDir Path repo) throws IOException {
      // given
      Path dockerfile = write(repo.resolve("Dockerfile"), CLEAN);
      Path notes = write(repo.resolve("notes.txt"), "release notes\n");

      // when
      Run run = gpukit("check", dockerfile, notes);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out())
          .contains(notes + ":1:1: error: gpukit cannot tell what kind of file this is")
          .contains("hint: gpukit reads a Dockerfile (Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile")
          .contains(".github/workflows/*.yml", "ROLLBACK.md")
          .contains("1 file checked: 1 error, 0 warnings, 0 info"); // the Dockerfile; notes.txt was not read as anything
    }

    @Test
    void the_unknown_file_finding_follows_severity_like_any_rule(@TempDir Path repo) throws IOException {
      // given
      Path dockerfile = write(repo.resolve("Dockerfile"), CLEAN);
      Path notes = write(repo.resolve("notes.txt"), "release notes\n");
      Path config = write(repo.resolve("gpukit.yaml"), "severity:\n  gpukit/unknown-file-kind: warning\n");

      // when
      Run run = gpukit("check", "--config", config, dockerfile, notes);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).contains("warning: gpukit cannot tell what kind of file this is");
    }

    @Test
    void a_path_that_does_not_exist_stays_a_usage_error(@TempDir Path repo) throws IOException {
      // given
      Path dockerfile = write(repo.resolve("Dockerfile"), CLEAN);

      // when
      Run run = gpukit("check", dockerfile, repo.resolve("missing.yaml"));

      // then
      assertUsageError(run, "no such file or folder: " + repo.resolve("missing.yaml"));
    }

    @Test
    void a_named_fifo_is_a_finding_without_blocking(@TempDir Path repo) throws Exception {
      // given
      Path fifo = fifo(repo.resolve("pipe"));
      Path dockerfile = write(repo.resolve("Dockerfile"), CLEAN);

      // when
      Run run = gpukit("check", dockerfile, fifo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).contains(fifo + ":1:1: error: gpukit cannot tell what kind of file this is")
          .contains("(it is not a regular file)");
    }
  }

  @Nested
  class Folders {

    @Test
    void a_manifest_that_is_too_large_is_a_finding_not_a_pass(@TempDir Path repo) throws IOException {
      // given: 11 MiB of Deployment, the size of a generated bundle
      write(repo.resolve("Dockerfile"), CLEAN);
      Path manifest = repo.resolve("k8s/bundle.yaml");
      write(manifest, DEPLOYMENT + ("# " + "x".repeat(1020) + "\n").repeat(11 * 1024));

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out())
          .contains(manifest + ":1:1: error: file is larger than the limit of 10485760 bytes")
          .contains("hint: gpukit did not read this file: it reads files of up to 10 MiB");
    }

    @Test
    void a_manifest_with_broken_yaml_is_a_finding_not_a_pass(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);
      Path manifest = write(repo.resolve("deploy/llm.yaml"), DEPLOYMENT + "spec:\n\treplicas: 2\n");

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).contains(manifest + ":6:").contains("[gpukit/parse-error]")
          .contains("hint: fix the syntax at this location");
    }

    @Test
    void nothing_to_check_turned_off_passes_as_the_assertion_does(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("gpukit.yaml"), "severity:\n  gpukit/nothing-to-check: off\n");

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).startsWith("No violations. 0 files checked");
    }

    @Test
    void every_format_reports_nothing_to_check(@TempDir Path repo) throws IOException {
      for (String format : new String[] {"json", "sarif", "junit"}) {
        // when
        Run run = gpukit("check", "--format", format, repo);

        // then
        assertThat(run.exitCode()).as(format).isEqualTo(1);
        assertThat(run.out()).as(format).contains("gpukit/nothing-to-check");
      }
    }

    @Test
    void a_fifo_named_like_a_dockerfile_is_reported_without_blocking(@TempDir Path repo) throws Exception {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);
      Path fifo = fifo(repo.resolve("gpu.Dockerfile"));

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).contains(fifo + ":1:1: error: not a regular file [gpukit/parse-error]");
    }

    @Test
    void a_symbolic_link_loop_ends(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), CLEAN);
      try {
        Files.createSymbolicLink(repo.resolve("loop"), repo);
        Files.createSymbolicLink(repo.resolve("self.yaml"), repo.resolve("self.yaml"));
      } catch (UnsupportedOperationException | IOException e) {
        Assumptions.abort("symbolic links are not supported here");
      }

      // when
      Run run = gpukit("check", repo);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).startsWith("No violations. 1 file checked");
    }

    @Test
    void explain_describes_the_new_rules() {
      // when
      Run nothing = gpukit("explain", "gpukit/nothing-to-check");
      Run unknown = gpukit("explain", "gpukit/unknown-file-kind");

      // then
      assertThat(nothing.exitCode()).isZero();
      assertThat(nothing.out()).contains("a checked folder should hold at least one artifact gpukit reads");
      assertThat(unknown.exitCode()).isZero();
      assertThat(unknown.out()).contains("every file named to the check should be of a kind gpukit reads");
    }
  }

  /** A named pipe, or the test is skipped where mkfifo is missing. */
  static Path fifo(Path path) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("mkfifo is not available here");
      return path;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo failed: " + out);
    return path;
  }
}

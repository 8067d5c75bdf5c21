package io.gpukit.cli;

import static io.gpukit.cli.GpuKitJarIT.gpukit;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.cli.GpuKitJarIT.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpukit init} from the shaded jar, as a user runs it: the templates travel in the jar. */
class InitCommandJarIT {

  @Test
  void the_scaffold_written_by_the_jar_passes_the_jar_s_check(@TempDir Path parent) throws Exception {
    // when
    Run init = gpukit(parent, "init", "llm-server", "--image", "ghcr.io/acme/llm-server");
    Run check = gpukit(parent, "check", "llm-server");

    // then
    assertThat(init.exitCode()).as(init.out() + init.err()).isZero();
    assertThat(init.out()).startsWith("wrote Dockerfile\n").contains("6 of 6 files written into llm-server.");
    assertThat(init.err()).isEmpty();
    assertThat(check.exitCode()).as(check.out()).isZero();
    assertThat(check.out()).isEqualTo("No violations. 5 files checked: 0 errors, 0 warnings, 0 info\n");
  }

  @Test
  void the_workflow_uses_the_action_release_of_the_jar_s_version(@TempDir Path parent) throws Exception {
    // when
    Run dry = gpukit(parent, "init", "llm-server", "--dry-run");

    // then 0.1.0-SNAPSHOT and 0.1.0 both use the v0.1.0 release
    String version = System.getProperty("project.version", "0.1.0-SNAPSHOT").replace("-SNAPSHOT", "");
    assertThat(dry.out()).contains("      - uses: gpukit/gpukit@v" + version + "\n");
  }
}

package io.gpukit.cli;

import static io.gpukit.cli.GpuKitCommandTests.gpukit;
import static io.gpukit.cli.GpuKitCommandTests.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.cli.GpuKitCommandTests.Run;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpukit check --threads N}: how many threads read and check a folder's files. */
class ThreadsOptionTests {

  @Nested
  class The_report {

    @Test
    void is_the_same_on_one_thread_and_on_four(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("Dockerfile"), "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nCMD [\"python\"]\n");
      write(repo.resolve(".github/workflows/ci.yml"), ProjectCommandTests.WORKFLOW);
      write(repo.resolve("k8s/deployment.yaml"), ProjectCommandTests.DEPLOYMENT);

      // when
      Run one = gpukit("check", "--format", "json", "--threads", "1", repo);
      Run four = gpukit("check", "--format", "json", "--threads", "4", repo);

      // then
      assertThat(one.exitCode()).as(one.err()).isEqualTo(1);
      assertThat(one.ruleIds()).isNotEmpty();
      assertThat(four.out()).isEqualTo(one.out());
      assertThat(four.exitCode()).isEqualTo(one.exitCode());
    }
  }

  @Nested
  class A_bad_count {

    @Test
    void below_one_is_a_usage_error(@TempDir Path repo) {
      // when
      Run run = gpukit("check", "--threads", "0", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("--threads 0: give a whole number of at least 1");
    }
  }
}

package io.gpukit.cli;

import static io.gpukit.cli.GpuKitCommandTests.gpukit;
import static io.gpukit.cli.GpuKitCommandTests.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowCommandTests {

  /** Build, GPU smoke test on [self-hosted, gpu], push needing the test from main: no violation. */
  static final String PIPELINE =
      """
      on:
        push:
          branches: [main]
      jobs:
        build:
          runs-on: ubuntu-latest
          steps:
            - run: docker build -t ghcr.io/acme/app:${{ github.sha }} .
        test:
          needs: build
          runs-on: [self-hosted, gpu]
          timeout-minutes: 30
          steps:
            - run: docker run --gpus all ghcr.io/acme/app:${{ github.sha }} python3 /app/smoke_test.py
        push:
          needs: test
          runs-on: ubuntu-latest
          steps:
            - run: docker push ghcr.io/acme/app:${{ github.sha }}
            - run: cosign sign --yes ghcr.io/acme/app:${{ github.sha }}
          permissions: {contents: read, packages: write, id-token: write}
      permissions: {contents: read}
      """;

  @Nested
  class Check {

    @Test
    void walks_github_workflows_and_reports_workflow_rules(@TempDir Path repo) throws Exception {
      // given
      write(repo.resolve(".github/workflows/ok.yml"), PIPELINE);
      write(repo.resolve(".github/workflows/broken.yaml"), PIPELINE.replace("needs: test", "needs: build"));
      write(repo.resolve("config/settings.yml"), "on: push\njobs: {}\n");

      // when
      GpuKitCommandTests.Run run = gpukit("check", "--format", "json", repo);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.ruleIds()).containsExactly("workflow/push-needs-test");
      assertThat(run.files()).singleElement().asString().endsWith(".github/workflows/broken.yaml");
    }

    @Test
    void classifies_a_named_workflow_file_by_its_content(@TempDir Path repo) throws Exception {
      // given
      Path file = write(repo.resolve("pipeline.yml"), PIPELINE);

      // when
      GpuKitCommandTests.Run run = gpukit("check", file);

      // then
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).startsWith("No violations. 1 file checked");
    }
  }

  @Nested
  class Parse {

    @Test
    void prints_the_workflow_as_json_with_locations(@TempDir Path repo) throws Exception {
      // given
      Path file = write(repo.resolve(".github/workflows/ci.yml"), PIPELINE);

      // when
      GpuKitCommandTests.Run run = gpukit("parse", "workflow", file, "--format", "json");

      // then
      assertThat(run.exitCode()).isZero();
      JsonNode json = run.json();
      assertThat(json.get("on").get(0).get("event").asText()).isEqualTo("push");
      assertThat(json.get("on").get(0).get("branches").get(0).asText()).isEqualTo("main");
      JsonNode test = json.get("jobs").get(1);
      assertThat(test.get("id").asText()).isEqualTo("test");
      assertThat(test.get("line").asInt()).isEqualTo(9);
      assertThat(test.get("runsOn").get("labels").toString()).isEqualTo("[\"self-hosted\",\"gpu\"]");
      assertThat(test.get("needs").get(0).get("job").asText()).isEqualTo("build");
      assertThat(test.get("steps").get(0).get("line").asInt()).isEqualTo(14);
    }

    @Test
    void reports_a_parse_error_on_one_line_without_a_stack_trace(@TempDir Path repo) throws Exception {
      // given
      Path file = write(repo.resolve("ci.yml"), "on: push\njobs:\n  - a\n");

      // when
      GpuKitCommandTests.Run run = gpukit("parse", "workflow", file);

      // then
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      assertThat(run.err().strip()).endsWith("ci.yml:3:3: 'jobs' should be a mapping of job ids to jobs");
    }
  }
}

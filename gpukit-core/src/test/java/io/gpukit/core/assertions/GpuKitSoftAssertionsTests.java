package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldHaveJob.shouldHaveJob;
import static io.gpukit.core.assertions.error.ShouldHaveViolation.shouldHaveViolationAtLine;
import static io.gpukit.core.assertions.error.ShouldRunAsNonRoot.shouldRunAsNonRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.DockerfileKind;
import io.gpukit.core.dockerfile.Stage;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.rollout.RolloutSimulation;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.project.GpuProject;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.workflow.Job;
import io.gpukit.core.workflow.Workflow;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

class GpuKitSoftAssertionsTests {

  private static final String ROOT =
      "FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04\n"
          + "HEALTHCHECK CMD curl -f http://localhost:8000/healthz\n"
          + "ENTRYPOINT [\"/app/server\"]\n";

  private static final String GOOD =
      "FROM nvidia/cuda:13.0.1-devel-ubuntu24.04 AS build\n"
          + "RUN make\n"
          + "FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04\n"
          + "COPY --from=build /src/server /app/server\n"
          + "USER 10001\n"
          + "HEALTHCHECK CMD [\"java\", \"-jar\", \"/opt/gpukit/gpukit-probe.jar\"]\n"
          + "ENTRYPOINT [\"/app/server\"]\n";

  private static final String CI =
      """
      on:
        push:
        pull_request:
      jobs:
        build:
          runs-on: ubuntu-latest
          steps:
            - run: docker build -t ghcr.io/acme/app:1 .
        push:
          needs: build
          runs-on: ubuntu-latest
          steps:
            - run: docker push ghcr.io/acme/app:1
      """;

  private final Dockerfile root = Dockerfile.parse(Path.of("Dockerfile"), ROOT);
  private final Workflow workflow = Workflow.parse(Path.of(".github/workflows/ci.yml"), CI);
  private final PolicyReport report =
      PolicyEngine.withDefaults().evaluate(SourceFile.of(Path.of("Dockerfile"), ROOT), DockerfileKind.INSTANCE);

  private static List<String> messages(GpuKitSoftAssertions softly) {
    return softly.errorsCollected().stream().map(Throwable::getMessage).toList();
  }

  @Nested
  class Collecting {

    @Test
    void collects_every_entry_point_and_reports_them_together(@TempDir Path empty) {
      // given
      GpuKitSoftAssertions softly = new GpuKitSoftAssertions();

      // when
      softly.assertThat(root).hasAtLeastStages(2);
      softly.assertThat(workflow).hasJob("test");
      softly.assertThat(report).hasNoViolations();
      softly.assertThat(Manifests.parse(Path.of("k8s.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"))
          .hasGpuDeployment("llm");
      softly.assertThat(new RolloutSimulation(true, 1, 2, 3, Optional.empty())).doesNotComplete();
      softly.assertThat(GpuProject.scan(empty)).hasArtifacts();
      softly.assertThat("standard assertions too").startsWith("gpukit");

      // then
      assertThat(softly.errorsCollected()).hasSize(7);
      assertThatThrownBy(softly::assertAll).hasMessageContaining("Multiple Failures (7 failures)");
    }

    @Test
    void passes_when_nothing_fails() {
      // given
      GpuKitSoftAssertions softly = new GpuKitSoftAssertions();

      // when
      softly.assertThat(Dockerfile.parse(Path.of("Dockerfile"), GOOD))
          .hasAtLeastStages(2).finalStage().runsAsNonRoot().hasGpuAwareHealthcheck();
      softly.assertThat(workflow).job("push").needs("build");

      // then
      softly.assertAll();
      assertThat(softly.wasSuccess()).isTrue();
    }
  }

  @Nested
  class Child_assertions {

    @Test
    void a_stage_collects_each_failure_and_goes_on() {
      // given
      GpuKitSoftAssertions softly = new GpuKitSoftAssertions();
      Stage stage = root.finalStage();

      // when
      softly.assertThat(root).finalStage().runsAsNonRoot().hasGpuAwareHealthcheck();

      // then
      assertThat(messages(softly)).hasSize(2).first().asString()
          .startsWith(shouldRunAsNonRoot(stage, Optional.empty()).create());
    }

    @Test
    void jobs_push_jobs_reports_and_violations_collect_too() {
      // given
      GpuKitSoftAssertions softly = new GpuKitSoftAssertions();

      // when
      softly.assertThat(workflow).job("build").runsOnGpuRunner().needs("lint");
      softly.assertThat(workflow).pushJob().isGatedOnBranch("main").isNotRunForPullRequests().asJob().runsOnGpuRunner();
      softly.assertThat(workflow).checkedAgainstRules().hasNoViolations();
      softly.assertThat(root).checkedAgainstRules().hasViolation("dockerfile/final-stage-healthcheck").atLine(1);

      // then
      assertThat(messages(softly)).hasSize(7).last().asString().startsWith(shouldHaveViolationAtLine(
          report.violationsOf("dockerfile/final-stage-healthcheck"), "dockerfile/final-stage-healthcheck", 1).create());
    }

    @Test
    void a_job_that_is_not_there_is_collected_and_the_chain_goes_on() {
      // given
      GpuKitSoftAssertions softly = new GpuKitSoftAssertions();

      // when
      softly.assertThat(workflow).job("test").runsOnGpuRunner();
      softly.assertThat(workflow).job("build").needs("build-too");

      // then: the missing job, then the assertion that ran on nothing, then the missing need
      assertThat(messages(softly)).hasSize(3);
      assertThat(messages(softly).get(0)).startsWith(shouldHaveJob(workflow, "test").create());
      assertThat(messages(softly).get(1)).contains("Expecting actual not to be null");
    }

    @Test
    void can_be_proxied_by_any_soft_assertions() {
      // given
      SoftAssertions softly = new SoftAssertions();
      Job build = workflow.job("build").orElseThrow();

      // when
      softly.proxy(StageAssert.class, Stage.class, root.finalStage()).runsAsNonRoot();
      softly.proxy(JobAssert.class, Job.class, build).runsOnGpuRunner();
      softly.proxy(PushJobAssert.class, Job.class, workflow.job("push").orElseThrow()).needsJob("test");
      softly.proxy(ViolationsAssert.class, List.class, report.violationsOf("dockerfile/exec-form")).atLine(9);

      // then
      assertThat(softly.errorsCollected()).hasSize(4);
    }
  }

  @Nested
  @ExtendWith(SoftAssertionsExtension.class)
  class With_junit {

    @InjectSoftAssertions GpuKitSoftAssertions softly;

    @Test
    void the_extension_injects_them() {
      // when
      softly.assertThat(Dockerfile.parse(Path.of("Dockerfile"), GOOD)).finalStage().runsAsNonRoot();

      // then
      assertThat(softly.wasSuccess()).isTrue();
      assertThat(softly.errorsCollected()).isEmpty();
    }
  }
}

package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
import static io.gpukit.core.assertions.error.ShouldBeGatedOnBranch.shouldBeGatedOnBranch;
import static io.gpukit.core.assertions.error.ShouldBeGatedOnBranch.shouldNotRunForPullRequests;
import static io.gpukit.core.assertions.error.ShouldCompleteRollout.shouldComplete;
import static io.gpukit.core.assertions.error.ShouldCompleteRollout.shouldKeepAtLeastAvailable;
import static io.gpukit.core.assertions.error.ShouldCompleteRollout.shouldStall;
import static io.gpukit.core.assertions.error.ShouldCompleteRollout.shouldStallBecause;
import static io.gpukit.core.assertions.error.ShouldHaveGpuAwareHealthcheck.shouldHaveGpuAwareHealthcheck;
import static io.gpukit.core.assertions.error.ShouldHaveGpuDeployment.shouldHaveDeployment;
import static io.gpukit.core.assertions.error.ShouldHaveGpuDeployment.shouldHaveGpuContainer;
import static io.gpukit.core.assertions.error.ShouldHaveJob.shouldHaveJob;
import static io.gpukit.core.assertions.error.ShouldHaveJob.shouldHavePushJob;
import static io.gpukit.core.assertions.error.ShouldHaveNoProjectViolations.shouldHaveArtifacts;
import static io.gpukit.core.assertions.error.ShouldHaveStage.shouldHaveAtLeastStages;
import static io.gpukit.core.assertions.error.ShouldHaveStage.shouldHaveStage;
import static io.gpukit.core.assertions.error.ShouldHaveViolation.shouldHaveViolation;
import static io.gpukit.core.assertions.error.ShouldHaveViolation.shouldHaveViolationAtLine;
import static io.gpukit.core.assertions.error.ShouldHaveViolation.shouldHaveViolationWithMessage;
import static io.gpukit.core.assertions.error.ShouldNeedJob.shouldNeed;
import static io.gpukit.core.assertions.error.ShouldNeedJob.shouldNeedTransitively;
import static io.gpukit.core.assertions.error.ShouldRunAsNonRoot.shouldRunAsNonRoot;
import static io.gpukit.core.assertions.error.ShouldRunOnLabels.shouldRunOnGpuRunner;
import static io.gpukit.core.assertions.error.ShouldRunOnLabels.shouldRunOnLabels;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.assertions.error.ShouldHaveNoProjectViolations;
import io.gpukit.core.assertions.error.ShouldHaveNoViolations;
import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.DockerfileKind;
import io.gpukit.core.dockerfile.HealthcheckProbe;
import io.gpukit.core.dockerfile.Stage;
import io.gpukit.core.dockerfile.StageView;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.rollout.RolloutSimulation;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.project.GpuProject;
import io.gpukit.core.source.SourceFile;
import io.gpukit.core.workflow.Job;
import io.gpukit.core.workflow.Workflow;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every failure is the text of its {@code error.Should*} factory, compared whole. */
class FailureMessagesTests {

  private static final String ROOT_STAGE =
      "FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04\n"
          + "HEALTHCHECK CMD curl -f http://localhost:8000/healthz\n"
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

  private static final String K8S =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: ui}
      spec:
        template:
          spec:
            containers: [{name: s, image: "ghcr.io/acme/ui:1.0.0"}]
      """;

  private static final RolloutSimulation STALLS =
      new RolloutSimulation(false, 1, 2, 3, Optional.of("no free GPU for the surge pod"));
  private static final RolloutSimulation COMPLETES = new RolloutSimulation(true, 2, 3, 4, Optional.empty());

  private final Dockerfile dockerfile = Dockerfile.parse(Path.of("Dockerfile"), ROOT_STAGE);
  private final Stage stage = dockerfile.finalStage();
  private final Workflow workflow = Workflow.parse(Path.of(".github/workflows/ci.yml"), CI);
  private final Job build = workflow.job("build").orElseThrow();
  private final Job push = workflow.job("push").orElseThrow();
  private final PolicyReport report =
      PolicyEngine.withDefaults().evaluate(SourceFile.of(Path.of("Dockerfile"), ROOT_STAGE), DockerfileKind.INSTANCE);
  private final Manifests manifests = Manifests.parse(Path.of("k8s.yaml"), K8S);

  @Nested
  class Dockerfiles {

    @Test
    void too_few_stages() {
      assertThatThrownBy(() -> assertThat(dockerfile).hasAtLeastStages(2))
          .hasMessage(shouldHaveAtLeastStages(dockerfile, 2).create());
    }

    @Test
    void no_such_stage() {
      assertThatThrownBy(() -> assertThat(dockerfile).stage("build"))
          .hasMessage(shouldHaveStage(dockerfile, "build").create());
    }

    @Test
    void root_user() {
      assertThatThrownBy(() -> assertThat(dockerfile).finalStage().runsAsNonRoot())
          .hasMessage(shouldRunAsNonRoot(stage, Optional.empty()).create());
    }

    @Test
    void healthcheck_without_gpu() {
      // given
      HealthcheckProbe probe = HealthcheckProbe.of(dockerfile, stage, GpuKitConfig.defaults());

      // then
      assertThatThrownBy(() -> assertThat(dockerfile).finalStage().hasGpuAwareHealthcheck())
          .hasMessage(shouldHaveGpuAwareHealthcheck(stage, probe, StageView.effectiveHealthcheck(dockerfile, stage))
              .create());
    }
  }

  @Nested
  class Workflows {

    @Test
    void no_such_job() {
      assertThatThrownBy(() -> assertThat(workflow).job("test")).hasMessage(shouldHaveJob(workflow, "test").create());
    }

    @Test
    void no_push_job() {
      // given
      Workflow noPush = Workflow.parse(Path.of("ci.yml"), CI.replace("docker push", "echo"));

      // then
      assertThatThrownBy(() -> assertThat(noPush).pushJob()).hasMessage(shouldHavePushJob(noPush).create());
    }

    @Test
    void wrong_labels() {
      assertThatThrownBy(() -> assertThat(workflow).job("build").runsOnLabels("gpu"))
          .hasMessage(shouldRunOnLabels(build, List.of("gpu")).create());
    }

    @Test
    void not_a_gpu_runner() {
      assertThatThrownBy(() -> assertThat(workflow).job("build").runsOnGpuRunner())
          .hasMessage(shouldRunOnGpuRunner(build, "[github_hosted]").create());
    }

    @Test
    void missing_need() {
      assertThatThrownBy(() -> assertThat(workflow).job("build").needs("push"))
          .hasMessage(shouldNeed(build, "push").create());
    }

    @Test
    void missing_transitive_need() {
      assertThatThrownBy(() -> assertThat(workflow).job("push").needsJob("test"))
          .hasMessage(shouldNeedTransitively(push, "test", workflow.dependenciesOf(push)).create());
    }

    @Test
    void push_not_gated() {
      assertThatThrownBy(() -> assertThat(workflow).pushJob().isGatedOnBranch("main"))
          .hasMessage(shouldBeGatedOnBranch(workflow, push, "main").create());
    }

    @Test
    void push_for_pull_requests() {
      assertThatThrownBy(() -> assertThat(workflow).pushJob().isNotRunForPullRequests())
          .hasMessage(shouldNotRunForPullRequests(push).create());
    }
  }

  @Nested
  class Reports {

    @Test
    void violations_where_none_were_expected() {
      assertThatThrownBy(() -> assertThat(report).hasNoViolations())
          .hasMessage(ShouldHaveNoViolations.shouldHaveNoViolations(report).create());
    }

    @Test
    void rule_that_did_not_fire() {
      assertThatThrownBy(() -> assertThat(report).hasViolation("workflow/gpu-job-timeout"))
          .hasMessage(shouldHaveViolation(report, "workflow/gpu-job-timeout").create());
    }

    @Test
    void rule_that_fired_elsewhere() {
      assertThatThrownBy(() -> assertThat(report).hasViolation("dockerfile/final-stage-healthcheck").atLine(1))
          .hasMessage(shouldHaveViolationAtLine(report.violationsOf("dockerfile/final-stage-healthcheck"), "dockerfile/final-stage-healthcheck", 1)
              .create());
    }

    @Test
    void rule_with_another_message() {
      assertThatThrownBy(() -> assertThat(report).hasViolation("dockerfile/final-stage-healthcheck").withMessageContaining("xyz"))
          .hasMessage(shouldHaveViolationWithMessage(report.violationsOf("dockerfile/final-stage-healthcheck"),
              "dockerfile/final-stage-healthcheck", "xyz").create());
    }
  }

  @Nested
  class Projects {

    @Test
    void nothing_found(@TempDir Path folder) {
      // given
      GpuProject empty = GpuProject.scan(folder);

      // then
      assertThatThrownBy(() -> assertThat(empty).hasArtifacts()).hasMessage(shouldHaveArtifacts(empty).create());
      assertThatThrownBy(() -> assertThat(empty).hasNoViolations())
          .hasMessage(ShouldHaveNoProjectViolations.shouldHaveNoViolations(empty, empty.violations(), "").create());
    }
  }

  @Nested
  class Manifests_and_rollouts {

    @Test
    void no_such_deployment() {
      assertThatThrownBy(() -> assertThat(manifests).hasGpuDeployment("llm"))
          .hasMessage(shouldHaveDeployment(manifests, "llm").create())
          .hasMessageContaining("k8s.yaml:1:1: Deployment 'ui'");
    }

    @Test
    void deployment_without_gpu() {
      assertThatThrownBy(() -> assertThat(manifests).hasGpuDeployment("ui"))
          .hasMessage(shouldHaveGpuContainer(manifests.workload("Deployment", "ui").orElseThrow()).create());
    }

    @Test
    void rollout_that_stalls() {
      assertThatThrownBy(() -> assertThat(STALLS).completes()).hasMessage(shouldComplete(STALLS).create());
      assertThatThrownBy(() -> assertThat(STALLS).keepsAtLeastAvailable(2))
          .hasMessage(shouldKeepAtLeastAvailable(STALLS, 2).create());
      assertThatThrownBy(() -> assertThat(STALLS).stallsBecause("quota"))
          .hasMessage(shouldStallBecause(STALLS, "quota").create());
    }

    @Test
    void rollout_that_completes() {
      assertThatThrownBy(() -> assertThat(COMPLETES).doesNotComplete()).hasMessage(shouldStall(COMPLETES).create());
      assertThatThrownBy(() -> assertThat(COMPLETES).stallsBecause("quota")).hasMessage(shouldStall(COMPLETES).create());
    }
  }

  @Nested
  class Bad_arguments {

    @Test
    void null_expected_values_say_which_argument() {
      assertThatNullPointerException().isThrownBy(() -> assertThat(dockerfile).stage(null))
          .withMessage("The given stage name or index should not be null");
      assertThatNullPointerException().isThrownBy(() -> assertThat(workflow).job(null))
          .withMessage("The given job id should not be null");
      assertThatNullPointerException().isThrownBy(() -> assertThat(workflow).pushJob().isGatedOnBranch(null))
          .withMessage("The given branch should not be null");
      assertThatNullPointerException().isThrownBy(() -> assertThat(workflow).job("build").runsOnLabels((String[]) null))
          .withMessage("The given labels should not be null");
      assertThatNullPointerException().isThrownBy(() -> assertThat(report).hasViolation(null))
          .withMessage("The given rule id should not be null");
      assertThatNullPointerException().isThrownBy(() -> assertThat(manifests).hasGpuDeployment(null))
          .withMessage("The given Deployment name should not be null");
      assertThatNullPointerException().isThrownBy(() -> assertThat(STALLS).stallsBecause(null))
          .withMessage("The given text should not be null");
    }

    @Test
    void out_of_range_values_say_what_is_allowed() {
      assertThatThrownBy(() -> assertThat(workflow).job("build").runsOnLabels())
          .isInstanceOf(IllegalArgumentException.class).hasMessage("The given labels should not be empty");
      assertThatThrownBy(() -> assertThat(report).doesNotHaveViolation(" "))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("The given rule id should not be blank");
      assertThatThrownBy(() -> assertThat(STALLS).keepsAtLeastAvailable(-1))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("The given replicas should be 0 or more but was -1");
    }
  }
}

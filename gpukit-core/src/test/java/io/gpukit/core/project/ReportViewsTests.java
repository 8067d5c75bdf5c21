package io.gpukit.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.Workload;
import io.gpukit.core.k8s.rollout.GpuPool;
import io.gpukit.core.k8s.rollout.Readiness;
import io.gpukit.core.k8s.rollout.RolloutSimulation;
import io.gpukit.core.k8s.rollout.RolloutSimulator;
import io.gpukit.core.k8s.rollout.RolloutSpec;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.report.HtmlReport;
import io.gpukit.core.report.HtmlReport.Exercise;
import io.gpukit.core.report.HtmlReport.Layer;
import io.gpukit.core.report.RolloutChart;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportViewsTests {

  private static Layer layer(HtmlReport page, String place) {
    return page.images().get(0).layers().stream().filter(l -> l.place().equals(place)).findFirst().orElseThrow();
  }

  @Nested
  class Layers {

    @Test
    void a_complete_repository_has_every_layer_exercising_the_gpu_and_agreeing(@TempDir Path dir) {
      // given
      GpuProject project = TestRepository.complete(dir).scan();

      // when
      HtmlReport page = ReportViews.html(project, Optional.of(Severity.ERROR));

      // then
      assertThat(page.images()).hasSize(1);
      assertThat(page.images().get(0).image()).endsWith("Dockerfile");
      Layer hc = layer(page, "HEALTHCHECK");
      assertThat(hc.command()).isEqualTo("java -jar /opt/gpukit/gpukit-probe.jar --mode liveness");
      assertThat(hc.budget()).isEqualTo("interval 30s, timeout 5s, retries 3, start period 60s");
      assertThat(hc.gpu()).isEqualTo(Exercise.YES);
      Layer readiness = layer(page, "readinessProbe");
      assertThat(readiness.gpu()).isEqualTo(Exercise.YES);
      assertThat(readiness.agrees()).isTrue();
      assertThat(readiness.agreement()).startsWith("agrees: runs the HEALTHCHECK's probe");
      assertThat(readiness.owner()).isEqualTo("Deployment/llm container 'server'");
    }

    @Test
    void a_readiness_probe_running_another_program_differs_and_links_its_finding(@TempDir Path dir) {
      // given
      GpuProject project = TestRepository.copyOf("err/probe-mismatch", dir).scan();

      // when
      HtmlReport page = ReportViews.html(project, Optional.of(Severity.ERROR));

      // then
      Layer readiness = layer(page, "readinessProbe");
      assertThat(readiness.agrees()).isFalse();
      assertThat(readiness.agreement()).isEqualTo("differs: runs 'smoke_test.py', the HEALTHCHECK runs 'gpukit-probe'");
      assertThat(readiness.findings()).extracting(v -> v.ruleId()).containsExactly("project/probe-matches-healthcheck");
    }

    @Test
    void a_missing_ci_job_is_shown_as_missing_with_its_finding(@TempDir Path dir) {
      // given
      GpuProject project = TestRepository.copyOf("err/no-gpu-ci-job", dir).scan();

      // when
      HtmlReport page = ReportViews.html(project, Optional.of(Severity.ERROR));

      // then
      Layer ci = layer(page, "CI GPU job");
      assertThat(ci.gpu()).isEqualTo(Exercise.MISSING);
      assertThat(ci.agrees()).isFalse();
      assertThat(ci.findings()).extracting(v -> v.ruleId()).containsExactly("project/gpu-ci-job");
    }
  }

  @Nested
  class Promotions {

    @Test
    void shows_the_stages_and_the_rollback_commands(@TempDir Path dir) {
      // given
      GpuProject project = TestRepository.complete(dir).scan();

      // when
      HtmlReport page = ReportViews.html(project, Optional.of(Severity.ERROR));

      // then
      HtmlReport.Promotion flow = page.promotions().stream().filter(p -> p.file().endsWith("promotion.yaml")).findFirst()
          .orElseThrow();
      assertThat(flow.stages()).extracting(HtmlReport.Stage::name).containsExactly("dev", "staging", "prod");
      assertThat(flow.stages().get(1).gates()).containsExactly("ci-green", "smoke-test");
      HtmlReport.Promotion runbook = page.promotions().stream().filter(p -> p.file().endsWith("ROLLBACK.md")).findFirst()
          .orElseThrow();
      assertThat(runbook.commands()).extracting(HtmlReport.Command::check)
          .contains("kubectl rollout undo deployment/llm in namespace llm-prod, to revision 3: the target must be a"
              + " workload the manifests define (project/rollback-target-exists)");
    }
  }

  @Nested
  class Rollouts {

    @Test
    void a_deployment_that_deadlocks_on_a_full_pool_is_also_drawn_on_the_smallest_pool_that_completes(@TempDir Path dir) {
      // given: 2 replicas of 1 GPU, maxSurge 1, maxUnavailable 0
      GpuProject project = TestRepository.complete(dir).scan();

      // when
      List<RolloutChart> charts = ReportViews.html(project, Optional.empty()).rollouts();

      // then
      assertThat(charts).hasSize(2);
      RolloutChart full = charts.get(0);
      assertThat(full.completes()).isFalse();
      assertThat(full.stall()).get().asString().startsWith("1 new pod(s) Pending");
      assertThat(full.steps()).containsExactly(
          new RolloutChart.Step(2, 0, 0, 0, 2, 2, 2),
          new RolloutChart.Step(2, 0, 0, 1, 2, 2, 2));
      RolloutChart spare = charts.get(1);
      assertThat(spare.completes()).isTrue();
      assertThat(spare.pool()).startsWith("1 GPUs free");
      assertThat(spare.steps().get(spare.steps().size() - 1)).isEqualTo(new RolloutChart.Step(0, 2, 0, 0, 2, 3, 2));
    }

    @Test
    void the_chart_draws_the_steps_the_simulator_took() {
      // given: 2 replicas of 1 GPU, maxSurge 1, maxUnavailable 0, one spare GPU
      Workload deployment = manifest(DEPLOYMENT).rollingWorkloads().get(0);
      GpuPool pool = new GpuPool(1, 8);
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.of(deployment), pool, Readiness.READY);

      // when
      RolloutChart chart = ReportViews.rolloutChart(deployment, List.of(), pool, Readiness.READY);

      // then
      assertThat(chart.steps()).hasSize(sim.steps() + 1).hasSize(sim.trace().size());
      for (int i = 0; i < chart.steps().size(); i++) {
        RolloutChart.Step drawn = chart.steps().get(i);
        RolloutSimulation.Step taken = sim.trace().get(i);
        assertThat(drawn).as("step %d", i).isEqualTo(new RolloutChart.Step(taken.oldReady(), taken.newReady(),
            taken.newUnready(), taken.newPending(), taken.unitsInUse(), taken.unitsInPool(), taken.lowestAvailable()));
      }
      assertThat(chart.steps()).containsExactly(
          new RolloutChart.Step(2, 0, 0, 0, 2, 3, 2),
          new RolloutChart.Step(2, 1, 0, 0, 3, 3, 2),
          new RolloutChart.Step(1, 1, 0, 0, 2, 3, 2),
          new RolloutChart.Step(1, 2, 0, 0, 3, 3, 2),
          new RolloutChart.Step(0, 2, 0, 0, 2, 3, 2));
      assertThat(chart.completes()).isTrue();
      assertThat(chart.strategy()).isEqualTo("RollingUpdate maxSurge 1, maxUnavailable 0");
    }

    @Test
    void a_rollout_that_never_starts_is_drawn_without_steps() {
      // given: a pod of 2 GPUs on nodes of 1
      Workload deployment = manifest(DEPLOYMENT.replace("nvidia.com/gpu: 1", "nvidia.com/gpu: 2")).rollingWorkloads().get(0);

      // when
      RolloutChart chart = ReportViews.rolloutChart(deployment, List.of(), new GpuPool(4, 1), Readiness.READY);

      // then
      assertThat(chart.steps()).isEmpty();
      assertThat(chart.completes()).isFalse();
      assertThat(chart.stall()).get().asString().contains("no pod of this Deployment can be scheduled");
    }

    @Test
    void an_argo_blue_green_deadlocks_on_a_full_pool_and_is_also_drawn_on_the_smallest_pool_that_completes(
        @TempDir Path dir) {
      // given
      GpuProject project = TestRepository.empty(dir).with("k8s/rollout.yaml", ROLLOUT + """
              blueGreen:
                activeService: llm-active
                autoPromotionEnabled: false
          """).scan();

      // when
      List<RolloutChart> charts = ReportViews.html(project, Optional.empty()).rollouts();

      // then
      assertThat(charts).extracting(RolloutChart::title).containsExactly("Rollout/llm", "Rollout/llm");
      RolloutChart full = charts.get(0);
      assertThat(full.strategy()).isEqualTo("blueGreen, promoted by hand");
      assertThat(full.completes()).isFalse();
      assertThat(full.stall()).get().asString().startsWith("2 preview pod(s) Pending").contains("the rollout deadlocks");
      assertThat(full.steps()).containsExactly(
          new RolloutChart.Step(2, 0, 0, 0, 2, 2, 2),
          new RolloutChart.Step(2, 0, 0, 2, 2, 2, 2));
      RolloutChart spare = charts.get(1);
      assertThat(spare.pool()).startsWith("2 GPUs free");
      assertThat(spare.completes()).isTrue();
      assertThat(spare.steps()).containsExactly(
          new RolloutChart.Step(2, 0, 0, 0, 2, 4, 2),
          new RolloutChart.Step(2, 2, 0, 0, 4, 4, 2),
          new RolloutChart.Step(2, 2, 0, 0, 4, 4, 4),
          new RolloutChart.Step(2, 2, 0, 0, 4, 4, 4),
          new RolloutChart.Step(0, 2, 0, 0, 2, 4, 2));
    }

    @Test
    void an_argo_canary_is_drawn_step_by_step_with_its_steps_in_the_strategy(@TempDir Path dir) {
      // given: 4 replicas, setWeight 25 then 50; the canary pod finds no GPU on a full pool
      GpuProject project = TestRepository.empty(dir).with("k8s/rollout.yaml", ROLLOUT.replace("replicas: 2", "replicas: 4")
          + """
              canary:
                maxSurge: 1
                maxUnavailable: 0
                steps:
                - setWeight: 25
                - pause: {}
                - setWeight: 50
                - pause: {duration: 10m}
          """).scan();

      // when
      List<RolloutChart> charts = ReportViews.html(project, Optional.empty()).rollouts();

      // then
      assertThat(charts).hasSize(2);
      RolloutChart full = charts.get(0);
      assertThat(full.strategy())
          .isEqualTo("canary [setWeight 25, pause, setWeight 50, pause], maxSurge 1, maxUnavailable 0");
      assertThat(full.stall()).get().asString().contains("the canary waits at step 1 of 4 (setWeight 25)");
      assertThat(full.steps()).containsExactly(
          new RolloutChart.Step(4, 0, 0, 0, 4, 4, 4),
          new RolloutChart.Step(4, 0, 0, 1, 4, 4, 4));
      RolloutChart spare = charts.get(1);
      assertThat(spare.pool()).startsWith("1 GPUs free");
      assertThat(spare.completes()).isTrue();
      assertThat(spare.steps()).hasSize(13);
      assertThat(spare.steps().get(12)).isEqualTo(new RolloutChart.Step(0, 4, 0, 0, 4, 5, 4));
    }
  }

  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: llm}
      spec:
        replicas: 2
        strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
        template:
          spec:
            containers:
            - name: server
              image: vllm/vllm-openai:v0.6.4
              resources: {limits: {nvidia.com/gpu: 1}}
      """;

  private static final String ROLLOUT = """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: llm}
      spec:
        replicas: 2
        template:
          spec:
            containers:
            - name: server
              image: vllm/vllm-openai:v0.6.4
              resources: {limits: {nvidia.com/gpu: 1}}
        strategy:
      """;

  private static Manifests manifest(String text) {
    return Manifests.parse(Path.of("k8s/deployment.yaml"), text);
  }
}

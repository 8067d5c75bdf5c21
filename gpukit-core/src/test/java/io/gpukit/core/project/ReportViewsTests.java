package io.gpukit.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.k8s.IntOrString;
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
    void the_traced_steps_end_as_the_simulator_says_for_every_small_rollout() {
      int checked = 0;
      for (int replicas = 0; replicas <= 5; replicas++) {
        for (int gpus = 0; gpus <= 3; gpus++) {
          for (int free = 0; free <= 4; free++) {
            for (int perNode : new int[] {1, 2, 4, 8}) {
              for (RolloutSpec spec : specs(replicas, gpus)) {
                for (Readiness readiness : Readiness.values()) {
                  // given
                  GpuPool pool = new GpuPool(free, perNode);
                  RolloutSimulation sim = RolloutSimulator.simulate(spec, pool, readiness);

                  // when
                  List<RolloutChart.Step> steps = RolloutTrace.of(spec, pool, readiness, sim);

                  // then
                  if (gpus > perNode) {
                    assertThat(steps).isEmpty();
                    continue;
                  }
                  String what = spec + " on " + pool + " " + readiness;
                  assertThat(steps).as(what).hasSize(sim.steps() + 1);
                  RolloutChart.Step last = steps.get(steps.size() - 1);
                  if (sim.completes()) {
                    assertThat(last.oldReady()).as(what).isZero();
                    assertThat(last.newReady()).as(what).isEqualTo(replicas);
                  }
                  assertThat(steps).as(what).allSatisfy(s -> assertThat(s.unitsInUse()).isLessThanOrEqualTo(s.unitsInPool()));
                  assertThat(steps.stream().mapToInt(RolloutChart.Step::lowestAvailable).min().orElseThrow()).as(what)
                      .isEqualTo(sim.minAvailable());
                  checked++;
                }
              }
            }
          }
        }
      }
      assertThat(checked).isGreaterThan(1000);
    }

    private List<RolloutSpec> specs(int replicas, int gpus) {
      return List.of(
          RolloutSpec.rolling(replicas, IntOrString.ofInt(1), IntOrString.ofInt(0), gpus),
          RolloutSpec.rolling(replicas, IntOrString.ofInt(0), IntOrString.ofInt(1), gpus),
          RolloutSpec.rolling(replicas, IntOrString.ofPercent(25), IntOrString.ofPercent(25), gpus),
          RolloutSpec.rolling(replicas, IntOrString.ofInt(2), IntOrString.ofInt(2), gpus),
          RolloutSpec.recreate(replicas, gpus));
    }
  }
}

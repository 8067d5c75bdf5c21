package io.gpukit.core.k8s.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.k8s.ArgoStrategy;
import io.gpukit.core.k8s.ArgoStrategy.CanaryStep;
import io.gpukit.core.k8s.IntOrString;
import io.gpukit.core.source.SourceLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RolloutSimulationTraceTests {

  private static final SourceLocation AT = SourceLocation.of(Path.of("rollout.yaml"), 1, 1);

  /** Every strategy the simulator steps: RollingUpdate, Recreate, canary with and without a router, blueGreen. */
  private static List<RolloutSpec> specs(int replicas, int gpus) {
    List<CanaryStep> steps = List.of(new CanaryStep.SetWeight(25, AT), new CanaryStep.Pause(Optional.empty(), AT),
        new CanaryStep.SetWeight(50, AT));
    return List.of(
        RolloutSpec.rolling(replicas, IntOrString.ofInt(1), IntOrString.ofInt(0), gpus),
        RolloutSpec.rolling(replicas, IntOrString.ofInt(0), IntOrString.ofInt(1), gpus),
        RolloutSpec.rolling(replicas, IntOrString.ofPercent(25), IntOrString.ofPercent(25), gpus),
        RolloutSpec.rolling(replicas, IntOrString.ofInt(2), IntOrString.ofInt(2), gpus),
        RolloutSpec.recreate(replicas, gpus),
        RolloutSpec.canary(replicas, IntOrString.ofInt(1), IntOrString.ofInt(0), ArgoStrategy.canary(steps), gpus),
        RolloutSpec.canary(replicas, IntOrString.ofPercent(25), IntOrString.ofPercent(25), ArgoStrategy.canary(List.of()),
            gpus),
        RolloutSpec.canary(replicas, IntOrString.ofInt(1), IntOrString.ofInt(0),
            ArgoStrategy.canary(steps).withTrafficRouting(false), gpus),
        RolloutSpec.canary(replicas, IntOrString.ofInt(1), IntOrString.ofInt(0),
            ArgoStrategy.canary(steps).withTrafficRouting(true), gpus),
        RolloutSpec.blueGreen(replicas, Optional.empty(), gpus),
        RolloutSpec.blueGreen(replicas, Optional.of(1), gpus));
  }

  @Nested
  class Every_small_rollout {

    @Test
    void has_one_state_before_the_first_step_and_one_after_each_that_agree_with_its_outcome() {
      int checked = 0;
      for (int replicas = 0; replicas <= 5; replicas++) {
        for (int gpus = 0; gpus <= 3; gpus++) {
          for (int free = 0; free <= 4; free++) {
            for (int perNode : new int[] {1, 2, 4, 8}) {
              for (RolloutSpec spec : specs(replicas, gpus)) {
                for (Readiness readiness : Readiness.values()) {
                  // given
                  GpuPool pool = new GpuPool(free, perNode);
                  String what = spec + " on " + pool + " " + readiness;

                  // when
                  RolloutSimulation sim = RolloutSimulator.simulate(spec, pool, readiness);

                  // then
                  List<RolloutSimulation.Step> trace = sim.trace();
                  if (gpus > perNode) {
                    assertThat(trace).as(what).isEmpty();
                    continue;
                  }
                  assertThat(trace).as(what).hasSize(sim.steps() + 1);
                  assertThat(trace.get(0)).as(what).isEqualTo(new RolloutSimulation.Step(replicas, 0, 0, 0,
                      replicas * gpus, replicas * gpus + free, replicas));
                  RolloutSimulation.Step last = trace.get(trace.size() - 1);
                  if (sim.completes()) {
                    assertThat(last.oldReady()).as(what).isZero();
                    assertThat(last.newReady()).as(what).isEqualTo(replicas);
                    assertThat(last.pods()).as(what).isEqualTo(replicas);
                  } else {
                    assertThat(last.newUnready() + last.newPending()).as(what).isPositive();
                  }
                  assertThat(trace).as(what).allSatisfy(s -> {
                    assertThat(s.unitsInUse()).isLessThanOrEqualTo(s.unitsInPool());
                    assertThat(s.lowestAvailable()).isLessThanOrEqualTo(s.oldReady() + s.newReady());
                  });
                  assertThat(trace.stream().mapToInt(RolloutSimulation.Step::lowestAvailable).min().orElseThrow())
                      .as(what).isEqualTo(sim.minAvailable());
                  assertThat(trace.stream().mapToInt(RolloutSimulation.Step::pods).max().orElseThrow())
                      .as(what).isEqualTo(sim.maxPods());
                  checked++;
                }
              }
            }
          }
        }
      }
      assertThat(checked).isGreaterThan(5000);
    }
  }

  @Nested
  class A_rollout_that_never_starts {

    @Test
    void has_no_trace() {
      // when
      RolloutSimulation sim = RolloutSimulator.simulate(
          RolloutSpec.rolling(3, IntOrString.ofInt(0), IntOrString.ofInt(0), 1), GpuPool.withFree(8), Readiness.READY);

      // then
      assertThat(sim.trace()).isEmpty();
      assertThat(sim.steps()).isZero();
    }
  }

  @Nested
  class The_trace_stays_out_of_the_outcome_text {

    @Test
    void json_and_text_are_the_outcome_alone() {
      // when
      RolloutSimulation sim = RolloutSimulator.simulate(
          RolloutSpec.rolling(2, IntOrString.ofInt(1), IntOrString.ofInt(0), 1), GpuPool.withFree(1), Readiness.READY);

      // then
      assertThat(sim.trace()).hasSize(5);
      assertThat(sim.toJson()).isEqualTo("{\"completes\":true,\"minAvailable\":2,\"maxPods\":3,\"steps\":4,\"stall\":null}");
      assertThat(sim.toText()).isEqualTo(String.join(System.lineSeparator(),
          "completes", "min available: 2", "max pods: 3", "steps: 4"));
    }

    @Test
    void the_outcome_alone_has_an_empty_trace() {
      // when
      RolloutSimulation outcome = new RolloutSimulation(true, 2, 3, 4, Optional.empty());

      // then
      assertThat(outcome.trace()).isEmpty();
    }
  }
}

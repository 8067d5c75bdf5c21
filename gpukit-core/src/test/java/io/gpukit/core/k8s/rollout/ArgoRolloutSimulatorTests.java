package io.gpukit.core.k8s.rollout;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.k8s.ArgoStrategy;
import io.gpukit.core.k8s.ArgoStrategy.CanaryStep;
import io.gpukit.core.k8s.IntOrString;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.RolloutStrategy;
import io.gpukit.core.source.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArgoRolloutSimulatorTests {

  private static final SourceLocation AT = SourceLocation.of(Path.of("rollout.yaml"), 1, 1);

  /** Steps written as {@code w25 p w50 a}: setWeight 25, pause, setWeight 50, analysis. */
  private static List<CanaryStep> steps(String written) {
    List<CanaryStep> out = new ArrayList<>();
    for (String s : written.isBlank() ? new String[0] : written.strip().split("\\s+")) {
      out.add(switch (s.charAt(0)) {
        case 'w' -> new CanaryStep.SetWeight(Integer.parseInt(s.substring(1)), AT);
        case 'p' -> new CanaryStep.Pause(Optional.empty(), AT);
        case 'a' -> new CanaryStep.Analysis(AT);
        default -> throw new IllegalArgumentException(s);
      });
    }
    return out;
  }

  @Nested
  class Canary_without_a_traffic_router {

    /**
     * Worked out by hand, one Argo Rollouts sync per step: the canary's count is ceil(R × w), the
     * stable's ceil(R × (100 - w)); scale up within R + maxSurge (+1 when w does not divide R), scale
     * the stable down while more than R - maxUnavailable are counted (canary Ready + stable); a step
     * is done when both sets are at their counts and Ready. 1 GPU a pod, 8 GPUs a node.
     *
     * <pre>
     * a) R=4 surge 1 unav 0, [w25 p w50 p], 1 free: w25: 1 +1 canary (5 pods), Ready; 2 -1 stable;
     *    3 step done; 4 pause done; w50: 5 +1 canary on the freed GPU; 6 -1 stable; 7 done; 8 pause
     *    done; 100%: 9 +1; 10 -1; 11 +1; 12 -1 (stable 0). min 4, max 5, 12 steps.
     * b) the same with 0 free: 1 +1 canary, Pending; 2 nothing (4 counted, 4 must stay). Stalls:
     *    min 4, max 5, 1 step.
     * c) R=4 defaults 25%/25% (surge 1, unav 1), [w25], 0 free: 1 +1 canary and -1 stable in one
     *    sync, the canary binds on the freed GPU; 2 step done; 100%: 3, 4, 5 each +1 canary -1
     *    stable. min 3, max 4, 5 steps: it completes on a full pool by serving with 3.
     * d) R=2 surge 1 unav 0, no steps (100% at once, as a rolling update), 1 free: 1 +1; 2 -1;
     *    3 +1; 4 -1. min 2, max 3, 4 steps (the Deployment table's case a).
     * e) R=3 surge 1 unav 0, [w50], 2 free: 50% of 3 rounds both sets up to 2, so the surge is 1+1:
     *    1 +2 canary (5 pods); 2 -1 stable; 3 done; 100% (surge 1): 4 -1 stable; 5 +1; 6 -1.
     *    min 3, max 5, 6 steps.
     * f) R=2 surge 1 unav 0, [w50], 1 free, never Ready: 1 +1 canary, bound, never Ready; 2
     *    nothing. min 2, max 3, 1 step.
     * g) R=4 surge 1 unav 0, [w50 w25], 2 free (a lower weight keeps the higher one): w50: 1 +1;
     *    2 -1 stable; 3 +1; 4 -1 stable; 5 done; w25 (kept at 50): 6 done; 100%: 7 +1; 8 -1;
     *    9 +1; 10 -1. min 4, max 5, 10 steps.
     * </pre>
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
      // case, replicas, surge, unavailable, steps, free, ready, completes, minAvailable, maxPods, steps
      "a, 4, 1, 0, w25 p w50 p, 1, true, true, 4, 5, 12",
      "b, 4, 1, 0, w25 p w50 p, 0, true, false, 4, 5, 1",
      "c, 4, 25%, 25%, w25, 0, true, true, 3, 4, 5",
      "d, 2, 1, 0, '', 1, true, true, 2, 3, 4",
      "e, 3, 1, 0, w50, 2, true, true, 3, 5, 6",
      "f, 2, 1, 0, w50, 1, false, false, 2, 3, 1",
      "g, 4, 1, 0, w50 w25, 2, true, true, 4, 5, 10",
    })
    void outcomes_match_the_hand_computed_table(String name, int replicas, String surge, String unavailable,
        String written, int free, boolean ready, boolean completes, int minAvailable, int maxPods, int steps) {
      // given
      RolloutSpec spec = RolloutSpec.canary(replicas, IntOrString.parse(surge), IntOrString.parse(unavailable),
          ArgoStrategy.canary(steps(written)), 1);

      // when
      RolloutSimulation sim = RolloutSimulator.simulate(spec, new GpuPool(free, 8),
          ready ? Readiness.READY : Readiness.NEVER_READY);

      // then
      assertThat(sim.completes()).as("completes").isEqualTo(completes);
      assertThat(sim.minAvailable()).as("minAvailable").isEqualTo(minAvailable);
      assertThat(sim.maxPods()).as("maxPods").isEqualTo(maxPods);
      assertThat(sim.steps()).as("steps").isEqualTo(steps);
    }

    @Test
    void a_stall_names_the_step_the_canary_waits_at() {
      // when
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.canary(4, IntOrString.ofInt(1), IntOrString.ofInt(0),
          ArgoStrategy.canary(steps("w25 p w50 p")), 1), GpuPool.withFree(0), Readiness.READY);

      // then
      assertThat(sim).doesNotComplete().stallsBecause(
          "1 canary pod(s) Pending: each needs 1 GPU(s) on one node, but the most free on any node is 0 (0 free in"
              + " the pool); the canary waits at step 1 of 4 (setWeight 25) with 4 stable and 1 canary pod(s); the"
              + " controller deletes no stable pod while it would leave fewer than 4 available (replicas 4 -"
              + " maxUnavailable 0)");
    }

    @Test
    void both_knobs_zero_never_starts() {
      // when
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.canary(2, IntOrString.ofInt(0), IntOrString.ofInt(0),
          ArgoStrategy.canary(steps("w50")), 1), GpuPool.withFree(2), Readiness.READY);

      // then
      assertThat(sim.steps()).isZero();
      assertThat(sim.stall()).contains("maxSurge '0' and maxUnavailable '0' may not both be 0; the Argo Rollouts"
          + " controller rejects the Rollout, so no rollout starts");
    }
  }

  @Nested
  class Canary_with_a_traffic_router {

    /**
     * Worked out by hand: the canary is scaled to ceil(R × w) outright; once its pods are Ready the
     * router moves the traffic (a step); the stable set keeps all R pods until the canary takes
     * 100%, or with dynamicStableScale shrinks to ceil(R × (100 - traffic)). R=2, [w50], 1 GPU a pod.
     *
     * <pre>
     * g) 1 free: 1 +1 canary, Ready; 2 traffic 50%; 3 step done (stable stays 2); 100%: 4 +1
     *    canary, Pending (0 free). Stalls: min 2, max 4 (2 stable, 2 canary), 4 steps.
     * h) 2 free: as g to 4, the canary pod binds; 5 traffic 100%; 6 -2 stable. min 2, max 4, 6 steps.
     * i) 1 free, dynamicStableScale: 1 +1 canary; 2 traffic 50%; 3 -1 stable (ceil(2 × 50%) = 1);
     *    4 step done; 5 +1 canary on the freed GPU; 6 traffic 100%; 7 -1 stable. min 2, max 3, 7 steps.
     * </pre>
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
      // case, free, dynamicStableScale, completes, minAvailable, maxPods, steps
      "g, 1, false, false, 2, 4, 4",
      "h, 2, false, true, 2, 4, 6",
      "i, 1, true, true, 2, 3, 7",
    })
    void outcomes_match_the_hand_computed_table(String name, int free, boolean dynamic, boolean completes,
        int minAvailable, int maxPods, int steps) {
      // given
      RolloutSpec spec = RolloutSpec.canary(2, IntOrString.ofInt(1), IntOrString.ofInt(0),
          ArgoStrategy.canary(steps("w50")).withTrafficRouting(dynamic), 1);

      // when
      RolloutSimulation sim = RolloutSimulator.simulate(spec, new GpuPool(free, 8), Readiness.READY);

      // then
      assertThat(sim.completes()).as("completes").isEqualTo(completes);
      assertThat(sim.minAvailable()).as("minAvailable").isEqualTo(minAvailable);
      assertThat(sim.maxPods()).as("maxPods").isEqualTo(maxPods);
      assertThat(sim.steps()).as("steps").isEqualTo(steps);
    }

    @Test
    void a_stable_set_kept_at_full_scale_needs_a_second_set_at_100_percent() {
      // when
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.canary(2, IntOrString.ofInt(1), IntOrString.ofInt(0),
          ArgoStrategy.canary(steps("w50")).withTrafficRouting(false), 1), GpuPool.withFree(1), Readiness.READY);

      // then
      assertThat(sim).stallsBecause("the canary waits at 100% with 2 stable and 2 canary pod(s); with a traffic router"
          + " the stable ReplicaSet keeps all 2 pods until the canary is fully promoted");
    }
  }

  @Nested
  class Blue_green {

    /**
     * Worked out by hand: the preview set (previewReplicaCount, else R) is created beside the R
     * active pods; once Ready the rollout is promoted (the preview grows to R), then the active
     * Service switches, then the old pods go. 1 GPU a pod, 8 GPUs a node.
     *
     * <pre>
     * a) R=2, 2 free: 1 +2 preview, Ready; 2 promoted; 3 switched; 4 -2 old. min 2, max 4, 4 steps.
     * b) R=2, 1 free: 1 +2 preview, one binds, one Pending; 2 nothing. min 2, max 4, 1 step.
     * c) R=2, 0 free (a full pool): 1 +2 preview, both Pending; deadlock. min 2, max 4, 1 step.
     * d) R=4 preview 1, 1 free: 1 +1 preview, Ready; 2 promoted; 3 +3, Pending (Pending pods count
     *    among the pods). min 4, max 8, 3 steps.
     * e) R=4 preview 1, 4 free: 1 +1; 2 promoted; 3 +3, Ready; 4 switched; 5 -4 old. min 4, max 8, 5 steps.
     * f) R=2, 2 free, never Ready: 1 +2 preview, bound, never Ready; 2 nothing. min 2, max 4, 1 step.
     * </pre>
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
      // case, replicas, preview (0: none), free, ready, completes, minAvailable, maxPods, steps
      "a, 2, 0, 2, true, true, 2, 4, 4",
      "b, 2, 0, 1, true, false, 2, 4, 1",
      "c, 2, 0, 0, true, false, 2, 4, 1",
      "d, 4, 1, 1, true, false, 4, 8, 3",
      "e, 4, 1, 4, true, true, 4, 8, 5",
      "f, 2, 0, 2, false, false, 2, 4, 1",
    })
    void outcomes_match_the_hand_computed_table(String name, int replicas, int preview, int free, boolean ready,
        boolean completes, int minAvailable, int maxPods, int steps) {
      // given
      RolloutSpec spec = RolloutSpec.blueGreen(replicas, preview == 0 ? Optional.empty() : Optional.of(preview), 1);

      // when
      RolloutSimulation sim = RolloutSimulator.simulate(spec, new GpuPool(free, 8),
          ready ? Readiness.READY : Readiness.NEVER_READY);

      // then
      assertThat(sim.completes()).as("completes").isEqualTo(completes);
      assertThat(sim.minAvailable()).as("minAvailable").isEqualTo(minAvailable);
      assertThat(sim.maxPods()).as("maxPods").isEqualTo(maxPods);
      assertThat(sim.steps()).as("steps").isEqualTo(steps);
    }

    @Test
    void on_a_full_pool_the_simulation_says_it_deadlocks_and_how_many_gpus_the_cutover_needs() {
      // when
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.blueGreen(2, Optional.empty(), 4),
          GpuPool.withFree(0), Readiness.READY);

      // then
      assertThat(sim).doesNotComplete().keepsAtLeastAvailable(2).stallsBecause(
          "2 preview pod(s) Pending: each needs 4 GPU(s) on one node, but the most free on any node is 0 (0 free in"
              + " the pool); blueGreen keeps all 2 active pods serving until 2 preview pod(s) are Ready, so the"
              + " cutover needs a second full set of 8 GPU(s) (2 × 4 GPU(s)) besides those the active pods hold: the"
              + " rollout deadlocks");
    }
  }

  @Nested
  class From_a_manifest {

    private static final String ROLLOUT = """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: llm}
        spec:
          replicas: 2
          revisionHistoryLimit: 3
          template:
            spec:
              containers:
              - name: server
                image: vllm/vllm-openai:v0.6.4
                resources: {limits: {nvidia.com/gpu: 1}}
          strategy:
        """;

    @Test
    void a_canary_is_read_with_its_steps_and_knobs() {
      // given
      Manifests m = Manifests.parse(Path.of("rollout.yaml"), ROLLOUT + """
              canary:
                maxSurge: 1
                maxUnavailable: 0
                steps:
                - setWeight: 50
                - pause: {duration: 10m}
                - analysis: {templates: [{templateName: gpu-smoke}]}
                - setCanaryScale: {replicas: 1}
                - experiment: {templates: []}
          """);

      // when
      RolloutSpec spec = RolloutSpec.of(m.rollingWorkloads().get(0));

      // then
      RolloutStrategy s = spec.strategy();
      assertThat(s.type()).isEqualTo(RolloutStrategy.Type.CANARY);
      assertThat(s.resolve(2)).isEqualTo(new RolloutStrategy.Fenceposts(1, 0));
      assertThat(s.argo().orElseThrow().steps()).extracting(st -> st.getClass().getSimpleName())
          .containsExactly("SetWeight", "Pause", "Analysis", "SetCanaryScale", "Other");
      assertThat(((CanaryStep.Pause) s.argo().get().steps().get(1)).duration()).contains("10m");
      assertThat(spec.gpusPerPod()).isEqualTo(1);
      assertThat(m.rollingWorkloads().get(0).revisionHistoryLimit()).contains(3);
      assertThat(RolloutSimulator.simulate(spec, GpuPool.withFree(1), Readiness.READY)).completes().keepsAtLeastAvailable(2);
    }

    @Test
    void a_blue_green_is_read_and_deadlocks_on_a_full_pool() {
      // given
      Manifests m = Manifests.parse(Path.of("rollout.yaml"), ROLLOUT + """
              blueGreen:
                activeService: llm-active
                previewService: llm-preview
                autoPromotionEnabled: false
                scaleDownDelaySeconds: 600
          """);

      // when
      RolloutSpec spec = RolloutSpec.of(m.rollingWorkloads().get(0));

      // then
      ArgoStrategy argo = spec.strategy().argo().orElseThrow();
      assertThat(spec.strategy().type()).isEqualTo(RolloutStrategy.Type.BLUE_GREEN);
      assertThat(argo.activeService()).contains("llm-active");
      assertThat(argo.autoPromotionEnabled()).isFalse();
      assertThat(argo.scaleDownDelaySeconds()).isEqualTo(600);
      assertThat(RolloutSimulator.simulate(spec, GpuPool.withFree(0), Readiness.READY)).stallsBecause("deadlocks");
      assertThat(RolloutSimulator.simulate(spec, GpuPool.withFree(2), Readiness.READY)).completes();
    }

    @Test
    void a_rollout_with_both_strategies_never_starts() {
      // given
      Manifests m = Manifests.parse(Path.of("rollout.yaml"), ROLLOUT + """
              canary: {steps: [{setWeight: 50}]}
              blueGreen: {activeService: llm}
          """);

      // when
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.of(m.rollingWorkloads().get(0)),
          GpuPool.withFree(4), Readiness.READY);

      // then
      assertThat(sim.stall()).contains("a Rollout may write canary or blueGreen, not both; the Argo Rollouts controller"
          + " rejects the Rollout, so no rollout starts");
    }
  }

  private static RolloutSimulation.Step state(int oldReady, int newReady, int newUnready, int newPending, int inUse,
      int inPool, int lowest) {
    return RolloutSimulatorTests.state(oldReady, newReady, newUnready, newPending, inUse, inPool, lowest);
  }

  @Nested
  class Traces_of_the_tables {

    @Test
    void canary_c_swaps_one_stable_pod_for_a_canary_pod_per_sync_on_a_full_pool() {
      // when: R=4, 25%/25%, [w25], 0 free
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.canary(4, IntOrString.ofPercent(25),
          IntOrString.ofPercent(25), ArgoStrategy.canary(steps("w25")), 1), new GpuPool(0, 8), Readiness.READY);

      // then: +1 canary -1 stable; step done; then three more swaps at 100%
      assertThat(sim.trace()).containsExactly(
          state(4, 0, 0, 0, 4, 4, 4),
          state(3, 1, 0, 0, 4, 4, 3),
          state(3, 1, 0, 0, 4, 4, 4),
          state(2, 2, 0, 0, 4, 4, 3),
          state(1, 3, 0, 0, 4, 4, 3),
          state(0, 4, 0, 0, 4, 4, 3));
    }

    @Test
    void canary_g_with_a_router_keeps_the_stable_set_and_the_last_canary_pod_waits_for_a_gpu() {
      // when: R=2, [w50], a traffic router, 1 free
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.canary(2, IntOrString.ofInt(1), IntOrString.ofInt(0),
          ArgoStrategy.canary(steps("w50")).withTrafficRouting(false), 1), new GpuPool(1, 8), Readiness.READY);

      // then: +1 canary; traffic 50%; step done; +1 canary, Pending
      assertThat(sim.trace()).containsExactly(
          state(2, 0, 0, 0, 2, 3, 2),
          state(2, 1, 0, 0, 3, 3, 2),
          state(2, 1, 0, 0, 3, 3, 3),
          state(2, 1, 0, 0, 3, 3, 3),
          state(2, 1, 0, 1, 3, 3, 3));
    }

    @Test
    void blue_green_a_brings_up_the_whole_preview_set_before_any_old_pod_goes() {
      // when: R=2, 2 free
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.blueGreen(2, Optional.empty(), 1),
          new GpuPool(2, 8), Readiness.READY);

      // then: +2 preview; promoted; switched; -2 old
      assertThat(sim.trace()).containsExactly(
          state(2, 0, 0, 0, 2, 4, 2),
          state(2, 2, 0, 0, 4, 4, 2),
          state(2, 2, 0, 0, 4, 4, 4),
          state(2, 2, 0, 0, 4, 4, 4),
          state(0, 2, 0, 0, 2, 4, 2));
    }

    @Test
    void blue_green_c_deadlocks_with_the_preview_set_pending_on_a_full_pool() {
      // when: R=2, 0 free
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.blueGreen(2, Optional.empty(), 1),
          new GpuPool(0, 8), Readiness.READY);

      // then
      assertThat(sim.trace()).containsExactly(state(2, 0, 0, 0, 2, 2, 2), state(2, 0, 0, 2, 2, 2, 2));
    }

    @Test
    void blue_green_d_a_small_preview_is_promoted_then_grows_into_pending_pods() {
      // when: R=4, previewReplicaCount 1, 1 free
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.blueGreen(4, Optional.of(1), 1),
          new GpuPool(1, 8), Readiness.READY);

      // then: +1 preview; promoted; +3, Pending
      assertThat(sim.trace()).containsExactly(
          state(4, 0, 0, 0, 4, 5, 4),
          state(4, 1, 0, 0, 5, 5, 4),
          state(4, 1, 0, 0, 5, 5, 5),
          state(4, 1, 0, 3, 5, 5, 5));
    }
  }
}

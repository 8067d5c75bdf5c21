package io.gpukit.core.k8s.rollout;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.k8s.IntOrString;
import io.gpukit.core.k8s.Manifests;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolloutSimulatorTests {

  @Nested
  class Rolling_update_table {

    /**
     * Outcomes worked out by hand, one controller sync per step (scale up if it can, else down).
     *
     * <pre>
     * a) R=2 surge 1 unav 0, 1 GPU/pod, 1 free, 8/node, ready:
     *    1 +1 new (3 pods) bound Ready; 2 -1 old; 3 +1 new bound on the freed GPU, Ready; 4 -1 old.
     *    min 2, max 3, 4 steps.
     * b) R=2 surge 1 unav 0, 0 free: 1 +1 new, Pending; 2 nothing: 3 = 2+1 pods, and 3-2-1 = 0 may go.
     *    Stalls: min 2, max 3, 1 step.
     * c) R=2 surge 0 unav 1, 0 free: 1 -1 old (available 2 > 1); 2 +1 new on the freed GPU, Ready;
     *    3 -1 old; 4 +1 new, Ready. min 1, max 2, 4 steps.
     * d) R=3 surge 0 unav 100% (Recreate-like), 0 free: 1 -3 old (available 0); 2 +3 new, Ready.
     *    min 0, max 3, 2 steps.
     * e) R=2 surge 1 unav 0, 1 free, never ready: 1 +1 new, bound, never Ready; 2 nothing
     *    (3-2-1 = 0). min 2, max 3, 1 step.
     * f) R=3 surge 0 unav 1, 0 free, never ready: 1 -1 old; 2 +1 new, bound, not Ready;
     *    3 nothing (3-2-1 = 0). min 2, max 3, 2 steps.
     * g) R=4 25%/25% (surge 1, unav 1), 1 free: 1 +1 new (5 pods), bound, Ready; 2 -2 old
     *    (available 5 may drop to 3); 3 +2 new on the freed GPUs, Ready (5 pods); 4 -2 old (3 left
     *    available); 5 +1 new, Ready. min 3, max 5, 5 steps.
     * h) R=2 surge 1 unav 0, 2 GPUs/pod, 1 free on 2-GPU nodes: the surge pod needs 2 GPUs on one
     *    node, the pool has 1. Stalls: min 2, max 3, 1 step.
     * i) R=2 surge 1 unav 0, 2 GPUs/pod, 2 free on 4-GPU nodes: old pods fill node 0 (4 GPUs); the 2
     *    free GPUs are node 1; 1 +1 new on node 1, Ready; 2 -1 old (frees 2 on node 0); 3 +1 new on
     *    node 0; 4 -1 old. min 2, max 3, 4 steps.
     * j) R=1 25%/25%: surge 1, unavailable 0; 0 free: 1 +1 new, Pending; stall. min 1, max 2, 1 step.
     * k) R=5 surge 0% unav 10% (both round to 0: the controller makes unavailable 1), 0 free:
     *    5 rounds of -1 old, +1 new: min 4, max 5, 10 steps.
     * </pre>
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
      // case, replicas, surge, unavailable, gpus/pod, free, gpus/node, ready, completes, minAvailable, maxPods, steps
      "a, 2, 1, 0, 1, 1, 8, true, true, 2, 3, 4",
      "b, 2, 1, 0, 1, 0, 8, true, false, 2, 3, 1",
      "c, 2, 0, 1, 1, 0, 8, true, true, 1, 2, 4",
      "d, 3, 0, 100%, 1, 0, 8, true, true, 0, 3, 2",
      "e, 2, 1, 0, 1, 1, 8, false, false, 2, 3, 1",
      "f, 3, 0, 1, 1, 0, 8, false, false, 2, 3, 2",
      "g, 4, 25%, 25%, 1, 1, 8, true, true, 3, 5, 5",
      "h, 2, 1, 0, 2, 1, 2, true, false, 2, 3, 1",
      "i, 2, 1, 0, 2, 2, 4, true, true, 2, 3, 4",
      "j, 1, 25%, 25%, 1, 0, 8, true, false, 1, 2, 1",
      "k, 5, 0%, 10%, 1, 0, 8, true, true, 4, 5, 10",
    })
    void outcomes_match_the_hand_computed_table(
        String name, int replicas, String surge, String unavailable, int gpusPerPod, int free, int perNode,
        boolean ready, boolean completes, int minAvailable, int maxPods, int steps) {
      // given
      RolloutSpec spec = RolloutSpec.rolling(replicas, IntOrString.parse(surge), IntOrString.parse(unavailable), gpusPerPod);

      // when
      RolloutSimulation sim = RolloutSimulator.simulate(spec, new GpuPool(free, perNode),
          ready ? Readiness.READY : Readiness.NEVER_READY);

      // then
      assertThat(sim.completes()).as("completes").isEqualTo(completes);
      assertThat(sim.minAvailable()).as("minAvailable").isEqualTo(minAvailable);
      assertThat(sim.maxPods()).as("maxPods").isEqualTo(maxPods);
      assertThat(sim.steps()).as("steps").isEqualTo(steps);
      assertThat(sim.stall().isPresent()).as("stall").isEqualTo(!completes);
    }
  }

  @Nested
  class Stalls_say_why {

    @Test
    void no_free_gpu_for_the_surge_pod() {
      // when
      RolloutSimulation sim = RolloutSimulator.simulate(
          RolloutSpec.rolling(2, IntOrString.ofInt(1), IntOrString.ofInt(0), 1), GpuPool.withFree(0), Readiness.READY);

      // then
      assertThat(sim).doesNotComplete().stallsBecause("1 new pod(s) Pending").keepsAtLeastAvailable(2);
    }

    @Test
    void new_pods_that_never_become_ready() {
      // when
      RolloutSimulation sim = RolloutSimulator.simulate(
          RolloutSpec.rolling(2, IntOrString.ofInt(1), IntOrString.ofInt(0), 1), GpuPool.withFree(1), Readiness.NEVER_READY);

      // then
      assertThat(sim.stall()).hasValueSatisfying(s -> assertThat(s).contains("never become Ready"));
    }
  }

  @Nested
  class Specs_that_never_start {

    @Test
    void both_knobs_written_as_zero_are_rejected_before_any_step() {
      // when
      RolloutSimulation sim = RolloutSimulator.simulate(
          RolloutSpec.rolling(3, IntOrString.ofInt(0), IntOrString.ofInt(0), 1), GpuPool.withFree(8), Readiness.READY);

      // then
      assertThat(sim.completes()).isFalse();
      assertThat(sim.minAvailable()).isEqualTo(3);
      assertThat(sim.steps()).isZero();
      assertThat(sim.toJson()).startsWith("{\"completes\":false,\"minAvailable\":3,\"maxPods\":3,\"steps\":0,\"stall\":\"");
    }
  }

  @Nested
  class Recreate {

    @Test
    void drops_every_replica_then_starts_the_new_ones() {
      // when: 1 delete 2 old; 2 create 2 new, bound on the freed GPUs, Ready
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.recreate(2, 1), GpuPool.withFree(0), Readiness.READY);

      // then
      assertThat(sim).completes().keepsAtLeastAvailable(0);
      assertThat(sim.steps()).isEqualTo(2);
    }

    @Test
    void with_pods_that_never_become_ready_leaves_nothing_serving() {
      // when
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.recreate(2, 1), GpuPool.withFree(0), Readiness.NEVER_READY);

      // then
      assertThat(sim.completes()).isFalse();
      assertThat(sim.minAvailable()).isZero();
    }
  }

  @Nested
  class From_a_manifest {

    @Test
    void the_seed_deployment_completes_with_one_spare_gpu_and_never_drops_a_replica() {
      // given
      Manifests m = Manifests.parse(Path.of("fixtures/k8s/ok/seed-deployment.yaml"),
          "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: seed}\nspec:\n  replicas: 2\n  strategy:\n"
              + "    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}\n  template:\n    spec:\n      containers:\n"
              + "      - name: s\n        image: s:1\n        resources: {limits: {nvidia.com/gpu: 1}}\n");

      // when
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.of(m.deployments().get(0)), GpuPool.withFree(1), Readiness.READY);

      // then
      assertThat(sim).completes().keepsAtLeastAvailable(2);
    }
  }

  @Nested
  class Specs_from_manifests {

    @Test
    void amd_gpus_are_counted_like_nvidia_gpus() {
      // given
      Manifests m = Manifests.parse(Path.of("amd.yaml"),
          "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 2\n  strategy:\n"
              + "    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}\n  template:\n    spec:\n      containers:\n"
              + "      - name: s\n        image: rocm/vllm:rocm6.2_mi300_vllm_0.6.4\n        resources: {limits: {amd.com/gpu: 4}}\n");

      // when
      RolloutSpec spec = RolloutSpec.of(m.deployments().get(0));

      // then
      assertThat(spec.gpusPerPod()).isEqualTo(4);
      assertThat(RolloutSimulator.simulate(spec, new GpuPool(0, 8), Readiness.READY))
          .stallsBecause("Pending");
    }

    @Test
    void a_mig_slice_is_one_unit_of_a_pool_of_its_own_profile() {
      // given
      Manifests m = Manifests.parse(Path.of("mig.yaml"), """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: embed}
          spec:
            replicas: 3
            strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
            template:
              spec:
                containers:
                - name: embed
                  image: nvcr.io/nvidia/pytorch:24.08-py3
                  resources: {limits: {nvidia.com/mig-1g.10gb: 1}}
                - name: sidecar
                  image: ghcr.io/acme/sidecar:1.0
          """);

      // when
      RolloutSpec spec = RolloutSpec.of(m.deployments().get(0));

      // then
      assertThat(spec.gpusPerPod()).isEqualTo(1);
      assertThat(spec.resource()).isEqualTo("nvidia.com/mig-1g.10gb");
      assertThat(RolloutSimulator.simulate(spec, new GpuPool(1, 7), Readiness.READY)).completes().keepsAtLeastAvailable(3);
      assertThat(RolloutSimulator.simulate(spec, new GpuPool(0, 7), Readiness.READY))
          .stallsBecause("each needs 1 of 'nvidia.com/mig-1g.10gb' on one node");
    }

    @Test
    void a_pod_with_several_gpu_resources_is_simulated_on_the_one_it_holds_most_of() {
      // given
      Manifests m = Manifests.parse(Path.of("mixed.yaml"), """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: d}
          spec:
            template:
              spec:
                initContainers:
                - {name: warm, image: "w:1", resources: {limits: {nvidia.com/mig-3g.40gb: 3}}}
                containers:
                - {name: a, image: "a:1", resources: {limits: {nvidia.com/mig-3g.40gb: 1, nvidia.com/gpu: 1}}}
                - {name: b, image: "b:1", resources: {requests: {nvidia.com/mig-3g.40gb: 1}}}
          """);

      // when
      Map<String, Integer> units = m.deployments().get(0).template().gpuUnits(List.of());
      RolloutSpec spec = RolloutSpec.of(m.deployments().get(0));

      // then the init container's 3 slices beat the 2 the app containers hold together
      assertThat(units).containsExactly(Map.entry("nvidia.com/gpu", 1), Map.entry("nvidia.com/mig-3g.40gb", 3));
      assertThat(spec.resource()).isEqualTo("nvidia.com/mig-3g.40gb");
      assertThat(spec.gpusPerPod()).isEqualTo(3);
    }

    @Test
    void a_dra_claim_template_counts_its_requested_devices_and_a_shared_claim_counts_none() {
      // given
      Manifests m = Manifests.parse(Path.of("dra.yaml"), """
          apiVersion: resource.k8s.io/v1
          kind: ResourceClaimTemplate
          metadata: {name: two-gpus}
          spec:
            spec:
              devices:
                requests:
                - name: gpus
                  firstAvailable:
                  - {name: h100, deviceClassName: gpu.nvidia.com, count: 2}
                  - {name: l4, deviceClassName: gpu.nvidia.com, count: 4}
                - name: nic
                  exactly: {deviceClassName: rdma.example.com, count: 1}
          ---
          apiVersion: resource.k8s.io/v1
          kind: ResourceClaim
          metadata: {name: shared-gpu}
          spec:
            devices:
              requests:
              - {name: gpu, exactly: {deviceClassName: gpu.nvidia.com}}
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: llm}
          spec:
            replicas: 2
            strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
            template:
              spec:
                resourceClaims:
                - {name: gpus, resourceClaimTemplateName: two-gpus}
                - {name: shared, resourceClaimName: shared-gpu}
                containers:
                - name: llm
                  image: vllm/vllm-openai:v0.6.4
                  resources: {claims: [{name: gpus}, {name: shared}]}
          """);

      // when
      RolloutSpec spec = RolloutSpec.of(m.deployments().get(0), m.deviceClaims());

      // then
      assertThat(spec.resource()).isEqualTo("gpu.nvidia.com");
      assertThat(spec.gpusPerPod()).isEqualTo(2);
      assertThat(RolloutSimulator.simulate(spec, new GpuPool(1, 8), Readiness.READY))
          .stallsBecause("each needs 2 of 'gpu.nvidia.com' on one node, but the most free on any node is 1");
      assertThat(RolloutSimulator.simulate(spec, new GpuPool(2, 8), Readiness.READY)).completes();
      assertThat(RolloutSpec.of(m.deployments().get(0)).gpusPerPod()).isZero();
    }

    @Test
    void a_pod_bigger_than_a_node_names_its_resource() {
      // when
      RolloutSimulation sim = RolloutSimulator.simulate(
          new RolloutSpec(1, RolloutSpec.recreate(1, 0).strategy(), 8, "nvidia.com/mig-1g.10gb"), new GpuPool(0, 7),
          Readiness.READY);

      // then
      assertThat(sim.stall()).contains(
          "a pod needs 8 of 'nvidia.com/mig-1g.10gb' but a node has only 7; no pod of this Deployment can be scheduled");
    }

    @Test
    void only_a_deployment_has_a_rollout_to_simulate() {
      // given
      Manifests m = Manifests.parse(Path.of("pod.yaml"),
          "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: s, image: \"s:1\"}]\n");

      // when / then
      assertThatThrownBy(() -> RolloutSpec.of(m.workloads().get(0)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Pod/p is neither a Deployment nor an Argo Rollout: only their rollouts are simulated");
    }
  }

  /** A state of a trace: old Ready, new Ready, new not Ready, new Pending, GPUs in use, in the pool, fewest Ready. */
  static RolloutSimulation.Step state(int oldReady, int newReady, int newUnready, int newPending, int inUse, int inPool,
      int lowest) {
    return new RolloutSimulation.Step(oldReady, newReady, newUnready, newPending, inUse, inPool, lowest);
  }

  @Nested
  class Traces_of_the_table {

    @Test
    void a_one_spare_gpu_lets_the_surge_pod_in_and_never_drops_a_replica() {
      // when: the table's case a
      RolloutSimulation sim = RolloutSimulator.simulate(
          RolloutSpec.rolling(2, IntOrString.ofInt(1), IntOrString.ofInt(0), 1), new GpuPool(1, 8), Readiness.READY);

      // then: +1 new on the spare GPU; -1 old; +1 new on the freed GPU; -1 old
      assertThat(sim.trace()).containsExactly(
          state(2, 0, 0, 0, 2, 3, 2),
          state(2, 1, 0, 0, 3, 3, 2),
          state(1, 1, 0, 0, 2, 3, 2),
          state(1, 2, 0, 0, 3, 3, 2),
          state(0, 2, 0, 0, 2, 3, 2));
    }

    @Test
    void b_the_surge_pod_stays_pending_on_a_full_pool() {
      // when: the table's case b
      RolloutSimulation sim = RolloutSimulator.simulate(
          RolloutSpec.rolling(2, IntOrString.ofInt(1), IntOrString.ofInt(0), 1), new GpuPool(0, 8), Readiness.READY);

      // then
      assertThat(sim.trace()).containsExactly(state(2, 0, 0, 0, 2, 2, 2), state(2, 0, 0, 1, 2, 2, 2));
    }

    @Test
    void c_max_unavailable_frees_a_gpu_first_and_serves_with_one_replica_meanwhile() {
      // when: the table's case c
      RolloutSimulation sim = RolloutSimulator.simulate(
          RolloutSpec.rolling(2, IntOrString.ofInt(0), IntOrString.ofInt(1), 1), new GpuPool(0, 8), Readiness.READY);

      // then: -1 old; +1 new on the freed GPU; -1 old; +1 new
      assertThat(sim.trace()).containsExactly(
          state(2, 0, 0, 0, 2, 2, 2),
          state(1, 0, 0, 0, 1, 2, 1),
          state(1, 1, 0, 0, 2, 2, 1),
          state(0, 1, 0, 0, 1, 2, 1),
          state(0, 2, 0, 0, 2, 2, 1));
    }

    @Test
    void e_a_new_pod_that_never_becomes_ready_holds_its_gpu() {
      // when: the table's case e
      RolloutSimulation sim = RolloutSimulator.simulate(
          RolloutSpec.rolling(2, IntOrString.ofInt(1), IntOrString.ofInt(0), 1), new GpuPool(1, 8), Readiness.NEVER_READY);

      // then
      assertThat(sim.trace()).containsExactly(state(2, 0, 0, 0, 2, 3, 2), state(2, 0, 1, 0, 3, 3, 2));
    }

    @Test
    void recreate_drops_to_nothing_then_starts_every_new_pod() {
      // when
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.recreate(2, 1), GpuPool.withFree(0), Readiness.READY);

      // then
      assertThat(sim.trace()).containsExactly(
          state(2, 0, 0, 0, 2, 2, 2),
          state(0, 0, 0, 0, 0, 2, 0),
          state(0, 2, 0, 0, 2, 2, 0));
    }

    @Test
    void i_a_pod_of_two_gpus_counts_two_in_use() {
      // when: the table's case i; old pods fill node 0, the 2 free GPUs are node 1
      RolloutSimulation sim = RolloutSimulator.simulate(
          RolloutSpec.rolling(2, IntOrString.ofInt(1), IntOrString.ofInt(0), 2), new GpuPool(2, 4), Readiness.READY);

      // then
      assertThat(sim.trace()).containsExactly(
          state(2, 0, 0, 0, 4, 6, 2),
          state(2, 1, 0, 0, 6, 6, 2),
          state(1, 1, 0, 0, 4, 6, 2),
          state(1, 2, 0, 0, 6, 6, 2),
          state(0, 2, 0, 0, 4, 6, 2));
    }
  }
}

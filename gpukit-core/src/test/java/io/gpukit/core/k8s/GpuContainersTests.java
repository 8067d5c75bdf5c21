package io.gpukit.core.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.GpuEvidence;
import io.gpukit.core.policy.GpuKitConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuContainersTests {

  private static final GpuKitConfig DEFAULTS = GpuKitConfig.defaults();

  private static Manifests parse(String yaml) {
    return Manifests.parse(Path.of("k8s.yaml"), yaml);
  }

  /** A Deployment named {@code app} whose pod spec is {@code podSpec}, indented by six spaces. */
  private static String deployment(String podSpec) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n"
        + podSpec.stripIndent().lines().map(l -> "      " + l).reduce("", (a, b) -> a + b + "\n");
  }

  private static List<String> gpuNames(Manifests m, GpuKitConfig config) {
    GpuContainers gpu = GpuContainers.in(m, config);
    return m.workloads().stream().flatMap(w -> gpu.of(w).stream().map(c -> w.name() + "/" + c.name())).toList();
  }

  @Nested
  class Gpu_sharing {

    @Test
    void hami_and_volcano_share_sizes_are_evidence_and_never_counted_as_gpus() {
      // given
      Manifests m = parse(deployment("""
          containers:
          - name: hami
            image: registry.example.com/a:1
            resources: {limits: {nvidia.com/gpu: 1, nvidia.com/gpumem: 8000, nvidia.com/gpucores: 30}}
          - name: vgpu
            image: registry.example.com/b:1
            resources: {limits: {volcano.sh/vgpu-number: 2, volcano.sh/vgpu-memory: 4096}}
          """));

      // when
      List<String> evidence = K8sKind.INSTANCE.gpuEvidence(m, DEFAULTS).stream().map(GpuEvidence::render).toList();

      // then
      assertThat(evidence).containsExactly(
          "k8s.yaml:10:30: Deployment/app container 'hami' is GPU: it asks for nvidia.com/gpu",
          "k8s.yaml:10:49: Deployment/app container 'hami' is GPU: it asks for a share of a GPU (nvidia.com/gpumem)",
          "k8s.yaml:10:74: Deployment/app container 'hami' is GPU: it asks for a share of a GPU (nvidia.com/gpucores)",
          "k8s.yaml:13:30: Deployment/app container 'vgpu' is GPU: it asks for volcano.sh/vgpu-number",
          "k8s.yaml:13:57: Deployment/app container 'vgpu' is GPU: it asks for a share of a GPU"
              + " (volcano.sh/vgpu-memory)");
      assertThat(m.workloads().get(0).template().gpuUnits(List.of()))
          .containsExactly(java.util.Map.entry("nvidia.com/gpu", 1), java.util.Map.entry("volcano.sh/vgpu-number", 2));
    }

    @Test
    void a_run_ai_fraction_annotation_speaks_for_the_pods_main_containers() {
      // given
      Manifests m = parse("""
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: app}
          spec:
            template:
              metadata:
                annotations: {gpu-fraction: "0.25"}
              spec:
                initContainers:
                - {name: fetch, image: "registry.example.com/f:1"}
                containers:
                - {name: chat, image: "registry.example.com/c:1"}
          """);
      GpuContainers gpu = GpuContainers.in(m, DEFAULTS);
      Workload w = m.workloads().get(0);

      // when
      List<String> evidence = K8sKind.INSTANCE.gpuEvidence(m, DEFAULTS).stream().map(GpuEvidence::render).toList();

      // then
      assertThat(evidence).containsExactly("k8s.yaml:7:21: Deployment/app container 'chat' is GPU: its pod asks for a"
          + " share of a GPU with the annotation 'gpu-fraction: 0.25' (Run:ai, KAI scheduler)");
      assertThat(gpu.sharesGpu(w, w.template().containers().get(0))).isTrue();
      assertThat(gpu.isGpu(w, w.template().initContainers().get(0))).isFalse();
    }

    @Test
    void a_zero_fraction_asks_for_no_gpu() {
      // given
      Manifests m = parse("""
          apiVersion: v1
          kind: Pod
          metadata: {name: p, annotations: {gpu-fraction: "0.0"}}
          spec:
            containers: [{name: c, image: "registry.example.com/c:1"}]
          """);

      // then
      assertThat(gpuNames(m, DEFAULTS)).isEmpty();
    }
  }

  @Nested
  class Evidence {

    @Test
    void every_reason_a_container_is_gpu_is_strong_evidence_located_where_it_is_written() {
      // given
      Manifests m = parse(deployment("""
          containers:
          - name: server
            image: nvidia/cuda:12.4.1-runtime-ubuntu22.04
            resources:
              limits:
                nvidia.com/gpu: 1
          """));

      // when
      List<GpuEvidence> evidence = K8sKind.INSTANCE.gpuEvidence(m, DEFAULTS);

      // then
      assertThat(evidence).extracting(GpuEvidence::render).containsExactly(
          "k8s.yaml:9:9: Deployment/app container 'server' is GPU: its image"
              + " 'nvidia/cuda:12.4.1-runtime-ubuntu22.04' is a CUDA image",
          "k8s.yaml:12:13: Deployment/app container 'server' is GPU: it asks for nvidia.com/gpu");
      assertThat(evidence).allMatch(GpuEvidence::isStrong);
    }

    @Test
    void a_file_without_gpu_containers_has_no_evidence() {
      // given
      Manifests m = parse(deployment("""
          containers:
          - {name: redis, image: "redis:7.4.1"}
          """));

      // then
      assertThat(K8sKind.INSTANCE.gpuEvidence(m, DEFAULTS)).isEmpty();
    }

    @Test
    void a_file_under_gpu_not_paths_has_no_gpu_container(@TempDir Path folder) throws IOException {
      // given
      Files.writeString(folder.resolve("gpukit.yaml"), "gpu:\n  not-paths: [\"vendor/**\"]\n");
      GpuKitConfig config = GpuKitConfig.load(folder.resolve("gpukit.yaml"));
      String yaml = deployment("""
          containers:
          - {name: s, image: "nvidia/cuda:12.4.1-base-ubuntu22.04"}
          """);

      // when
      Manifests vendored = Manifests.parse(folder.resolve("vendor/gpu-operator/validator.yaml"), yaml);
      Manifests own = Manifests.parse(folder.resolve("k8s/app.yaml"), yaml);

      // then
      assertThat(gpuNames(vendored, config)).isEmpty();
      assertThat(gpuNames(own, config)).containsExactly("app/s");
    }
  }

  @Nested
  class Placement {

    @Test
    void a_file_under_gpu_paths_makes_the_main_containers_gpu_when_none_says_so_itself(@TempDir Path folder)
        throws IOException {
      // given
      Files.writeString(folder.resolve("gpukit.yaml"), "gpu:\n  paths: [\"deploy/llm/**\"]\n");
      GpuKitConfig config = GpuKitConfig.load(folder.resolve("gpukit.yaml"));
      String yaml = deployment("""
          containers:
          - {name: server, image: "ghcr.io/acme/llm:1.0.0"}
          """);

      // when
      Manifests declared = Manifests.parse(folder.resolve("deploy/llm/app.yaml"), yaml);
      Manifests other = Manifests.parse(folder.resolve("deploy/ui/app.yaml"), yaml);

      // then
      assertThat(K8sKind.INSTANCE.gpuEvidence(declared, config)).extracting(GpuEvidence::reason)
          .containsExactly("gpukit.yaml lists this file under gpu.paths");
      assertThat(gpuNames(other, config)).isEmpty();
    }

    @Test
    void a_gpu_node_selector_makes_the_main_containers_gpu_but_not_the_init_containers() {
      // given
      Manifests m = parse(deployment("""
          nodeSelector:
            nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3
          initContainers:
          - {name: fetch, image: "busybox:1.36"}
          containers:
          - {name: server, image: "ghcr.io/acme/llm:1.0.0"}
          """));
      GpuContainers gpu = GpuContainers.in(m, DEFAULTS);
      Workload w = m.workloads().get(0);

      // then
      assertThat(gpu.of(w)).extracting(Container::name).containsExactly("server");
      assertThat(gpu.isGpu(w, w.template().initContainers().get(0))).isFalse();
      assertThat(gpu.evidence(w, w.template().containers().get(0))).extracting(GpuEvidence::render).containsExactly(
          "k8s.yaml:8:9: Deployment/app container 'server' is GPU: its pod selects GPU nodes with nodeSelector"
              + " 'nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3'");
    }

    @Test
    void when_one_container_says_it_is_gpu_its_siblings_on_the_gpu_node_are_not() {
      // given
      Manifests m = parse(deployment("""
          tolerations:
          - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}
          containers:
          - name: server
            image: ghcr.io/acme/llm:1.0.0
            resources: {limits: {nvidia.com/gpu: 1}}
          - {name: istio-proxy, image: "docker.io/istio/proxyv2:1.23.2"}
          """));

      // then
      assertThat(gpuNames(m, DEFAULTS)).containsExactly("app/server");
    }

    @Test
    void gpu_labels_tolerations_and_affinity_of_every_vendor_count() {
      // given
      Manifests m = parse("""
          apiVersion: v1
          kind: Pod
          metadata: {name: gke}
          spec:
            nodeSelector: {cloud.google.com/gke-accelerator: nvidia-tesla-t4}
            containers: [{name: c, image: "a:1"}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: amd-taint}
          spec:
            tolerations: [{key: amd.com/gpu, operator: Exists}]
            containers: [{name: c, image: "a:1"}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: karpenter}
          spec:
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions:
                    - {key: karpenter.k8s.aws/instance-gpu-name, operator: In, values: [a10g, l4]}
            containers: [{name: c, image: "a:1"}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: amd-label}
          spec:
            nodeSelector: {amd.com/gpu.family: AI}
            containers: [{name: c, image: "a:1"}]
          """);

      // then
      assertThat(gpuNames(m, DEFAULTS)).containsExactly("gke/c", "amd-taint/c", "karpenter/c", "amd-label/c");
    }

    @Test
    void selectors_that_keep_pods_off_gpu_nodes_or_allow_cpu_nodes_are_no_evidence() {
      // given
      Manifests m = parse("""
          apiVersion: v1
          kind: Pod
          metadata: {name: not-present}
          spec:
            nodeSelector: {nvidia.com/gpu.present: "false"}
            containers: [{name: c, image: "a:1"}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: not-in}
          spec:
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions: [{key: nvidia.com/gpu.present, operator: NotIn, values: ["true"]}]
            containers: [{name: c, image: "a:1"}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: gpu-or-cpu}
          spec:
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions: [{key: nvidia.com/gpu.present, operator: Exists}]
                  - matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]
            containers: [{name: c, image: "a:1"}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: preferred-only}
          spec:
            affinity:
              nodeAffinity:
                preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 1
                  preference:
                    matchExpressions: [{key: nvidia.com/gpu.present, operator: Exists}]
            containers: [{name: c, image: "a:1"}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: tolerates-everything}
          spec:
            tolerations: [{operator: Exists}]
            containers: [{name: c, image: "a:1"}]
          """);

      // then
      assertThat(gpuNames(m, DEFAULTS)).isEmpty();
    }

    @Test
    void a_daemon_set_on_gpu_nodes_is_a_node_agent_not_a_gpu_consumer() {
      // given
      Manifests m = parse("""
          apiVersion: apps/v1
          kind: DaemonSet
          metadata: {name: nvidia-device-plugin-daemonset}
          spec:
            template:
              spec:
                nodeSelector: {nvidia.com/gpu.present: "true"}
                tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
                containers: [{name: plugin, image: "nvcr.io/nvidia/k8s-device-plugin:v0.16.2"}]
          """);

      // then
      assertThat(gpuNames(m, DEFAULTS)).isEmpty();
    }
  }

  @Nested
  class Dynamic_resource_allocation {

    private static final String TEMPLATE = """
        apiVersion: resource.k8s.io/v1
        kind: ResourceClaimTemplate
        metadata: {name: one-gpu}
        spec:
          spec:
            devices:
              requests:
              - name: gpu
                exactly: {deviceClassName: gpu.nvidia.com}
              - name: nic
                exactly: {deviceClassName: rdma.example.com}
        ---
        """;

    @Test
    void a_claim_that_resolves_to_a_gpu_device_class_makes_its_container_gpu() {
      // given
      Manifests m = parse(TEMPLATE + deployment("""
          resourceClaims:
          - {name: gpu, resourceClaimTemplateName: one-gpu}
          containers:
          - name: server
            image: ghcr.io/acme/llm:1.0.0
            resources:
              claims: [{name: gpu}]
          - {name: sidecar, image: "ghcr.io/acme/sidecar:1.0.0"}
          """));
      GpuContainers gpu = GpuContainers.in(m, DEFAULTS);
      Workload w = m.workloads().get(0);
      Container server = w.template().containers().get(0);

      // then
      assertThat(gpu.of(w)).containsExactly(server);
      assertThat(gpu.claimsGpu(w, server)).isTrue();
      assertThat(gpu.why(w, server)).isEqualTo("it claims 'gpu' (ResourceClaimTemplate/one-gpu, device class 'gpu.nvidia.com')");
    }

    @Test
    void a_claim_narrowed_to_a_request_that_is_no_gpu_gives_no_gpu() {
      // given
      Manifests m = parse(TEMPLATE + deployment("""
          resourceClaims:
          - {name: devices, resourceClaimTemplateName: one-gpu}
          containers:
          - name: server
            image: ghcr.io/acme/llm:1.0.0
            resources:
              claims: [{name: devices, request: nic}]
          """));

      // then
      assertThat(gpuNames(m, DEFAULTS)).isEmpty();
    }

    @Test
    void the_old_source_shape_and_a_shared_resource_claim_resolve_too() {
      // given
      Manifests m = parse("""
          apiVersion: resource.k8s.io/v1beta1
          kind: ResourceClaim
          metadata: {name: shared}
          spec:
            devices:
              requests:
              - {name: gpu, deviceClassName: gpu.amd.com}
          ---
          """ + deployment("""
          resourceClaims:
          - name: gpu
            source: {resourceClaimName: shared}
          containers:
          - name: server
            image: ghcr.io/acme/llm:1.0.0
            resources:
              claims: [{name: gpu}]
          """));
      GpuContainers gpu = GpuContainers.in(m, DEFAULTS);
      Workload w = m.workloads().get(0);
      Container server = w.template().containers().get(0);

      // then
      assertThat(gpu.isGpu(w, server)).isTrue();
      assertThat(gpu.isAmd(w, server)).isTrue();
      assertThat(gpu.gpuResourceFor(w, server)).isEqualTo(Resources.AMD_GPU);
    }

    @Test
    void a_claim_defined_elsewhere_is_unresolved_and_says_nothing() {
      // given
      Manifests m = parse(deployment("""
          resourceClaims:
          - {name: gpu, resourceClaimTemplateName: defined-in-another-chart}
          containers:
          - name: server
            image: ghcr.io/acme/llm:1.0.0
            resources:
              claims: [{name: gpu}]
          """));
      GpuContainers gpu = GpuContainers.in(m, DEFAULTS);
      Workload w = m.workloads().get(0);

      // then
      assertThat(gpu.of(w)).isEmpty();
      assertThat(gpu.hasUnresolvedClaim(w, w.template().containers().get(0))).isTrue();
    }

    @Test
    void across_files_a_claim_resolves_to_a_template_of_another_file() {
      // given
      Manifests templates = parse(TEMPLATE);
      Manifests app = parse(deployment("""
          resourceClaims:
          - {name: gpu, resourceClaimTemplateName: one-gpu}
          containers:
          - name: server
            image: ghcr.io/acme/llm:1.0.0
            resources:
              claims: [{name: gpu}]
          """));
      List<Resource> all = new java.util.ArrayList<>(templates.resources());
      all.addAll(app.resources());

      // then
      assertThat(GpuContainers.in(app, DEFAULTS).of(app.workloads().get(0))).isEmpty();
      assertThat(GpuContainers.across(all, DEFAULTS).of(app.workloads().get(0))).hasSize(1);
    }
  }

  @Nested
  class Vendors {

    @Test
    void amd_gpu_and_rocm_images_are_amd_while_any_nvidia_evidence_makes_it_nvidia() {
      // given
      Manifests m = parse(deployment("""
          containers:
          - name: rocm
            image: rocm/pytorch:rocm6.2.3_ubuntu22.04_py3.10_pytorch_release_2.3.0
          - name: amd
            image: ghcr.io/acme/llm:1.0.0
            resources: {limits: {amd.com/gpu: 1}}
          - name: nvidia
            image: nvidia/cuda:12.4.1-base-ubuntu22.04
          """));
      GpuContainers gpu = GpuContainers.in(m, DEFAULTS);
      Workload w = m.workloads().get(0);
      List<Container> c = w.template().containers();

      // then
      assertThat(c).allMatch(x -> gpu.isGpu(w, x));
      assertThat(gpu.isAmd(w, c.get(0))).isTrue();
      assertThat(gpu.isAmd(w, c.get(1))).isTrue();
      assertThat(gpu.isAmd(w, c.get(2))).isFalse();
      assertThat(gpu.gpuResourceFor(w, c.get(0))).isEqualTo("amd.com/gpu");
      assertThat(gpu.gpuResourceFor(w, c.get(2))).isEqualTo("nvidia.com/gpu");
    }

    @Test
    void amd_gpus_count_in_a_pods_gpus() {
      // given
      Manifests m = parse(deployment("""
          containers:
          - name: s
            image: rocm/vllm:rocm6.2_mi300_ubuntu20.04_py3.9_vllm_0.6.4
            resources: {limits: {amd.com/gpu: 8}}
          """));

      // then
      assertThat(m.workloads().get(0).template().gpusPerPod()).isEqualTo(8);
    }
  }
}

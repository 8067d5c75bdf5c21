package io.gpukit.core.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.policy.RuleScope;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentRulesTests {

  private static List<Violation> check(String yaml) {
    return PolicyEngine.withDefaults().evaluate(SourceFile.of(Path.of("k8s.yaml"), yaml), K8sKind.INSTANCE)
        .violations();
  }

  private static List<Violation> of(List<Violation> violations, Rule<Manifests> rule) {
    return violations.stream().filter(v -> v.ruleId().equals(rule.id())).toList();
  }

  @Nested
  class Scopes {

    @Test
    void gpu_rules_judge_gpu_artifacts_only_and_hygiene_rules_judge_every_container() {
      // when
      Map<String, RuleScope> scopes = DeploymentRules.ALL.stream()
          .collect(Collectors.toMap(Rule::id, r -> r.descriptor().scope()));

      // then
      assertThat(scopes).containsOnly(
          Map.entry("k8s/rollout-can-progress", RuleScope.ALL),
          Map.entry("k8s/gpu-rollout-keeps-capacity", RuleScope.GPU),
          Map.entry("k8s/gpu-rolling-update", RuleScope.GPU),
          Map.entry("k8s/gpu-limits", RuleScope.GPU),
          Map.entry("k8s/gpu-probes", RuleScope.GPU),
          Map.entry("k8s/liveness-more-tolerant", RuleScope.ALL),
          Map.entry("k8s/gpu-probe-timeout", RuleScope.GPU),
          Map.entry("k8s/image-tag", RuleScope.ALL),
          Map.entry("k8s/revision-history", RuleScope.ALL),
          Map.entry("k8s/rollout-strategy-explicit", RuleScope.ALL),
          Map.entry("k8s/gpu-rollout-needs-double", RuleScope.GPU),
          Map.entry("k8s/gpu-probe-exercises-gpu", RuleScope.GPU),
          Map.entry("k8s/gpu-scheduling", RuleScope.GPU),
          Map.entry("k8s/run-as-non-root", RuleScope.ALL),
          Map.entry("k8s/gpu-job-deadline", RuleScope.GPU),
          Map.entry("k8s/helm-template-skipped", RuleScope.ALL));
    }
  }

  @Nested
  class Hints {

    private static final String POD = """
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          securityContext: {runAsNonRoot: true}
          tolerations: [{key: %s, operator: Exists}]
          containers:
          - name: s
            image: %s
            resources: {limits: {%s: 1}}
        """;

    @Test
    void an_amd_container_is_pointed_at_its_own_rocm_check_because_gpukit_probe_needs_nvidia() {
      // when
      List<Violation> v = of(check(POD.formatted("amd.com/gpu", "rocm/vllm:rocm6.2_mi300_vllm_0.6.4", "amd.com/gpu")),
          DeploymentRules.GPU_PROBES);

      // then
      assertThat(v).hasSize(2).allSatisfy(x -> assertThat(x.hint())
          .contains("ROCm check", "gpukit-probe needs an NVIDIA GPU", "gpu.probe-commands")
          .doesNotContain("gpukit-probe.jar"));
    }

    @Test
    void an_nvidia_container_is_shown_the_gpukit_probe() {
      // when
      List<Violation> v = of(check(POD.formatted("nvidia.com/gpu", "nvidia/cuda:12.4.1-base-ubuntu22.04", "nvidia.com/gpu")),
          DeploymentRules.GPU_PROBES);

      // then
      assertThat(v).hasSize(2).allSatisfy(x -> assertThat(x.hint()).contains("gpukit-probe.jar"));
    }

    @Test
    void the_limits_hint_names_the_resource_of_the_vendor() {
      // given
      String yaml = """
          apiVersion: v1
          kind: Pod
          metadata: {name: p}
          spec:
            containers:
            - {name: s, image: "rocm/pytorch:rocm6.2.3_ubuntu22.04_py3.10_pytorch_release_2.3.0"}
          """;

      // when
      List<Violation> v = of(check(yaml), DeploymentRules.GPU_LIMITS);

      // then
      assertThat(v).singleElement().satisfies(x -> {
        assertThat(x.message()).endsWith("but sets no amd.com/gpu limit");
        assertThat(x.hint()).isEqualTo("add resources.limits: {amd.com/gpu: 1}");
      });
      assertThat(of(check(yaml), DeploymentRules.GPU_SCHEDULING)).singleElement()
          .satisfies(x -> assertThat(x.hint()).contains("toleration for amd.com/gpu"));
    }

    @Test
    void a_mig_slice_is_the_gpu_limit_and_the_limits_rule_speaks_of_it() {
      // given
      String yaml = """
          apiVersion: v1
          kind: Pod
          metadata: {name: p}
          spec:
            restartPolicy: Never
            securityContext: {runAsNonRoot: true}
            tolerations: [{key: nvidia.com/gpu, operator: Exists}]
            containers:
            - name: s
              image: nvidia/cuda:12.4.1-base-ubuntu22.04
              resources:
                limits: {nvidia.com/mig-1g.10gb: 1}
                requests: {nvidia.com/mig-1g.10gb: 2}
          """;

      // then
      assertThat(check(yaml)).extracting(Violation::message).containsExactly(
          "Pod/p container 's' requests nvidia.com/mig-1g.10gb '2' but its limit is '1'");
    }

    @Test
    void the_deadline_hint_says_where_a_cron_job_sets_it() {
      // given
      String yaml = """
          apiVersion: batch/v1
          kind: CronJob
          metadata: {name: eval}
          spec:
            schedule: "0 2 * * *"
            jobTemplate:
              spec:
                template:
                  spec:
                    restartPolicy: Never
                    securityContext: {runAsNonRoot: true}
                    tolerations: [{key: nvidia.com/gpu, operator: Exists}]
                    containers:
                    - {name: e, image: "ghcr.io/acme/eval:1.0.0", resources: {limits: {nvidia.com/gpu: 1}}}
          """;

      // then
      assertThat(check(yaml)).singleElement().satisfies(x -> {
        assertThat(x.ruleId()).isEqualTo("k8s/gpu-job-deadline");
        assertThat(x.hint()).startsWith("set spec.jobTemplate.spec.activeDeadlineSeconds");
      });
    }
  }

  @Nested
  class Image_tags {

    @Test
    void an_image_the_kustomization_beside_the_file_retags_is_a_placeholder(@TempDir Path folder) throws IOException {
      // given: kubebuilder's layout
      Path manager = folder.resolve("config/manager/manager.yaml");
      Files.createDirectories(manager.getParent());
      Files.writeString(manager, """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: controller-manager}
          spec:
            strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
            template:
              spec:
                securityContext: {runAsNonRoot: true}
                containers:
                - {name: manager, image: "controller:latest"}
                - {name: proxy, image: "gcr.io/kubebuilder/kube-rbac-proxy:latest"}
          """);
      Files.writeString(manager.resolveSibling("kustomization.yaml"), """
          resources: [manager.yaml]
          images:
          - name: controller
            newName: ghcr.io/acme/gpu-operator
            newTag: v0.4.2
          """);

      // when
      List<Violation> v = PolicyEngine.withDefaults().evaluate(manager, K8sKind.INSTANCE).violations();

      // then
      assertThat(v).extracting(Violation::message).containsExactly(
          "Deployment/controller-manager container 'proxy' runs 'gcr.io/kubebuilder/kube-rbac-proxy:latest', which"
              + " floats: the tag 'latest' moves");
    }
  }

  @Nested
  class Batch_work {

    @Test
    void a_job_is_not_asked_for_probes_but_still_for_limits_a_pinned_image_and_a_non_root_user() {
      // given
      String yaml = """
          apiVersion: batch/v1
          kind: Job
          metadata: {name: train}
          spec:
            activeDeadlineSeconds: 3600
            template:
              spec:
                restartPolicy: Never
                tolerations: [{key: nvidia.com/gpu, operator: Exists}]
                containers:
                - name: t
                  image: nvcr.io/nvidia/pytorch:latest
                  readinessProbe: {httpGet: {path: /, port: 80}}
                  livenessProbe: {httpGet: {path: /, port: 80}}
          """;

      // when
      List<String> ids = check(yaml).stream().map(Violation::ruleId).toList();

      // then
      assertThat(ids).containsExactlyInAnyOrder("k8s/gpu-limits", "k8s/image-tag", "k8s/run-as-non-root");
    }

    @Test
    void a_run_once_pod_is_batch_work_and_a_pod_that_restarts_serves() {
      // given
      String pod = """
          apiVersion: v1
          kind: Pod
          metadata: {name: p}
          spec:
            %s
            securityContext: {runAsNonRoot: true}
            tolerations: [{key: nvidia.com/gpu, operator: Exists}]
            containers:
            - {name: s, image: "nvidia/cuda:12.4.1-base-ubuntu22.04", resources: {limits: {nvidia.com/gpu: 1}}}
          """;

      // then
      assertThat(check(pod.formatted("restartPolicy: OnFailure"))).isEmpty();
      assertThat(check(pod.formatted("restartPolicy: Never"))).isEmpty();
      assertThat(check(pod.formatted("restartPolicy: Always"))).extracting(Violation::ruleId)
          .containsExactly("k8s/gpu-probes", "k8s/gpu-probes");
    }
  }

  @Nested
  class Bare_pods_and_replica_sets {

    @Test
    void a_gpu_pod_on_a_floating_cuda_image_without_probes_is_no_longer_clean() {
      // given
      String yaml = """
          apiVersion: v1
          kind: Pod
          metadata: {name: gpu-pod}
          spec:
            containers:
            - name: cuda
              image: nvidia/cuda:latest
              resources: {limits: {nvidia.com/gpu: 1}}
          """;

      // when
      List<String> ids = check(yaml).stream().map(Violation::ruleId).toList();

      // then
      assertThat(ids).contains("k8s/gpu-probes", "k8s/image-tag", "k8s/run-as-non-root", "k8s/gpu-scheduling")
          .doesNotContain("k8s/gpu-rolling-update", "k8s/rollout-strategy-explicit", "k8s/gpu-rollout-keeps-capacity");
    }

    @Test
    void a_replica_set_has_no_rollout_rules() {
      // given
      String yaml = """
          apiVersion: apps/v1
          kind: ReplicaSet
          metadata: {name: rs}
          spec:
            replicas: 4
            template:
              spec:
                securityContext: {runAsNonRoot: true}
                tolerations: [{key: nvidia.com/gpu, operator: Exists}]
                containers:
                - name: s
                  image: ghcr.io/acme/llm:1.0.0
                  resources: {limits: {nvidia.com/gpu: 1}}
                  readinessProbe: {exec: {command: [python3, /app/smoke_test.py]}}
                  livenessProbe: {exec: {command: [python3, /app/smoke_test.py]}, failureThreshold: 6}
          """;

      // then
      assertThat(check(yaml)).isEmpty();
    }
  }
}

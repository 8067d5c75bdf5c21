package io.gpukit.core.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.GpuEvidence;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CustomResourceTemplatesTests {

  private static Manifests parse(String yaml) {
    return Manifests.parse(Path.of("crd.yaml"), yaml);
  }

  private static final String POD = """
        spec:
          containers:
          - name: c
            image: ghcr.io/acme/app:1.0.0
            resources:
              limits:
                nvidia.com/gpu: 1
      """;

  @Nested
  class Dispatch_by_api_group {

    @Test
    void a_volcano_job_is_no_batch_job_and_its_tasks_are_read() {
      // given
      String yaml = """
          apiVersion: batch.volcano.sh/v1alpha1
          kind: Job
          metadata: {name: sweep}
          spec:
            tasks:
            - name: worker
              template:
                spec:
                  containers:
                  - name: nccl
                    image: ghcr.io/acme/nccl:1.0.0
          """;

      // when
      Manifests m = parse(yaml);

      // then
      Workload w = m.workloads().get(0);
      assertThat(m.workloads()).hasSize(1);
      assertThat(w.displayName()).isEqualTo("Job/sweep task 'worker'");
      assertThat(w.isBatch()).isTrue();
      assertThat(w.deadlineField()).isEmpty();
      assertThat(w.template().containers()).extracting(Container::name).containsExactly("nccl");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
      "jobs.example.com/v1, Job",
      "example.com/v1, Deployment",
      "example.com/v1, Pod",
      "trainer.kubeflow.org/v1alpha1, TrainJob",
      "kubeflow.org/v1, Notebook",
      "ray.io/v1, RayJob",
    })
    void an_unknown_kind_or_a_custom_resource_without_a_pod_template_stays_an_other_resource(
        String apiVersion, String kind) {
      // given
      String yaml = "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: x}\nspec:\n  target: docs\n";

      // when
      Manifests m = parse(yaml);

      // then
      assertThat(m.workloads()).isEmpty();
      assertThat(m.resources()).singleElement().isInstanceOf(OtherResource.class);
      assertThat(m.resources().get(0).kind()).isEqualTo(kind);
    }

    @Test
    void built_in_kinds_keep_their_groups_including_the_old_extensions_group() {
      // given
      String yaml = """
          apiVersion: extensions/v1beta1
          kind: Deployment
          metadata: {name: old}
          spec:
            template:
              spec:
                containers: [{name: c, image: nginx:1.27}]
          ---
          apiVersion: batch/v1
          kind: Job
          metadata: {name: j}
          spec:
            template:
              spec:
                restartPolicy: Never
                containers: [{name: c, image: busybox:1.36}]
          """;

      // when
      Manifests m = parse(yaml);

      // then
      assertThat(m.deployments()).extracting(Workload::displayName).containsExactly("Deployment/old");
      assertThat(m.workloads().get(1).isBatch()).isTrue();
      assertThat(m.workloads().get(1).deadlineField()).contains("spec");
    }
  }

  @Nested
  class Ray {

    @Test
    void every_head_and_worker_group_of_a_ray_service_is_a_serving_workload_probed_by_kuberay() {
      // given
      String yaml = """
          apiVersion: ray.io/v1
          kind: RayService
          metadata: {name: llm}
          spec:
            rayClusterConfig:
              headGroupSpec:
                template:
                  spec:
                    containers: [{name: ray-head, image: rayproject/ray:2.38.0}]
              workerGroupSpecs:
              - groupName: gpu-group
                template:
                  spec:
                    containers:
                    - {name: ray-worker, image: rayproject/ray:2.38.0-gpu}
                    - {name: sidecar, image: ghcr.io/acme/log:1.0.0}
          """;

      // when
      Manifests m = parse(yaml);

      // then
      assertThat(m.workloads()).extracting(Workload::displayName)
          .containsExactly("RayService/llm head", "RayService/llm worker 'gpu-group'");
      assertThat(m.workloads()).noneMatch(Workload::runsToCompletion);
      assertThat(m.workloads()).allMatch(w -> w.resourceName().equals("RayService/llm"));
      Workload worker = m.workloads().get(1);
      assertThat(worker.probedByOperator(worker.template().containers().get(0))).isTrue();
      assertThat(worker.probedByOperator(worker.template().containers().get(1))).isFalse();
    }

    @Test
    void a_ray_jobs_cluster_runs_to_completion_with_the_jobs_deadline() {
      // given
      String yaml = """
          apiVersion: ray.io/v1
          kind: RayJob
          metadata: {name: train}
          spec:
            activeDeadlineSeconds: 3600
            rayClusterSpec:
              headGroupSpec:
                template:
                  spec:
                    containers: [{name: ray-head, image: rayproject/ray:2.38.0}]
          """;

      // when
      Workload head = parse(yaml).workloads().get(0);

      // then
      assertThat(head.displayName()).isEqualTo("RayJob/train head");
      assertThat(head.runsToCompletion()).isTrue();
      assertThat(head.deadlineSeconds()).contains(3600);
      assertThat(head.deadlineField()).contains("spec");
    }

    @Test
    void the_gpu_evidence_names_the_group() {
      // given
      Manifests m = parse("""
          apiVersion: ray.io/v1
          kind: RayCluster
          metadata: {name: r}
          spec:
            workerGroupSpecs:
            - groupName: a100
              template:
          """ + POD.indent(6));

      // when
      List<GpuEvidence> evidence = K8sKind.INSTANCE.gpuEvidence(m, GpuKitConfig.defaults());

      // then
      assertThat(evidence).extracting(GpuEvidence::render).containsExactly(
          "crd.yaml:14:17: RayCluster/r worker 'a100' container 'c' is GPU: it asks for nvidia.com/gpu");
    }
  }

  @Nested
  class Other_operators {

    @Test
    void a_leader_worker_set_has_a_leader_and_a_worker_template_both_serving() {
      // given
      String yaml = """
          apiVersion: leaderworkerset.x-k8s.io/v1
          kind: LeaderWorkerSet
          metadata: {name: vllm}
          spec:
            leaderWorkerTemplate:
              leaderTemplate:
          """ + POD.indent(4) + """
              workerTemplate:
          """ + POD.indent(4);

      // when
      Manifests m = parse(yaml);

      // then
      assertThat(m.workloads()).extracting(Workload::displayName)
          .containsExactly("LeaderWorkerSet/vllm leader", "LeaderWorkerSet/vllm worker");
      assertThat(m.workloads()).allMatch(w -> w.role() == Workload.Role.SERVING && !w.isDeployment());
      assertThat(m.workloads()).allMatch(w -> w.operatorProbedContainer().isEmpty());
    }

    @Test
    void kubeflow_replica_types_are_batch_with_the_run_policys_deadline() {
      // given
      String yaml = """
          apiVersion: kubeflow.org/v1
          kind: PyTorchJob
          metadata: {name: sft}
          spec:
            runPolicy: {activeDeadlineSeconds: 7200}
            pytorchReplicaSpecs:
              Master:
                template:
          """ + POD.indent(6) + """
              Worker:
                template:
          """ + POD.indent(6);

      // when
      Manifests m = parse(yaml);

      // then
      assertThat(m.workloads()).extracting(Workload::displayName)
          .containsExactly("PyTorchJob/sft replica 'Master'", "PyTorchJob/sft replica 'Worker'");
      assertThat(m.workloads()).allMatch(w -> w.isBatch() && w.deadlineSeconds().orElse(0) == 7200);
      assertThat(m.workloads().get(0).deadlineField()).contains("spec.runPolicy");
    }

    @Test
    void a_kserve_predictor_with_containers_is_a_pod_spec_and_one_with_a_model_is_completed_by_its_runtime() {
      // given
      String yaml = """
          apiVersion: serving.kserve.io/v1beta1
          kind: InferenceService
          metadata: {name: custom}
          spec:
            predictor:
              containers: [{name: kserve-container, image: ghcr.io/acme/llm:1.0.0}]
          ---
          apiVersion: serving.kserve.io/v1beta1
          kind: InferenceService
          metadata: {name: formatted}
          spec:
            predictor:
              model:
                modelFormat: {name: huggingface}
                runtime: vllm
                resources: {limits: {nvidia.com/gpu: 1}}
          ---
          apiVersion: serving.kserve.io/v1alpha1
          kind: ServingRuntime
          metadata: {name: vllm}
          spec:
            supportedModelFormats: [{name: huggingface, autoSelect: true}]
            containers: [{name: kserve-container, image: "vllm/vllm-openai:v0.6.4"}]
          """;

      // when
      Manifests m = parse(yaml);
      GpuContainers gpu = GpuContainers.in(m, GpuKitConfig.defaults());
      Workload predictor = m.workloads().get(1);
      Workload runtime = m.workloads().get(2);

      // then
      assertThat(m.workloads()).extracting(Workload::displayName).containsExactly(
          "InferenceService/custom predictor", "InferenceService/formatted predictor", "ServingRuntime/vllm");
      assertThat(predictor.isPartial()).isTrue();
      assertThat(predictor.runtimeRef()).hasValueSatisfying(ref -> assertThat(ref.describe()).isEqualTo("'vllm'"));
      assertThat(gpu.runtimeOf(predictor)).contains(runtime);
      assertThat(runtime.runtime()).isTrue();
      assertThat(gpu.why(runtime, runtime.template().containers().get(0)))
          .isEqualTo("InferenceService/formatted predictor asks for nvidia.com/gpu for it");
    }

    @Test
    void a_train_job_takes_its_pod_from_its_training_runtime() {
      // given
      String yaml = """
          apiVersion: trainer.kubeflow.org/v1alpha1
          kind: ClusterTrainingRuntime
          metadata: {name: torch-distributed}
          spec:
            mlPolicy: {numNodes: 1, torch: {numProcPerNode: auto}}
            template:
              spec:
                replicatedJobs:
                - name: node
                  template:
                    spec:
                      template:
                        spec:
                          containers:
                          - {name: node, image: "pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime"}
          ---
          apiVersion: trainer.kubeflow.org/v1alpha1
          kind: TrainJob
          metadata: {name: sft}
          spec:
            runtimeRef: {name: torch-distributed}
            trainer:
              numNodes: 2
              resourcesPerNode: {limits: {nvidia.com/gpu: 8}}
          """;

      // when
      Manifests m = parse(yaml);
      GpuContainers gpu = GpuContainers.in(m, GpuKitConfig.defaults());

      // then
      assertThat(m.workloads()).extracting(Workload::displayName)
          .containsExactly("ClusterTrainingRuntime/torch-distributed job 'node'", "TrainJob/sft trainer");
      Workload job = m.workloads().get(1);
      assertThat(job.isBatch()).isTrue();
      assertThat(gpu.runtimeOf(job)).contains(m.workloads().get(0));
      assertThat(job.template().containers().get(0).resources().gpus()).isEqualTo(8);
    }

    @Test
    void an_argo_rollout_is_a_serving_workload_with_its_own_strategy_but_no_deployment() {
      // given
      String yaml = """
          apiVersion: argoproj.io/v1alpha1
          kind: Rollout
          metadata: {name: web}
          spec:
            strategy: {canary: {steps: [{setWeight: 50}]}}
            template:
          """ + POD.indent(2);

      // when
      Manifests m = parse(yaml);

      // then
      assertThat(m.workloads()).extracting(Workload::displayName).containsExactly("Rollout/web");
      assertThat(m.deployments()).isEmpty();
      assertThat(m.rollingWorkloads()).extracting(Workload::displayName).containsExactly("Rollout/web");
      assertThat(m.workloads().get(0).strategy()).hasValueSatisfying(
          s -> assertThat(s.type()).isEqualTo(RolloutStrategy.Type.CANARY));
    }
  }

  @Nested
  class Rules_by_role {

    private static List<Violation> check(String yaml) {
      return PolicyEngine.withDefaults().evaluate(SourceFile.of(Path.of("crd.yaml"), yaml), K8sKind.INSTANCE)
          .violations();
    }

    private static final String GPU_POD = """
          spec:
            securityContext: {runAsNonRoot: true}
            tolerations: [{key: nvidia.com/gpu, operator: Exists}]
            containers:
            - {name: c, image: "ghcr.io/acme/train:1.0.0", resources: {limits: {nvidia.com/gpu: 8}}}
        """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
      "RayJob, ray.io/v1 | rayClusterSpec: {headGroupSpec: {template: TEMPLATE}} | set spec.activeDeadlineSeconds",
      "PyTorchJob, kubeflow.org/v1 | pytorchReplicaSpecs: {Worker: {template: TEMPLATE}} | set spec.runPolicy.activeDeadlineSeconds",
    })
    void batch_work_with_a_deadline_field_is_asked_for_it_where_that_field_is(String kindAndVersion, String spec,
        String hint) {
      // given
      String[] kv = kindAndVersion.split(", ");
      String template = "{spec: {securityContext: {runAsNonRoot: true}, tolerations: [{key: nvidia.com/gpu,"
          + " operator: Exists}], containers: [{name: c, image: 'ghcr.io/acme/train:1.0.0',"
          + " resources: {limits: {nvidia.com/gpu: 8}}}]}}";
      String yaml = "apiVersion: " + kv[1] + "\nkind: " + kv[0] + "\nmetadata: {name: t}\nspec:\n  "
          + spec.replace("TEMPLATE", template) + "\n";

      // when
      List<Violation> violations = check(yaml);

      // then
      assertThat(violations).singleElement().satisfies(v -> {
        assertThat(v.ruleId()).isEqualTo("k8s/gpu-job-deadline");
        assertThat(v.message()).startsWith(kv[0] + "/t uses a GPU");
        assertThat(v.hint()).startsWith(hint);
      });
    }

    @Test
    void a_volcano_job_without_a_deadline_field_gets_no_deadline_and_no_probe_findings() {
      // given
      String yaml = """
          apiVersion: batch.volcano.sh/v1alpha1
          kind: Job
          metadata: {name: v}
          spec:
            tasks:
            - name: w
              template:
          """ + GPU_POD.indent(4);

      // when
      List<Violation> violations = check(yaml);

      // then
      assertThat(violations).isEmpty();
    }

    @Test
    void a_ray_container_without_probes_is_left_to_kuberay_but_a_gpu_sidecar_is_not() {
      // given
      String yaml = """
          apiVersion: ray.io/v1
          kind: RayService
          metadata: {name: llm}
          spec:
            rayClusterConfig:
              workerGroupSpecs:
              - groupName: g
                template:
                  spec:
                    securityContext: {runAsNonRoot: true}
                    tolerations: [{key: nvidia.com/gpu, operator: Exists}]
                    containers:
                    - {name: ray-worker, image: "rayproject/ray:2.38.0-gpu", resources: {limits: {nvidia.com/gpu: 1}}}
                    - {name: triton, image: "nvcr.io/nvidia/tritonserver:24.08-py3", resources: {limits: {nvidia.com/gpu: 1}}}
          """;

      // when
      List<Violation> violations = check(yaml);

      // then
      assertThat(violations).extracting(Violation::ruleId).containsOnly("k8s/gpu-probes");
      assertThat(violations).extracting(Violation::message).allMatch(m -> m.contains("container 'triton'")).hasSize(2);
    }
  }
}

package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The pod templates of custom resources that run pods, found by API group and kind; each template
 * becomes a {@link Workload} with its part and role.
 *
 * <table>
 *   <caption>Custom resources read</caption>
 *   <tr><th>group</th><th>kind</th><th>templates</th><th>role</th><th>deadline</th></tr>
 *   <tr><td>ray.io</td><td>RayCluster</td><td>{@code spec.headGroupSpec}, {@code spec.workerGroupSpecs[]}</td><td>serving</td><td></td></tr>
 *   <tr><td>ray.io</td><td>RayService</td><td>the same under {@code spec.rayClusterConfig}</td><td>serving</td><td></td></tr>
 *   <tr><td>ray.io</td><td>RayJob</td><td>the same under {@code spec.rayClusterSpec}</td><td>batch</td><td>{@code spec.activeDeadlineSeconds}</td></tr>
 *   <tr><td>leaderworkerset.x-k8s.io</td><td>LeaderWorkerSet</td><td>{@code spec.leaderWorkerTemplate.leaderTemplate}, {@code workerTemplate}</td><td>serving</td><td></td></tr>
 *   <tr><td>kubeflow.org</td><td>PyTorchJob, MPIJob, TFJob, … (a kind ending in Job)</td><td>{@code spec.*ReplicaSpecs.<type>.template}</td><td>batch</td><td>{@code spec.runPolicy.activeDeadlineSeconds}</td></tr>
 *   <tr><td>batch.volcano.sh</td><td>Job</td><td>{@code spec.tasks[].template}</td><td>batch</td><td>none</td></tr>
 *   <tr><td>serving.kserve.io</td><td>InferenceService</td><td>{@code spec.predictor} (also transformer, explainer) when it lists containers; else the predictor's {@code model} (or a framework key: {@code pytorch}, {@code huggingface}…) as a partial pod completed by the runtime it names</td><td>serving</td><td></td></tr>
 *   <tr><td>serving.kserve.io</td><td>ServingRuntime, ClusterServingRuntime</td><td>{@code spec} (containers, placement) as a runtime: its users set the GPU count</td><td>serving</td><td></td></tr>
 *   <tr><td>trainer.kubeflow.org</td><td>TrainJob</td><td>{@code spec.trainer} (image, {@code resourcesPerNode}) as a partial pod completed by its {@code runtimeRef}</td><td>batch</td><td>none</td></tr>
 *   <tr><td>trainer.kubeflow.org</td><td>TrainingRuntime, ClusterTrainingRuntime</td><td>{@code spec.template.spec.replicatedJobs[].template.spec.template} as runtimes</td><td>batch</td><td>none</td></tr>
 *   <tr><td>argoproj.io</td><td>Rollout</td><td>{@code spec.template}, with {@code replicas}, {@code revisionHistoryLimit} and the {@code canary} or {@code blueGreen} strategy</td><td>serving</td><td></td></tr>
 * </table>
 *
 * <p>KubeRay gives the Ray container (the first of a Ray pod) readiness and liveness probes when the
 * manifest writes none, so a Ray container without probes has them. A KServe model and a Kubeflow
 * TrainJob write only their part of a pod ({@link Workload#runtimeRef()}); the runtime they name
 * is found by kind and name among the manifests read together ({@link
 * GpuContainers#runtimeOf(Workload)}). A TrainJob without a {@code runtimeRef}, and any other
 * kind, stays an {@link OtherResource}.
 */
final class CustomTemplates {

  private CustomTemplates() {}

  /** The keys of an InferenceService predictor that name a model: the new {@code model}, then the framework keys. */
  private static final List<String> MODEL_KEYS = List.of("model", "huggingface", "pytorch", "tensorflow", "sklearn",
      "xgboost", "onnx", "triton", "lightgbm", "paddle", "pmml");

  /** A document's identity, as every workload of it repeats. */
  record Identity(String apiVersion, String kind, String name, Optional<String> namespace, SourceLocation location) {}

  /** The workloads of a custom resource's pod templates, in file order; none for a kind not read. */
  static List<Resource> read(ManifestParser.DocumentReader r, String group, MappingNode top, Identity id) {
    Optional<MappingNode> spec = r.optMapping(top, "spec");
    if (spec.isEmpty()) {
      return List.of();
    }
    Reading reading = new Reading(r, id);
    MappingNode s = spec.get();
    switch (group + " " + id.kind()) {
      case "ray.io RayCluster" -> reading.rayCluster(Optional.of(s), Workload.Role.SERVING);
      case "ray.io RayService" -> reading.rayCluster(r.optMapping(s, "rayClusterConfig"), Workload.Role.SERVING);
      case "ray.io RayJob" -> {
        reading.deadline(r.optInt(s, "activeDeadlineSeconds"), "spec");
        reading.rayCluster(r.optMapping(s, "rayClusterSpec"), Workload.Role.BATCH);
      }
      case "leaderworkerset.x-k8s.io LeaderWorkerSet" -> r.optMapping(s, "leaderWorkerTemplate").ifPresent(lwt -> {
        r.optMapping(lwt, "leaderTemplate").ifPresent(t -> reading.template("leader", t, Workload.Role.SERVING));
        r.optMapping(lwt, "workerTemplate").ifPresent(t -> reading.template("worker", t, Workload.Role.SERVING));
      });
      case "batch.volcano.sh Job" -> {
        for (Node item : r.optSequence(s, "tasks")) {
          MappingNode task = r.mapping(item, "a task");
          String name = r.optString(task, "name").orElse("");
          r.optMapping(task, "template").ifPresent(t -> reading.template("task '" + name + "'", t, Workload.Role.BATCH));
        }
      }
      case "serving.kserve.io InferenceService" -> {
        for (String component : List.of("predictor", "transformer", "explainer")) {
          r.optMapping(s, component).filter(c -> r.value(c, "containers").isPresent())
              .ifPresent(c -> reading.podSpec(component, c, Workload.Role.SERVING));
        }
        r.optMapping(s, "predictor").filter(p -> r.value(p, "containers").isEmpty()).ifPresent(reading::model);
      }
      case "serving.kserve.io ServingRuntime", "serving.kserve.io ClusterServingRuntime" ->
          reading.runtime("", r.podSpec(s), Workload.Role.SERVING);
      case "trainer.kubeflow.org TrainJob" -> reading.trainJob(s);
      case "trainer.kubeflow.org TrainingRuntime", "trainer.kubeflow.org ClusterTrainingRuntime" ->
          r.optMapping(s, "template").flatMap(t -> r.optMapping(t, "spec")).ifPresent(js -> {
            for (Node item : r.optSequence(js, "replicatedJobs")) {
              MappingNode job = r.mapping(item, "a replicated job");
              String name = r.optString(job, "name").orElse("");
              r.optMapping(job, "template").flatMap(t -> r.optMapping(t, "spec")).flatMap(j -> r.optMapping(j, "template"))
                  .ifPresent(t -> reading.runtime("job '" + name + "'", r.podTemplate(t), Workload.Role.BATCH));
            }
          });
      case "argoproj.io Rollout" -> r.optMapping(s, "template").ifPresent(t -> reading.rollout(s, t));
      default -> {
        if (group.equals("kubeflow.org") && id.kind().endsWith("Job")) {
          reading.deadline(r.optMapping(s, "runPolicy").flatMap(p -> r.optInt(p, "activeDeadlineSeconds")),
              "spec.runPolicy");
          for (NodeTuple t : s.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().endsWith("ReplicaSpecs")) {
              for (NodeTuple replica : r.mapping(t.getValueNode(), k.getValue()).getValue()) {
                String type = r.scalarOrEmpty(replica.getKeyNode(), "a replica type");
                r.optMapping(r.mapping(replica.getValueNode(), "a replica spec"), "template")
                    .ifPresent(tpl -> reading.template("replica '" + type + "'", tpl, Workload.Role.BATCH));
              }
            }
          }
        }
      }
    }
    return reading.out;
  }

  /** Collects the workloads of one document. */
  private static final class Reading {
    private final ManifestParser.DocumentReader r;
    private final Identity id;
    private final List<Resource> out = new ArrayList<>();
    private Optional<Integer> deadline = Optional.empty();
    private Optional<String> deadlineField = Optional.empty();
    private boolean ray;

    Reading(ManifestParser.DocumentReader r, Identity id) {
      this.r = r;
      this.id = id;
    }

    void deadline(Optional<Integer> seconds, String field) {
      deadline = seconds;
      deadlineField = Optional.of(field);
    }

    /** A Ray cluster spec: the head group, then each worker group. */
    void rayCluster(Optional<MappingNode> cluster, Workload.Role role) {
      if (cluster.isEmpty()) {
        return; // a RayJob that selects a running cluster, a RayService without its cluster
      }
      ray = true;
      r.optMapping(cluster.get(), "headGroupSpec").flatMap(h -> r.optMapping(h, "template"))
          .ifPresent(t -> template("head", t, role));
      for (Node item : r.optSequence(cluster.get(), "workerGroupSpecs")) {
        MappingNode group = r.mapping(item, "a worker group");
        String name = r.optString(group, "groupName").orElse("");
        r.optMapping(group, "template").ifPresent(t -> template("worker '" + name + "'", t, role));
      }
    }

    void template(String part, MappingNode template, Workload.Role role) {
      out.add(workload(part, r.podTemplate(template), role));
    }

    /** An Argo Rollout: its template, with the replicas, strategy and history a Deployment has. */
    void rollout(MappingNode spec, MappingNode template) {
      PodTemplate pod = r.podTemplate(template);
      out.add(new Workload(id.apiVersion(), id.kind(), id.name(), id.namespace(), r.optInt(spec, "replicas"),
          r.optMapping(spec, "strategy").flatMap(st -> ArgoStrategies.read(r, st)),
          r.optInt(spec, "revisionHistoryLimit"), pod, id.location(), r.keyAt(spec, "replicas"),
          r.keyAt(spec, "revisionHistoryLimit"), Optional.empty(), "", Workload.Role.SERVING, Optional.empty(),
          Optional.empty()));
    }

    /** A runtime's pod: its users (an InferenceService, a TrainJob) set its resources and placement. */
    void runtime(String part, PodTemplate pod, Workload.Role role) {
      out.add(new Workload(id.apiVersion(), id.kind(), id.name(), id.namespace(), Optional.empty(), Optional.empty(),
          Optional.empty(), pod, id.location(), Optional.empty(), Optional.empty(), Optional.empty(), part, role,
          Optional.empty(), Optional.empty(), Optional.empty(), true));
    }

    /**
     * An InferenceService predictor that names a model ({@code model}, or a framework key such as
     * {@code pytorch} or {@code huggingface}) instead of containers: its container is the runtime's,
     * with the model's resources.
     */
    void model(MappingNode predictor) {
      for (String key : MODEL_KEYS) {
        Optional<MappingNode> model = r.optMapping(predictor, key);
        if (model.isEmpty()) {
          continue;
        }
        MappingNode m = model.get();
        Optional<String> format = key.equals("model")
            ? r.optMapping(m, "modelFormat").flatMap(f -> r.optString(f, "name")) : Optional.of(key);
        RuntimeRef ref = new RuntimeRef(List.of("ServingRuntime", "ClusterServingRuntime"), r.optString(m, "runtime"),
            format, r.keyAt(m, "runtime").orElse(r.keyAt(predictor, key).orElse(r.at(m))));
        PodTemplate pod = r.podSpec(predictor).withContainers(List.of(r.container(m, "kserve-container")));
        partial("predictor", pod, ref, Workload.Role.SERVING);
        return;
      }
    }

    /** A Kubeflow TrainJob: its trainer's image and resources per node, completed by its runtime. */
    void trainJob(MappingNode spec) {
      Optional<MappingNode> runtimeRef = r.optMapping(spec, "runtimeRef");
      Optional<MappingNode> trainer = r.optMapping(spec, "trainer");
      if (runtimeRef.isEmpty()) {
        return;
      }
      MappingNode ref = runtimeRef.get();
      String kind = r.optString(ref, "kind").orElse("ClusterTrainingRuntime");
      Container node = trainer.map(t -> {
        Container c = r.container(t, "node");
        Resources perNode = r.optMapping(t, "resourcesPerNode").map(r::resources).orElse(Resources.NONE);
        return new Container(c.name(), c.image(), perNode, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), c.location(), c.imageLocation());
      }).orElse(new Container("node", ContainerImage.parse(""), Resources.NONE, Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.empty(), r.at(spec), r.at(spec)));
      PodTemplate pod = new PodTemplate(List.of(node), List.of(), Map.of(), Map.of(),
          Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
          Map.of(), Map.of(), r.at(spec));
      partial("trainer", pod, new RuntimeRef(List.of(kind), r.optString(ref, "name"), Optional.empty(),
          r.keyAt(ref, "name").orElse(r.at(ref))), Workload.Role.BATCH);
    }

    private void partial(String part, PodTemplate pod, RuntimeRef ref, Workload.Role role) {
      out.add(new Workload(id.apiVersion(), id.kind(), id.name(), id.namespace(), Optional.empty(), Optional.empty(),
          Optional.empty(), pod, id.location(), Optional.empty(), Optional.empty(), Optional.empty(), part, role,
          Optional.empty(), Optional.empty(), Optional.of(ref), false));
    }

    void podSpec(String part, MappingNode spec, Workload.Role role) {
      out.add(workload(part, r.podSpec(spec), role));
    }

    private Workload workload(String part, PodTemplate pod, Workload.Role role) {
      Optional<String> probed = ray ? pod.containers().stream().findFirst().map(Container::name) : Optional.empty();
      return new Workload(id.apiVersion(), id.kind(), id.name(), id.namespace(), Optional.empty(), Optional.empty(),
          Optional.empty(), pod, id.location(), Optional.empty(), Optional.empty(), deadline, part, role,
          role == Workload.Role.BATCH ? deadlineField : Optional.empty(), probed);
    }
  }
}

package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.List;
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
 *   <tr><td>serving.kserve.io</td><td>InferenceService</td><td>{@code spec.predictor} (also transformer, explainer) when it lists containers</td><td>serving</td><td></td></tr>
 *   <tr><td>argoproj.io</td><td>Rollout</td><td>{@code spec.template}</td><td>serving</td><td></td></tr>
 * </table>
 *
 * <p>KubeRay gives the Ray container (the first of a Ray pod) readiness and liveness probes when the
 * manifest writes none, so a Ray container without probes has them. A Kubeflow TrainJob names a
 * training runtime instead of writing pod templates; it stays an {@link OtherResource}, as does any
 * other kind.
 */
final class CustomTemplates {

  private CustomTemplates() {}

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
      }
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

package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A workload with pods: a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, or a bare
 * Pod (whose {@code spec} is its {@link #template()}); or one pod template of a custom resource
 * that runs pods ({@link #part()} says which: the head or a worker group of a RayService, the
 * leader of a LeaderWorkerSet, a replica type of a PyTorchJob, a task of a Volcano Job, the
 * predictor of an InferenceService, an Argo Rollout's template). Built-in kinds are known by their
 * API group as well as their kind: a Volcano {@code batch.volcano.sh} Job is no {@code batch/v1}
 * Job.
 *
 * <p>{@code strategy} and {@code revisionHistoryLimit} are read for Deployments and Argo Rollouts
 * (whose strategy is a {@code canary} or a {@code blueGreen}), {@code replicas} for Deployments,
 * Rollouts, StatefulSets and ReplicaSets, {@code activeDeadlineSeconds} for Jobs and
 * CronJobs (of the job template); they stay empty for the other kinds.
 *
 * @param apiVersion {@code apiVersion}
 * @param kind {@code kind}
 * @param name {@code metadata.name}; empty when absent
 * @param namespace {@code metadata.namespace}, if set
 * @param replicas {@code spec.replicas}, if set (Kubernetes defaults it to 1)
 * @param strategy {@code spec.strategy} of a Deployment or an Argo Rollout; empty for other kinds
 * @param revisionHistoryLimit {@code spec.revisionHistoryLimit}, if set
 * @param template the pod template
 * @param location where the document starts
 * @param replicasLocation where {@code replicas} is written, if it is
 * @param revisionHistoryLimitLocation where {@code revisionHistoryLimit} is written, if it is
 * @param activeDeadlineSeconds the Job's {@code activeDeadlineSeconds} ({@code
 *     spec.jobTemplate.spec.activeDeadlineSeconds} of a CronJob, {@code spec.activeDeadlineSeconds}
 *     of a RayJob, {@code spec.runPolicy.activeDeadlineSeconds} of a Kubeflow training job), if set
 * @param part which pod template of the resource this is ({@code head}, {@code worker 'gpu-group'},
 *     {@code leader}, {@code replica 'Worker'}, {@code task 'train'}, {@code predictor}); empty for
 *     the built-in kinds and for a custom resource with one template
 * @param role whether the pods serve or run to completion
 * @param deadlineField where the resource takes a deadline for its whole run ({@code spec}, {@code
 *     spec.jobTemplate.spec}, {@code spec.runPolicy}); empty when it has none (a serving workload, a
 *     Volcano Job)
 * @param operatorProbedContainer the container whose readiness and liveness probes the resource's
 *     operator writes when the manifest does not (KubeRay's Ray container, the first); empty when
 *     none is
 * @param runtimeRef for a workload that writes only its part of the pod (a KServe {@code
 *     predictor.model}, a Kubeflow TrainJob's {@code trainer}), the runtime that holds the rest; such
 *     a workload is judged on the resources it writes, its other containers' questions are the
 *     runtime's
 * @param runtime whether this is a runtime whose users complete its pods (a KServe ServingRuntime,
 *     a Kubeflow TrainingRuntime): their resources (the GPU count) and placement are set by the
 *     InferenceService or TrainJob that uses it
 * @since 0.1.0
 */
public record Workload(
    String apiVersion,
    String kind,
    String name,
    Optional<String> namespace,
    Optional<Integer> replicas,
    Optional<RolloutStrategy> strategy,
    Optional<Integer> revisionHistoryLimit,
    PodTemplate template,
    SourceLocation location,
    Optional<SourceLocation> replicasLocation,
    Optional<SourceLocation> revisionHistoryLimitLocation,
    Optional<Integer> activeDeadlineSeconds,
    String part,
    Role role,
    Optional<String> deadlineField,
    Optional<String> operatorProbedContainer,
    Optional<RuntimeRef> runtimeRef,
    boolean runtime)
    implements Resource {

  /**
   * What a workload's pods do, which decides the rules their containers get: serving pods are
   * judged like a Deployment's (readiness, liveness), pods that run to completion like a Job's.
   *
   * @since 0.2.0
   */
  public enum Role {
    /** Long-running pods that serve or hold state: readiness and liveness are questions for them. */
    SERVING,
    /** Pods that run to completion: a Job, a training job, a RayJob's cluster. */
    BATCH
  }

  /** The built-in kinds read as workloads (of API groups {@code apps}, {@code batch} and the core group). */
  public static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod");

  /** Validates the fields. */
  public Workload {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(replicas, "replicas");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(revisionHistoryLimit, "revisionHistoryLimit");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(replicasLocation, "replicasLocation");
    Objects.requireNonNull(revisionHistoryLimitLocation, "revisionHistoryLimitLocation");
    Objects.requireNonNull(activeDeadlineSeconds, "activeDeadlineSeconds");
    Objects.requireNonNull(part, "part");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(deadlineField, "deadlineField");
    Objects.requireNonNull(operatorProbedContainer, "operatorProbedContainer");
    Objects.requireNonNull(runtimeRef, "runtimeRef");
  }

  /** A workload whose pod template is all its own: no runtime reference, no runtime. */
  public Workload(String apiVersion, String kind, String name, Optional<String> namespace, Optional<Integer> replicas,
      Optional<RolloutStrategy> strategy, Optional<Integer> revisionHistoryLimit, PodTemplate template,
      SourceLocation location, Optional<SourceLocation> replicasLocation,
      Optional<SourceLocation> revisionHistoryLimitLocation, Optional<Integer> activeDeadlineSeconds, String part,
      Role role, Optional<String> deadlineField, Optional<String> operatorProbedContainer) {
    this(apiVersion, kind, name, namespace, replicas, strategy, revisionHistoryLimit, template, location,
        replicasLocation, revisionHistoryLimitLocation, activeDeadlineSeconds, part, role, deadlineField,
        operatorProbedContainer, Optional.empty(), false);
  }

  /**
   * Whether the workload writes only its part of the pod and a runtime holds the rest ({@link
   * #runtimeRef()}): only what it writes (the resources) is judged.
   */
  public boolean isPartial() {
    return runtimeRef.isPresent();
  }

  /**
   * {@code Kind/name}, followed by the part for a custom resource with several pod templates:
   * {@code RayService/llm worker 'gpu-group'}.
   */
  @Override
  public String displayName() {
    return part.isEmpty() ? resourceName() : resourceName() + " " + part;
  }

  /** {@code Kind/name} of the resource the template is written in, without the part. */
  public String resourceName() {
    return Resource.super.displayName();
  }

  /**
   * Whether the resource's operator gives this container readiness and liveness probes when the
   * manifest writes none, so a missing probe is no gap.
   */
  public boolean probedByOperator(Container container) {
    return operatorProbedContainer.filter(container.name()::equals).isPresent();
  }

  /** Whether this is a Deployment. */
  public boolean isDeployment() {
    return kind.equals("Deployment");
  }

  /** Whether this is an Argo Rollout ({@code argoproj.io} {@code Rollout}). */
  public boolean isArgoRollout() {
    return kind.equals("Rollout") && apiVersion.startsWith("argoproj.io/");
  }

  /**
   * Whether the workload rolls out by a strategy gpukit reads and simulates: a Deployment, or an
   * Argo Rollout.
   */
  public boolean rollsOut() {
    return isDeployment() || isArgoRollout();
  }

  /**
   * Whether this is batch work that runs to completion: a {@code batch/v1} Job or CronJob, or a
   * pod template of a custom resource in the batch role (a RayJob, a PyTorchJob, a Volcano Job).
   */
  public boolean isBatch() {
    return role == Role.BATCH;
  }

  /** Whether this is a bare Pod, which no controller replaces or rolls out. */
  public boolean isBarePod() {
    return kind.equals("Pod");
  }

  /**
   * Whether the pods run to completion rather than serve: a Job, a CronJob, or a bare Pod with
   * {@code restartPolicy} {@code Never} or {@code OnFailure} (a test pod such as CUDA's vectorAdd
   * sample). Readiness and liveness are questions for serving pods only.
   */
  public boolean runsToCompletion() {
    return isBatch() || (isBarePod() && template.runsToCompletion());
  }

  /**
   * The deadline after which the Job's pods are stopped: the Job's {@code activeDeadlineSeconds},
   * else the pod template's; empty when neither is set.
   */
  public Optional<Integer> deadlineSeconds() {
    return activeDeadlineSeconds.or(template::activeDeadlineSeconds);
  }

  /** {@code spec.replicas}, or Kubernetes' default of 1. */
  public int effectiveReplicas() {
    return replicas.orElse(1);
  }

  /**
   * The strategy, or the default: Kubernetes' RollingUpdate, 25%/25%, for a Deployment; for an Argo
   * Rollout that writes neither canary nor blueGreen, a canary the controller refuses ({@link
   * RolloutStrategy#apiRejection()} says why).
   */
  public RolloutStrategy effectiveStrategy() {
    if (strategy.isEmpty() && isArgoRollout()) {
      return RolloutStrategy.canary(Optional.empty(), Optional.empty(), new ArgoStrategy(List.of(), false,
          false, Optional.empty(), Optional.empty(), true, ArgoStrategy.DEFAULT_SCALE_DOWN_DELAY_SECONDS,
          Optional.empty(), Optional.of("a Rollout needs strategy.canary or strategy.blueGreen")));
    }
    return strategy.orElse(RolloutStrategy.DEFAULT);
  }
}

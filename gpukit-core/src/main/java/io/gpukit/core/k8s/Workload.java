package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A workload with pods: a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, or a bare
 * Pod (whose {@code spec} is its {@link #template()}).
 *
 * <p>{@code strategy} and {@code revisionHistoryLimit} are read for Deployments, {@code replicas}
 * for Deployments, StatefulSets and ReplicaSets, {@code activeDeadlineSeconds} for Jobs and
 * CronJobs (of the job template); they stay empty for the other kinds.
 *
 * @param apiVersion {@code apiVersion}
 * @param kind {@code kind}
 * @param name {@code metadata.name}; empty when absent
 * @param namespace {@code metadata.namespace}, if set
 * @param replicas {@code spec.replicas}, if set (Kubernetes defaults it to 1)
 * @param strategy {@code spec.strategy} of a Deployment; empty for other kinds
 * @param revisionHistoryLimit {@code spec.revisionHistoryLimit}, if set
 * @param template the pod template
 * @param location where the document starts
 * @param replicasLocation where {@code replicas} is written, if it is
 * @param revisionHistoryLimitLocation where {@code revisionHistoryLimit} is written, if it is
 * @param activeDeadlineSeconds the Job's {@code activeDeadlineSeconds} ({@code
 *     spec.jobTemplate.spec.activeDeadlineSeconds} of a CronJob), if set
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
    Optional<Integer> activeDeadlineSeconds)
    implements Resource {

  /** The kinds read as workloads. */
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
  }

  /** Whether this is a Deployment. */
  public boolean isDeployment() {
    return kind.equals("Deployment");
  }

  /** Whether this is a Job or a CronJob: batch work that runs to completion. */
  public boolean isBatch() {
    return kind.equals("Job") || kind.equals("CronJob");
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

  /** The strategy, or Kubernetes' default (RollingUpdate, 25%/25%). */
  public RolloutStrategy effectiveStrategy() {
    return strategy.orElse(RolloutStrategy.DEFAULT);
  }
}

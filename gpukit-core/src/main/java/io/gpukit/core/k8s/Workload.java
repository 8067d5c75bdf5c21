package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A workload with a pod template: a Deployment, StatefulSet, DaemonSet, Job or CronJob.
 *
 * <p>{@code replicas}, {@code strategy} and {@code revisionHistoryLimit} are read for Deployments;
 * they stay empty for the other kinds.
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
    Optional<SourceLocation> revisionHistoryLimitLocation)
    implements Resource {

  /** The kinds read as workloads. */
  public static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob");

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
  }

  /** Whether this is a Deployment. */
  public boolean isDeployment() {
    return kind.equals("Deployment");
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

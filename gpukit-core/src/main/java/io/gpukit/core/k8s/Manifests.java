package io.gpukit.core.k8s;

import io.gpukit.core.source.SourceFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import io.gpukit.core.source.SourceLocation;

/**
 * A parsed Kubernetes manifest file: its documents in order.
 *
 * @param path the file as it was named
 * @param resources every non-empty document, in file order
 * @param helmTemplate where the first Helm/Go template action ({@code {{ … }}}) is, when the file
 *     is an unrendered template that only Helm can make a manifest of; such a file is not parsed and
 *     has no resources. Empty for a file read in full, even when template actions sit inside its
 *     scalar values ({@code image: "{{ .Values.image }}"})
 * @since 0.1.0
 */
public record Manifests(Path path, List<Resource> resources, Optional<SourceLocation> helmTemplate) {

  /** Validates the fields and copies the list. */
  public Manifests {
    Objects.requireNonNull(path, "path");
    resources = List.copyOf(resources);
    Objects.requireNonNull(helmTemplate, "helmTemplate");
  }

  /**
   * Reads and parses a file.
   *
   * @throws io.gpukit.core.source.SourceParseException when the file cannot be read or parsed
   */
  public static Manifests parse(Path path) {
    return ManifestParser.parse(SourceFile.read(path));
  }

  /**
   * Parses text in memory.
   *
   * @throws io.gpukit.core.source.SourceParseException when the text cannot be parsed
   */
  public static Manifests parse(Path path, String text) {
    return ManifestParser.parse(SourceFile.of(path, text));
  }

  /**
   * The workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod, and one per
   * pod template of a custom resource that runs pods), in file order.
   */
  public List<Workload> workloads() {
    return resources.stream().filter(Workload.class::isInstance).map(Workload.class::cast).toList();
  }

  /** The Dynamic Resource Allocation claims and claim templates, in file order. */
  public List<DeviceClaim> deviceClaims() {
    return resources.stream().filter(DeviceClaim.class::isInstance).map(DeviceClaim.class::cast).toList();
  }

  /** The Deployments, in file order. */
  public List<Workload> deployments() {
    return workloads().stream().filter(Workload::isDeployment).toList();
  }

  /**
   * The workloads whose strategy gpukit reads and simulates, in file order: Deployments and Argo
   * Rollouts.
   *
   * @since 0.2.0
   */
  public List<Workload> rollingWorkloads() {
    return workloads().stream().filter(Workload::rollsOut).toList();
  }

  /** A workload by kind and name. */
  public Optional<Workload> workload(String kind, String name) {
    return workloads().stream().filter(w -> w.kind().equals(kind) && w.name().equals(name)).findFirst();
  }
}

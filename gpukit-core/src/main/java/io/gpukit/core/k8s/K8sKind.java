package io.gpukit.core.k8s;

import io.gpukit.core.policy.FileKind;
import io.gpukit.core.policy.GpuEvidence;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.source.SourceFile;
import java.util.List;

/**
 * Kubernetes manifests as a {@link FileKind}: parsed with {@link ManifestParser}, checked with
 * {@link DeploymentRules#ALL}.
 *
 * @since 0.1.0
 */
public final class K8sKind implements FileKind<Manifests> {

  /** The one instance. */
  public static final K8sKind INSTANCE = new K8sKind();

  private K8sKind() {}

  @Override
  public String name() {
    return "k8s";
  }

  @Override
  public Manifests parse(SourceFile file) {
    return ManifestParser.parse(file);
  }

  @Override
  public List<Rule<Manifests>> rules() {
    return DeploymentRules.ALL;
  }

  /**
   * Per GPU container (init containers first, then the main ones, workload by workload), every
   * reason it is GPU, all strong: {@code Deployment/llm container 'server' is GPU: it asks for
   * nvidia.com/gpu}. See {@link GpuContainers}.
   */
  @Override
  public List<GpuEvidence> gpuEvidence(Manifests model, GpuKitConfig config) {
    return GpuContainers.in(model, config).evidence();
  }
}

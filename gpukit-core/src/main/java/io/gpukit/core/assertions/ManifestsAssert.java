package io.gpukit.core.assertions;

import io.gpukit.core.k8s.GpuContainers;
import io.gpukit.core.k8s.K8sKind;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.Workload;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.InlineSuppressions;
import io.gpukit.core.policy.PolicyEngine;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on parsed Kubernetes manifests.
 *
 * <pre>{@code
 * assertThat(Manifests.parse(Path.of("deploy/k8s.yaml")))
 *     .hasGpuDeployment("seed-inference")
 *     .checkedAgainstRules().hasNoViolations();
 * }</pre>
 *
 * @since 0.1.0
 */
public class ManifestsAssert extends AbstractAssert<ManifestsAssert, Manifests> {

  private GpuKitConfig config = GpuKitConfig.defaults();

  /** Creates the assertion; use {@link GpuKitAssertions#assertThat(Manifests)}. */
  public ManifestsAssert(Manifests actual) {
    super(actual, ManifestsAssert.class);
  }

  /** Judges GPU containers and severities with this configuration instead of the defaults. */
  public ManifestsAssert usingConfig(GpuKitConfig gpuKitConfig) {
    if (gpuKitConfig == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    this.config = gpuKitConfig;
    return myself;
  }

  /** Verifies that the file has a Deployment of that name with at least one GPU container. */
  public ManifestsAssert hasGpuDeployment(String name) {
    isNotNull();
    Workload d = actual.workload("Deployment", name).orElse(null);
    if (d == null) {
      failWithMessage("%nExpecting %s%nto have a Deployment named '%s'%nbut it has: %s",
          actual.path(), name, actual.deployments().stream().map(Workload::name).toList());
    } else if (!GpuContainers.in(actual, config).isGpuWorkload(d)) {
      failWithMessage("%nExpecting Deployment '%s' (%s)%nto have a GPU container%nbut none asks for nvidia.com/gpu or"
          + " amd.com/gpu, claims a GPU device, runs a GPU probe or uses a CUDA or ROCm image, and its pod is not"
          + " placed on GPU nodes", name, d.location().render());
    }
    return myself;
  }

  /** Checks the manifests with every Kubernetes rule and returns assertions on the report. */
  public PolicyReportAssert checkedAgainstRules() {
    isNotNull();
    return new PolicyReportAssert(
        PolicyEngine.with(config).check(actual.path(), actual, K8sKind.INSTANCE, InlineSuppressions.none()));
  }
}

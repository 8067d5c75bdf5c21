package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldHaveGpuDeployment.shouldHaveDeployment;
import static io.gpukit.core.assertions.error.ShouldHaveGpuDeployment.shouldHaveGpuContainer;

import io.gpukit.core.k8s.GpuContainers;
import io.gpukit.core.k8s.K8sKind;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.Workload;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.InlineSuppressions;
import io.gpukit.core.policy.PolicyEngine;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Assertions on parsed Kubernetes manifests.
 *
 * <pre>{@code
 * // passes for a Deployment whose container asks for nvidia.com/gpu, with no Kubernetes rule broken
 * assertThat(Manifests.parse(Path.of("deploy/k8s.yaml")))
 *     .hasGpuDeployment("seed-inference")
 *     .checkedAgainstRules().hasNoViolations();
 * // fails, naming the Deployment's file:line, when nothing in it says GPU
 * assertThat(Manifests.parse(Path.of("deploy/k8s.yaml"))).hasGpuDeployment("ui");
 * }</pre>
 *
 * @since 0.1.0
 */
public class ManifestsAssert extends AbstractAssert<ManifestsAssert, Manifests> {

  private GpuKitConfig config = GpuKitConfig.defaults();
  private SoftAssertionsProvider softly;

  /** Creates the assertion; use {@link GpuKitAssertions#assertThat(Manifests)}. */
  public ManifestsAssert(Manifests actual) {
    super(actual, ManifestsAssert.class);
  }

  /**
   * Judges GPU containers and severities with this configuration instead of the defaults.
   *
   * @throws NullPointerException if {@code gpuKitConfig} is null
   */
  public ManifestsAssert usingConfig(GpuKitConfig gpuKitConfig) {
    this.config = Arguments.requireNonNull(gpuKitConfig, "config");
    return myself;
  }

  /** Makes the assertions this one navigates to collect their failures into {@code softly}. */
  void collectingInto(SoftAssertionsProvider softAssertions) {
    this.softly = softAssertions;
  }

  /**
   * Verifies that the file has a Deployment of that name with at least one GPU container.
   *
   * @throws NullPointerException if {@code name} is null
   */
  public ManifestsAssert hasGpuDeployment(String name) {
    Arguments.requireNonNull(name, "Deployment name");
    isNotNull();
    Workload deployment = actual.workload("Deployment", name).orElse(null);
    if (deployment == null) {
      throw assertionError(shouldHaveDeployment(actual, name));
    }
    if (!GpuContainers.in(actual, config).isGpuWorkload(deployment)) {
      throw assertionError(shouldHaveGpuContainer(deployment));
    }
    return myself;
  }

  /** Checks the manifests with every Kubernetes rule and returns assertions on the report. */
  public PolicyReportAssert checkedAgainstRules() {
    return PolicyReportAssert.navigate(
        softly,
        () -> {
          isNotNull();
          return PolicyEngine.with(config).check(actual.path(), actual, K8sKind.INSTANCE, InlineSuppressions.none());
        });
  }
}

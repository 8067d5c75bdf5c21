package io.gpukit.core.assertions.error;

import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.Workload;
import java.util.stream.Collectors;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Creates the messages for a Deployment that is missing or has no GPU container.
 *
 * @since 0.1.0
 */
public final class ShouldHaveGpuDeployment extends BasicErrorMessageFactory {

  /** No Deployment of that name in the file. */
  public static ErrorMessageFactory shouldHaveDeployment(Manifests actual, String name) {
    String deployments = actual.deployments().isEmpty()
        ? "(none)"
        : actual.deployments().stream()
            .map(d -> (d.location().render() + ": Deployment '" + d.name() + "'").replace("%", "%%"))
            .collect(Collectors.joining("%n  "));
    return new ShouldHaveGpuDeployment(
        "%nExpecting actual:%n  %s%nto have a Deployment named%n  %s%nbut its Deployments are:%n  " + deployments,
        actual.path().toString(),
        name);
  }

  /** The Deployment exists but nothing in it says GPU. */
  public static ErrorMessageFactory shouldHaveGpuContainer(Workload deployment) {
    return new ShouldHaveGpuDeployment(
        "%nExpecting actual:%n  %s%nto have a GPU container%nbut none asks for nvidia.com/gpu or amd.com/gpu, claims a"
            + " GPU device, runs a GPU probe or uses a CUDA or ROCm image, and its pod is not placed on GPU nodes",
        deployment.location().render() + ": Deployment '" + deployment.name() + "'");
  }

  private ShouldHaveGpuDeployment(String format, Object... arguments) {
    super(format, arguments);
  }
}

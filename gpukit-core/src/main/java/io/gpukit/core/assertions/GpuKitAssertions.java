package io.gpukit.core.assertions;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.rollout.RolloutSimulation;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.project.GpuProject;
import io.gpukit.core.workflow.Workflow;
import org.assertj.core.annotation.CheckReturnValue;

/**
 * The entry point of gpukit's AssertJ assertions.
 *
 * <pre>{@code
 * import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
 *
 * assertThat(Dockerfile.parse(Path.of("Dockerfile")))
 *     .hasAtLeastStages(2)
 *     .finalStage().runsAsNonRoot().hasGpuAwareHealthcheck();
 * }</pre>
 *
 * <p>Every failure message comes from a factory in {@code io.gpukit.core.assertions.error}, in
 * AssertJ's {@code Expecting actual: … to … but …} shape with the file:line. A null argument throws
 * a {@link NullPointerException} saying "The given … should not be null", a blank or out-of-range
 * one an {@link IllegalArgumentException}, as AssertJ's own assertions do. {@link
 * GpuKitSoftAssertions} is the soft form; with gpukit-junit, {@code
 * io.gpukit.junit.assertions.GpuKitJUnitAssertions} extends this class with the probe result's
 * assertions, so one static import gives both.
 *
 * @since 0.1.0
 */
public class GpuKitAssertions {

  /** Creates assertions on a parsed Dockerfile. */
  @CheckReturnValue
  public static DockerfileAssert assertThat(Dockerfile actual) {
    return new DockerfileAssert(actual);
  }

  /** Creates assertions on a policy report. */
  @CheckReturnValue
  public static PolicyReportAssert assertThat(PolicyReport actual) {
    return new PolicyReportAssert(actual);
  }

  /** Creates assertions on parsed Kubernetes manifests. */
  @CheckReturnValue
  public static ManifestsAssert assertThat(Manifests actual) {
    return new ManifestsAssert(actual);
  }

  /** Creates assertions on a simulated rollout. */
  @CheckReturnValue
  public static RolloutSimulationAssert assertThat(RolloutSimulation actual) {
    return new RolloutSimulationAssert(actual);
  }

  /**
   * Creates assertions on a repository checked as one GPU project: the one line a service
   * repository adds to {@code mvn test}.
   *
   * <pre>{@code
   * assertThat(GpuProject.scan(Path.of("."))).hasNoViolations();
   * }</pre>
   */
  @CheckReturnValue
  public static GpuProjectAssert assertThat(GpuProject actual) {
    return new GpuProjectAssert(actual);
  }

  /** Creates assertions on a parsed GitHub Actions workflow. */
  @CheckReturnValue
  public static WorkflowAssert assertThat(Workflow actual) {
    return new WorkflowAssert(actual);
  }

  /** For subclassing entry points that add their own {@code assertThat} overloads. */
  protected GpuKitAssertions() {}
}

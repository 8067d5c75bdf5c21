package io.gpukit.core.assertions;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.rollout.RolloutSimulation;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.project.GpuProject;
import io.gpukit.core.workflow.Workflow;
import org.assertj.core.annotation.CheckReturnValue;
import org.assertj.core.api.AbstractSoftAssertions;
import org.assertj.core.api.StandardSoftAssertionsProvider;

/**
 * gpukit's assertions, soft: every failure is collected and {@link #assertAll()} reports them
 * together, so one run of the tests lists everything a repository breaks. It has an {@code
 * assertThat} for each entry point of {@link GpuKitAssertions}, and AssertJ's own ({@code
 * softly.assertThat("text")}, lists, …). Failures of the assertions reached by navigation ({@code
 * finalStage()}, {@code stage(…)}, {@code job(…)}, {@code pushJob()}, {@code asJob()}, {@code
 * checkedAgainstRules()}, {@code hasViolation(…)}) are collected too; a navigation that finds
 * nothing (no such job) is collected and the assertions after it run on {@code null}.
 *
 * <pre>{@code
 * GpuKitSoftAssertions softly = new GpuKitSoftAssertions();
 * softly.assertThat(dockerfile).finalStage().runsAsNonRoot().hasGpuAwareHealthcheck();
 * softly.assertThat(workflow).job("test").runsOnGpuRunner();
 * softly.assertAll(); // fails once, listing every failure above
 * }</pre>
 *
 * <p>With JUnit 5, AssertJ's extension creates one per test and calls {@code assertAll()} after it:
 *
 * <pre>{@code
 * @ExtendWith(SoftAssertionsExtension.class)
 * class GpuPolicyTests {
 *   @InjectSoftAssertions GpuKitSoftAssertions softly;
 *
 *   @Test
 *   void the_image_is_gpu_ready() {
 *     softly.assertThat(Dockerfile.parse(Path.of("Dockerfile"))).finalStage().runsAsNonRoot();
 *   }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public class GpuKitSoftAssertions extends AbstractSoftAssertions implements StandardSoftAssertionsProvider {

  /** Creates soft assertions with no failure collected yet. */
  public GpuKitSoftAssertions() {}

  /** Creates soft assertions on a parsed Dockerfile. */
  @CheckReturnValue
  public DockerfileAssert assertThat(Dockerfile actual) {
    DockerfileAssert soft = proxy(DockerfileAssert.class, Dockerfile.class, actual);
    soft.collectingInto(this);
    return soft;
  }

  /** Creates soft assertions on a policy report. */
  @CheckReturnValue
  public PolicyReportAssert assertThat(PolicyReport actual) {
    PolicyReportAssert soft = proxy(PolicyReportAssert.class, PolicyReport.class, actual);
    soft.collectingInto(this);
    return soft;
  }

  /** Creates soft assertions on parsed Kubernetes manifests. */
  @CheckReturnValue
  public ManifestsAssert assertThat(Manifests actual) {
    ManifestsAssert soft = proxy(ManifestsAssert.class, Manifests.class, actual);
    soft.collectingInto(this);
    return soft;
  }

  /** Creates soft assertions on a simulated rollout. */
  @CheckReturnValue
  public RolloutSimulationAssert assertThat(RolloutSimulation actual) {
    return proxy(RolloutSimulationAssert.class, RolloutSimulation.class, actual);
  }

  /** Creates soft assertions on a repository checked as one GPU project. */
  @CheckReturnValue
  public GpuProjectAssert assertThat(GpuProject actual) {
    GpuProjectAssert soft = proxy(GpuProjectAssert.class, GpuProject.class, actual);
    soft.collectingInto(this);
    return soft;
  }

  /** Creates soft assertions on a parsed GitHub Actions workflow. */
  @CheckReturnValue
  public WorkflowAssert assertThat(Workflow actual) {
    WorkflowAssert soft = proxy(WorkflowAssert.class, Workflow.class, actual);
    soft.collectingInto(this);
    return soft;
  }
}

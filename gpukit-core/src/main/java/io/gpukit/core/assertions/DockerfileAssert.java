package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldHaveStage.shouldHaveAtLeastStages;
import static io.gpukit.core.assertions.error.ShouldHaveStage.shouldHaveStage;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.DockerfileKind;
import io.gpukit.core.policy.InlineSuppressions;
import io.gpukit.core.dockerfile.Stage;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a parsed {@link Dockerfile}, with navigation to its stages.
 *
 * <pre>{@code
 * // passes for a two-stage build whose runtime stage has USER 10001 and a gpukit-probe HEALTHCHECK
 * assertThat(dockerfile).hasAtLeastStages(2).finalStage().runsAsNonRoot().hasGpuAwareHealthcheck();
 * // fails, naming Dockerfile:1:1, for a single 'FROM nvidia/cuda:13.0.1-devel-ubuntu24.04'
 * assertThat(dockerfile).hasAtLeastStages(2);
 * }</pre>
 *
 * @since 0.1.0
 */
public class DockerfileAssert extends AbstractAssert<DockerfileAssert, Dockerfile> {

  private GpuKitConfig config = GpuKitConfig.defaults();

  /** Creates the assertion; use {@link GpuKitAssertions#assertThat(Dockerfile)}. */
  public DockerfileAssert(Dockerfile actual) {
    super(actual, DockerfileAssert.class);
  }

  /** Judges GPU probes and severities with this configuration instead of the defaults. */
  public DockerfileAssert usingConfig(GpuKitConfig gpuKitConfig) {
    if (gpuKitConfig == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    this.config = gpuKitConfig;
    return myself;
  }

  /** Verifies that the Dockerfile has at least {@code count} FROM stages. */
  public DockerfileAssert hasAtLeastStages(int count) {
    isNotNull();
    if (count < 1) {
      throw new IllegalArgumentException("count must be 1 or more but was " + count);
    }
    if (actual.stages().size() < count) {
      throw assertionError(shouldHaveAtLeastStages(actual, count));
    }
    return myself;
  }

  /** Navigates to the final stage (the one the image is built from). */
  public StageAssert finalStage() {
    isNotNull();
    return new StageAssert(actual, actual.finalStage(), config);
  }

  /** Navigates to a stage by name (case-insensitive) or index. */
  public StageAssert stage(String nameOrIndex) {
    isNotNull();
    Optional<Stage> stage = actual.stage(nameOrIndex);
    if (stage.isEmpty()) {
      throw assertionError(shouldHaveStage(actual, nameOrIndex));
    }
    return new StageAssert(actual, stage.get(), config);
  }

  /** Checks the Dockerfile with every Dockerfile rule and returns assertions on the report. */
  public PolicyReportAssert checkedAgainstRules() {
    isNotNull();
    PolicyReport report =
        PolicyEngine.with(config)
            .check(actual.path(), actual, DockerfileKind.INSTANCE, InlineSuppressions.none());
    return new PolicyReportAssert(report);
  }
}

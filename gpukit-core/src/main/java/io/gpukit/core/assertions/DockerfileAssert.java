package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldHaveStage.shouldHaveAtLeastStages;
import static io.gpukit.core.assertions.error.ShouldHaveStage.shouldHaveStage;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.DockerfileKind;
import io.gpukit.core.policy.InlineSuppressions;
import io.gpukit.core.dockerfile.Stage;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyEngine;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;

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
  private SoftAssertionsProvider softly;

  /** Creates the assertion; use {@link GpuKitAssertions#assertThat(Dockerfile)}. */
  public DockerfileAssert(Dockerfile actual) {
    super(actual, DockerfileAssert.class);
  }

  /**
   * Judges GPU probes and severities with this configuration instead of the defaults.
   *
   * @throws NullPointerException if {@code gpuKitConfig} is null
   */
  public DockerfileAssert usingConfig(GpuKitConfig gpuKitConfig) {
    this.config = Arguments.requireNonNull(gpuKitConfig, "config");
    return myself;
  }

  /** Makes the assertions this one navigates to collect their failures into {@code softly}. */
  void collectingInto(SoftAssertionsProvider softAssertions) {
    this.softly = softAssertions;
  }

  /**
   * Verifies that the Dockerfile has at least {@code count} FROM stages.
   *
   * @throws IllegalArgumentException if {@code count} is less than 1
   */
  public DockerfileAssert hasAtLeastStages(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("The given count should be 1 or more but was " + count);
    }
    isNotNull();
    if (actual.stages().size() < count) {
      throw assertionError(shouldHaveAtLeastStages(actual, count));
    }
    return myself;
  }

  /** Navigates to the final stage (the one the image is built from). */
  public StageAssert finalStage() {
    return toStage(
        () -> {
          isNotNull();
          return actual.finalStage();
        });
  }

  /**
   * Navigates to a stage by name (case-insensitive) or index.
   *
   * @throws NullPointerException if {@code nameOrIndex} is null
   */
  public StageAssert stage(String nameOrIndex) {
    Arguments.requireNonNull(nameOrIndex, "stage name or index");
    return toStage(
        () -> {
          isNotNull();
          Optional<Stage> stage = actual.stage(nameOrIndex);
          if (stage.isEmpty()) {
            throw assertionError(shouldHaveStage(actual, nameOrIndex));
          }
          return stage.get();
        });
  }

  private StageAssert toStage(java.util.function.Supplier<Stage> find) {
    return Navigation.to(
        softly,
        StageAssert.class,
        Stage.class,
        find,
        stage -> new StageAssert(actual, stage, config),
        child -> child.in(actual, config));
  }

  /** Checks the Dockerfile with every Dockerfile rule and returns assertions on the report. */
  public PolicyReportAssert checkedAgainstRules() {
    return PolicyReportAssert.navigate(
        softly,
        () -> {
          isNotNull();
          return PolicyEngine.with(config)
              .check(actual.path(), actual, DockerfileKind.INSTANCE, InlineSuppressions.none());
        });
  }
}

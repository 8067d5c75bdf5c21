package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldRunAsNonRoot.shouldRunAsNonRoot;
import static io.gpukit.core.assertions.error.ShouldHaveGpuAwareHealthcheck.shouldHaveGpuAwareHealthcheck;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.HealthcheckProbe;
import io.gpukit.core.dockerfile.Stage;
import io.gpukit.core.dockerfile.StageView;
import io.gpukit.core.dockerfile.User;
import io.gpukit.core.policy.GpuKitConfig;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one stage of a Dockerfile. USER and HEALTHCHECK are judged as the built image sees
 * them: inherited through {@code FROM <earlier stage>}.
 *
 * <pre>{@code
 * // passes for a runtime stage with USER 10001 and a gpukit-probe HEALTHCHECK, set there or in the stage it builds on
 * assertThat(dockerfile).finalStage().runsAsNonRoot().hasGpuAwareHealthcheck();
 * // fails, naming the stage's Dockerfile:line, when the stage has no USER
 * assertThat(dockerfile).finalStage().runsAsNonRoot();
 * }</pre>
 *
 * @since 0.1.0
 */
public class StageAssert extends AbstractAssert<StageAssert, Stage> {

  private Dockerfile dockerfile;
  private GpuKitConfig config;

  /** Creates the assertion; reach it through {@link DockerfileAssert#finalStage()}. */
  public StageAssert(Dockerfile dockerfile, Stage actual, GpuKitConfig config) {
    super(actual, StageAssert.class);
    this.dockerfile = Arguments.requireNonNull(dockerfile, "dockerfile");
    this.config = Arguments.requireNonNull(config, "config");
  }

  /**
   * Creates the assertion on the stage on its own, as if it were the only stage of its file, with
   * the default configuration: the constructor soft assertions proxy.
   */
  public StageAssert(Stage actual) {
    super(actual, StageAssert.class);
    this.dockerfile =
        actual == null
            ? null
            : new Dockerfile(actual.location().file(), List.of(), '\\', List.of(), List.of(), List.of(actual));
    this.config = GpuKitConfig.defaults();
  }

  /** Judges the stage within its Dockerfile, as navigation does. */
  void in(Dockerfile file, GpuKitConfig gpuKitConfig) {
    this.dockerfile = file;
    this.config = gpuKitConfig;
  }

  /** Verifies that the stage's effective USER is set and is not root. */
  public StageAssert runsAsNonRoot() {
    isNotNull();
    Optional<User> user = StageView.effectiveUser(dockerfile, actual);
    if (user.isEmpty() || user.get().spec().isRoot()) {
      throw assertionError(shouldRunAsNonRoot(actual, user));
    }
    return myself;
  }

  /** Verifies that the stage's effective HEALTHCHECK runs a GPU probe. */
  public StageAssert hasGpuAwareHealthcheck() {
    isNotNull();
    HealthcheckProbe probe = HealthcheckProbe.of(dockerfile, actual, config);
    if (!probe.isGpuAware()) {
      throw assertionError(
          shouldHaveGpuAwareHealthcheck(actual, probe, StageView.effectiveHealthcheck(dockerfile, actual)));
    }
    return myself;
  }
}

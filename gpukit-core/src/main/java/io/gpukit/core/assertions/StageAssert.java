package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldRunAsNonRoot.shouldRunAsNonRoot;
import static io.gpukit.core.assertions.error.ShouldHaveGpuAwareHealthcheck.shouldHaveGpuAwareHealthcheck;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.HealthcheckProbe;
import io.gpukit.core.dockerfile.Stage;
import io.gpukit.core.dockerfile.StageView;
import io.gpukit.core.dockerfile.User;
import io.gpukit.core.policy.GpuKitConfig;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one stage of a Dockerfile. USER and HEALTHCHECK are judged as the built image sees
 * them: inherited through {@code FROM <earlier stage>}.
 *
 * @since 0.1.0
 */
public class StageAssert extends AbstractAssert<StageAssert, Stage> {

  private final Dockerfile dockerfile;
  private final GpuKitConfig config;

  /** Creates the assertion; reach it through {@link DockerfileAssert#finalStage()}. */
  public StageAssert(Dockerfile dockerfile, Stage actual, GpuKitConfig config) {
    super(actual, StageAssert.class);
    this.dockerfile = dockerfile;
    this.config = config;
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

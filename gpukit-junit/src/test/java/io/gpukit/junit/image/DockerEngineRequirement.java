package io.gpukit.junit.image;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Skips tests that need Docker when no engine answers, saying how to run them; where Docker is
 * required ({@code -D}{@value #REQUIRED_PROPERTY}{@code =true}, or the environment variable
 * {@value #REQUIRED_ENV}{@code =true}, which CI sets) a missing engine fails them instead, so CI
 * can never pass as green without running them.
 */
final class DockerEngineRequirement implements ExecutionCondition, BeforeAllCallback {

  static final String REQUIRED_PROPERTY = "gpukit.docker.required";
  static final String REQUIRED_ENV = "GPUKIT_DOCKER_REQUIRED";
  private static final String NO_BRIDGE_HINT = " An engine started without a bridge network also needs"
      + " TESTCONTAINERS_HOST_OVERRIDE=localhost and TESTCONTAINERS_RYUK_DISABLED=true.";
  static final String SKIP_REASON = "No Docker engine answers: skipping the tests that need one. Start Docker"
      + " (or run .ci/run, which installs and starts a registry-free engine) to run them." + NO_BRIDGE_HINT;
  static final String FAILURE_MESSAGE = "No Docker engine answers, and these tests need one (-D"
      + REQUIRED_PROPERTY + "=true or " + REQUIRED_ENV + "=true). Start Docker (or run .ci/run, which"
      + " installs and starts a registry-free engine)." + NO_BRIDGE_HINT;

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DockerEngineRequirement.class);

  private final BooleanSupplier dockerAvailable;
  private final UnaryOperator<String> properties;

  /** Shared by every test class, so the engine is looked for once per run. */
  private static final BooleanSupplier TESTCONTAINERS = () -> {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      // An engine that answers but cannot be used (no bridge network, say) is as good as none here;
      // the messages say what to set.
      return false;
    }
  };

  DockerEngineRequirement() {
    this(TESTCONTAINERS, name -> name.equals(REQUIRED_ENV) ? System.getenv(name) : System.getProperty(name));
  }

  DockerEngineRequirement(BooleanSupplier dockerAvailable, UnaryOperator<String> properties) {
    this.dockerAvailable = dockerAvailable;
    this.properties = properties;
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (available(context)) {
      return ConditionEvaluationResult.enabled("A Docker engine answers");
    }
    if (!required()) {
      return ConditionEvaluationResult.disabled(SKIP_REASON);
    }
    return ConditionEvaluationResult.enabled("No Docker engine answers; the tests will fail");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!available(context) && required()) {
      throw new IllegalStateException(FAILURE_MESSAGE);
    }
  }

  private boolean required() {
    String value = properties.apply(REQUIRED_PROPERTY);
    if (value == null) {
      value = properties.apply(REQUIRED_ENV);
    }
    return value != null && "true".equalsIgnoreCase(value.strip());
  }

  private boolean available(ExtensionContext context) {
    // Asking once per run: a missing engine costs Testcontainers a few seconds per attempt.
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(dockerAvailable, key -> dockerAvailable.getAsBoolean(), Boolean.class);
  }
}

package io.gpukit.junit.image;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Fails tests that need Docker when no engine answers, so a missing engine never passes as green;
 * the property {@value #REQUIRED_PROPERTY}{@code =false} turns the failure into a skip.
 */
final class DockerEngineRequirement implements ExecutionCondition, BeforeAllCallback {

    static final String REQUIRED_PROPERTY = "gpukit.docker.required";
    static final String SKIP_REASON = "No Docker engine answers and -D" + REQUIRED_PROPERTY
            + "=false was given: skipping the tests that need one";
    static final String FAILURE_MESSAGE = "No Docker engine answers, and these tests need one. Start Docker"
            + " (or run .ci/run, which installs and starts a registry-free engine), or pass -D"
            + REQUIRED_PROPERTY + "=false to skip them.";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DockerEngineRequirement.class);

    private final BooleanSupplier dockerAvailable;
    private final UnaryOperator<String> properties;

    /** Shared by every test class, so the engine is looked for once per run. */
    private static final BooleanSupplier TESTCONTAINERS = () -> DockerClientFactory.instance().isDockerAvailable();

    DockerEngineRequirement() {
        this(TESTCONTAINERS, System::getProperty);
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
        return !"false".equalsIgnoreCase(String.valueOf(properties.apply(REQUIRED_PROPERTY)).strip());
    }

    private boolean available(ExtensionContext context) {
        // Asking once per run: a missing engine costs Testcontainers a few seconds per attempt.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(dockerAvailable, key -> dockerAvailable.getAsBoolean(), Boolean.class);
    }
}

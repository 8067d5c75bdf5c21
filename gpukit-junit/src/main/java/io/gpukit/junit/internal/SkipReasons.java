package io.gpukit.junit.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints why a test or a class was skipped, one line each, where the build's console shows it.
 *
 * <p>Maven Surefire's console says only "Skipped: 4"; the reasons ("no NVIDIA GPU on this machine
 * …", "no Docker engine answers …") reach its XML reports alone, so a GPU test that never ran looks
 * like one that passed. The JUnit Platform finds this listener through {@code ServiceLoader} on any
 * test class path that holds gpukit-junit. It prints, for instance:
 *
 * <pre>{@code
 * [gpukit] skipped ScoringServiceGpuIT: no GPU: ... (set GPUKIT_GPU_REQUIRED=true to fail instead)
 * }</pre>
 *
 * <p>A test disabled by a condition ({@code @GpuContainerTest}'s {@code whenNoGpu = SKIP},
 * {@code @Disabled}) and a test aborted by a failed assumption (Surefire counts both as skipped) get
 * a line; the tests inside a skipped class do not run and get none. Turn it off with the configuration
 * parameter {@code gpukit.skips.print=false} (in {@code junit-platform.properties}, or Surefire's
 * {@code configurationParameters}).
 *
 * @since 0.1.0
 */
public final class SkipReasons implements TestExecutionListener {

  /** The configuration parameter that turns the lines off when {@code false}. */
  public static final String PRINT_PARAMETER = "gpukit.skips.print";

  private final PrintStream out;
  private volatile TestPlan plan;
  private volatile boolean print = true;

  /** The listener the JUnit Platform loads: it prints to standard output. */
  public SkipReasons() {
    this(System.out);
  }

  SkipReasons(PrintStream out) {
    this.out = out;
  }

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    this.plan = testPlan;
    this.print = testPlan.getConfigurationParameters().getBoolean(PRINT_PARAMETER).orElse(true);
  }

  @Override
  public void executionSkipped(TestIdentifier identifier, String reason) {
    if (!print) {
      return;
    }
    line(identifier, reason);
  }

  @Override
  public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
    if (print && result.getStatus() == TestExecutionResult.Status.ABORTED) {
      line(identifier, result.getThrowable().map(Throwable::getMessage).orElse(null));
    }
  }

  private void line(TestIdentifier identifier, String reason) {
    out.println("[gpukit] skipped " + name(identifier) + ": "
        + (reason == null || reason.isBlank() ? "no reason given" : reason));
    out.flush();
  }

  /** The test's name under its class: {@code Class > Nested > test()}, engines and suites left out. */
  private String name(TestIdentifier identifier) {
    List<String> parts = new ArrayList<>();
    Optional<TestIdentifier> current = Optional.of(identifier);
    while (current.isPresent() && current.get().getParentId().isPresent()) {
      parts.add(0, current.get().getDisplayName());
      TestPlan p = plan;
      current = p == null ? Optional.empty() : p.getParent(current.get());
    }
    return parts.isEmpty() ? identifier.getDisplayName() : String.join(" > ", parts);
  }
}

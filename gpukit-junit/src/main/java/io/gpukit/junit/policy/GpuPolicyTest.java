package io.gpukit.junit.policy;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that checks a repository as one GPU project, file by file and across files, and fails
 * listing every violation as a clickable {@code file:line:col} with its fix: {@code gpukit check}
 * as a test in {@code mvn test}.
 *
 * <pre>{@code
 * class GpuPolicyTests {
 *
 *   @GpuPolicyTest // the repository the tests run in, from any module of it
 *   void the_service_breaks_no_gpukit_rule() {
 *   }
 *
 *   @GpuPolicyTest(failOn = "warning")
 *   void the_deployment_is_checked(GpuProject project) {
 *     assertThat(project.artifacts().manifests()).isNotEmpty();
 *   }
 * }
 * }</pre>
 *
 * <p>The repository is scanned with {@code GpuProject.scan} under its own {@code gpukit.yaml} (or
 * {@link #config()}); the test fails when a violation reaches {@link #failOn()} (by default the
 * configuration's {@code fail-on}, error when it has none), exactly when {@code gpukit check} would
 * exit 1. A folder with nothing to check (a wrong path) is the error {@code gpukit/nothing-to-check},
 * so it fails as the command does, unless {@code gpukit.yaml} sets {@code gpukit/nothing-to-check:
 * off} under {@code severity:} or the threshold is {@code never}. The full text report is published as the report entry {@code gpukit}; the test method runs after the check
 * passed and may take the {@code GpuProject} as a parameter.
 *
 * <p>{@link #value()} and {@link #config()} may name configuration parameters or system
 * properties as {@code ${name}}. Usable as a meta-annotation.
 *
 * @since 0.1.0
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@ExtendWith(GpuPolicyExtension.class)
public @interface GpuPolicyTest {

  /**
   * The repository folder, relative to the working directory. Empty (the default): the repository
   * the working directory is in, that is the nearest folder from the working directory up that holds
   * {@code .git}, else the working directory itself; so the same annotation checks the whole
   * repository from a single-module build (tests run at the root) and from any module of a
   * multi-module one (tests run in the module's folder).
   *
   * @return the folder, or empty for the repository's root
   * @since 0.1.0
   */
  String value() default "";

  /**
   * A {@code gpukit.yaml} to use instead of the repository's own, relative to the working directory.
   *
   * @return the configuration file, or empty for the repository's own
   * @since 0.1.0
   */
  String config() default "";

  /**
   * The least severity that fails the test: {@code error}, {@code warning}, {@code info} or
   * {@code never}.
   *
   * @return the threshold, or empty for the configuration's {@code fail-on}
   * @since 0.1.0
   */
  String failOn() default "";
}

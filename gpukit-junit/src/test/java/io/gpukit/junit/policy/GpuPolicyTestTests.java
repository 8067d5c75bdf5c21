package io.gpukit.junit.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.gpukit.core.project.GpuProject;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** {@link GpuPolicyTest} through JUnit's EngineTestKit, on repositories written to a temporary folder. */
class GpuPolicyTestTests {

  static final String REPOSITORY = "gpukit.test.policy.repository";
  static final AtomicInteger RAN = new AtomicInteger();
  static final AtomicReference<GpuProject> INJECTED = new AtomicReference<>();

  /** Two stages, pinned, a numeric USER, the gpukit probe as HEALTHCHECK: a sound GPU image. */
  static final String DOCKERFILE =
      """
      FROM maven:3.9.11-eclipse-temurin-17 AS build
      WORKDIR /src
      RUN mvn -B package

      FROM eclipse-temurin:17.0.16_8-jre-noble
      COPY --from=build /src/target/app.jar /app/app.jar
      USER 10001:10001
      HEALTHCHECK CMD ["java", "-jar", "/opt/gpukit/gpukit-probe.jar"]
      ENTRYPOINT ["java", "-jar", "/app/app.jar"]
      """;

  /** A GPU Deployment whose readiness probe runs another program than the HEALTHCHECK (line 19). */
  static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: llm
      spec:
        replicas: 2
        strategy:
          rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
        template:
          spec:
            securityContext: {runAsNonRoot: true}
            nodeSelector: {nvidia.com/gpu.present: "true"}
            containers:
              - name: server
                image: ghcr.io/acme/llm:1.4.2
                resources:
                  limits: {nvidia.com/gpu: 1}
                readinessProbe:
                  exec:
                    command: [python3, /app/smoke_test.py]
                  timeoutSeconds: 2
                livenessProbe:
                  exec:
                    command: [java, -jar, /opt/gpukit/gpukit-probe.jar, --mode, liveness]
                  timeoutSeconds: 2
                  failureThreshold: 6
      """;

  @AfterEach
  void forget() {
    RAN.set(0);
    INJECTED.set(null);
  }

  static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  static Path sound(Path repo) throws IOException {
    write(repo.resolve("Dockerfile"), DOCKERFILE);
    return repo;
  }

  static Path unsound(Path repo) throws IOException {
    write(repo.resolve("Dockerfile"), DOCKERFILE);
    write(repo.resolve("k8s/deployment.yaml"), DEPLOYMENT);
    return repo;
  }

  /** A sound repository with one warning: a user name instead of a uid. */
  static Path warned(Path repo) throws IOException {
    write(repo.resolve("Dockerfile"), DOCKERFILE.replace("USER 10001:10001", "USER app"));
    return repo;
  }

  static Events run(Class<?> testCases, Path repository) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameters(Map.of(REPOSITORY, repository.toString()))
        .selectors(selectClass(testCases))
        .execute()
        .testEvents();
  }

  static List<Throwable> failures(Events events) {
    return events.failed().stream()
        .map(e -> e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElseThrow())
        .toList();
  }

  static List<String> reportEntries(Events events) {
    return events.reportingEntryPublished().stream()
        .map(e -> e.getPayload(ReportEntry.class).orElseThrow())
        .flatMap(entry -> entry.getKeyValuePairs().entrySet().stream())
        .filter(kv -> kv.getKey().equals("gpukit"))
        .map(Map.Entry::getValue)
        .toList();
  }

  @Nested
  class On_a_sound_repository {

    @Test
    void the_test_passes_and_its_body_runs(@TempDir Path repo) throws IOException {
      // when
      Events events = run(PolicyTestCases.class, sound(repo));

      // then
      assertThat(events.succeeded().count()).isEqualTo(1);
      assertThat(events.failed().count()).isZero();
      assertThat(RAN).hasValue(1);
    }

    @Test
    void the_project_is_injected(@TempDir Path repo) throws IOException {
      // when
      Events events = run(InjectingTestCases.class, sound(repo));

      // then
      assertThat(events.succeeded().count()).isEqualTo(1);
      assertThat(INJECTED.get().artifacts().dockerfiles()).singleElement()
          .satisfies(d -> assertThat(d.path()).isEqualTo(repo.resolve("Dockerfile")));
    }

    @Test
    void the_text_report_is_published(@TempDir Path repo) throws IOException {
      // when
      Events events = run(PolicyTestCases.class, sound(repo));

      // then
      assertThat(reportEntries(events)).singleElement().asString()
          .isEqualTo("No violations. 1 file checked: 0 errors, 0 warnings, 0 info\n");
    }

    @Test
    void a_meta_annotation_works_like_the_annotation(@TempDir Path repo) throws IOException {
      // when
      Events events = run(MetaAnnotatedTestCases.class, sound(repo));

      // then
      assertThat(events.succeeded().count()).isEqualTo(1);
      assertThat(RAN).hasValue(1);
    }
  }

  @Nested
  class On_an_unsound_repository {

    @Test
    void the_test_fails_listing_each_violation_as_file_line_with_its_hint(@TempDir Path repo) throws IOException {
      // when
      Events events = run(PolicyTestCases.class, unsound(repo));

      // then
      assertThat(failures(events)).singleElement().satisfies(failure -> {
        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(failure.getMessage())
            .contains("Expecting the GPU project", repo.toString(), "to break no gpukit rule at or above error, but it breaks 1:")
            .contains(repo.resolve("k8s/deployment.yaml") + ":19:13: error: Deployment/llm GPU container 'server': the"
                + " readinessProbe runs 'smoke_test.py' but the HEALTHCHECK of " + repo.resolve("Dockerfile")
                + ":8 runs 'gpukit-probe' [project/probe-matches-healthcheck]")
            .contains("    hint: exec: {command: [java, -jar, /opt/gpukit/gpukit-probe.jar]}")
            .endsWith("2 files checked: 1 error, 0 warnings, 0 info");
      });
      assertThat(RAN).hasValue(0);
    }

    @Test
    void the_configuration_can_turn_the_rule_off(@TempDir Path repo) throws IOException {
      // given
      write(unsound(repo).resolve("gpukit.yaml"), "severity:\n  project/probe-matches-healthcheck: off\n");

      // when
      Events events = run(PolicyTestCases.class, repo);

      // then
      assertThat(events.succeeded().count()).isEqualTo(1);
    }

    @Test
    void another_configuration_file_can_be_named(@TempDir Path repo) throws IOException {
      // given
      write(unsound(repo).resolve("ci/gpukit.yaml"), "severity:\n  project/probe-matches-healthcheck: warning\n");

      // when
      Events events = run(ConfiguredTestCases.class, repo);

      // then
      assertThat(events.succeeded().count()).isEqualTo(1);
      assertThat(reportEntries(events)).singleElement().asString().contains("[project/probe-matches-healthcheck]");
    }
  }

  @Nested
  class Thresholds {

    @Test
    void a_warning_passes_by_default_and_is_in_the_published_report(@TempDir Path repo) throws IOException {
      // when
      Events events = run(PolicyTestCases.class, warned(repo));

      // then
      assertThat(events.succeeded().count()).isEqualTo(1);
      assertThat(reportEntries(events)).singleElement().asString().contains(":7:1: warning: ", "[dockerfile/numeric-user]");
    }

    @Test
    void fail_on_warning_fails_on_it(@TempDir Path repo) throws IOException {
      // when
      Events events = run(StrictTestCases.class, warned(repo));

      // then
      assertThat(failures(events)).singleElement().extracting(Throwable::getMessage).asString()
          .contains("at or above warning", "[dockerfile/numeric-user]");
    }

    @Test
    void fail_on_never_passes_an_empty_folder_as_gpukit_check_fail_on_never_does(@TempDir Path repo) {
      // when
      Events events = run(NeverTestCases.class, repo);

      // then
      assertThat(events.succeeded().count()).isEqualTo(1);
      assertThat(reportEntries(events)).singleElement().asString()
          .contains("error: nothing to check in ", "[gpukit/nothing-to-check]");
    }
  }

  @Nested
  class Misuse {

    @Test
    void an_empty_folder_fails_instead_of_passing_unchecked(@TempDir Path repo) {
      // when
      Events events = run(PolicyTestCases.class, repo);

      // then
      assertThat(failures(events)).singleElement().satisfies(failure -> {
        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(failure.getMessage())
            .contains("to break no gpukit rule at or above error, but it breaks 1:", "[gpukit/nothing-to-check]")
            .contains("is the path right? Maven runs tests in the module's folder");
      });
      assertThat(RAN).hasValue(0);
    }

    @Test
    void an_empty_folder_passes_where_gpukit_yaml_turns_nothing_to_check_off(@TempDir Path repo) throws IOException {
      // given
      write(repo.resolve("gpukit.yaml"), "severity:\n  gpukit/nothing-to-check: off\n");

      // when
      Events events = run(PolicyTestCases.class, repo);

      // then
      assertThat(events.succeeded().count()).isEqualTo(1);
      assertThat(events.failed().count()).isZero();
      assertThat(RAN).hasValue(1);
    }

    @Test
    void a_missing_folder_is_a_configuration_error_naming_the_working_directory(@TempDir Path repo) {
      // when
      Events events = run(PolicyTestCases.class, repo.resolve("missing"));

      // then
      assertThat(failures(events)).singleElement().satisfies(failure -> {
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
        assertThat(failure.getMessage()).contains("no folder " + repo.resolve("missing"), "relative to the working directory",
            Path.of("").toAbsolutePath().toString());
      });
    }

    @Test
    void a_placeholder_without_a_value_is_a_configuration_error(@TempDir Path repo) throws IOException {
      // when
      Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(PolicyTestCases.class)).execute()
          .testEvents();

      // then
      assertThat(failures(events)).singleElement().satisfies(failure -> {
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
        assertThat(failure.getMessage()).contains("needs ${" + REPOSITORY + "}", "-D" + REPOSITORY + "=");
      });
    }

    @Test
    void an_unknown_threshold_is_a_configuration_error(@TempDir Path repo) throws IOException {
      // when
      Events events = run(BadThresholdTestCases.class, sound(repo));

      // then
      assertThat(failures(events)).singleElement().satisfies(failure -> {
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
        assertThat(failure.getMessage()).contains("failOn = \"severe\"", "error, warning, info or never");
      });
    }

    @Test
    void a_bad_gpukit_yaml_is_a_configuration_error_with_its_line(@TempDir Path repo) throws IOException {
      // given
      write(sound(repo).resolve("gpukit.yaml"), "fail-on: sometimes\n");

      // when
      Events events = run(PolicyTestCases.class, repo);

      // then
      assertThat(failures(events)).singleElement().satisfies(failure -> {
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
        assertThat(failure.getMessage()).contains("bad configuration", "gpukit.yaml:1:");
      });
    }
  }

  @Nested
  class Without_a_value {

    @Test
    void a_module_folder_checks_the_repository_it_is_in(@TempDir Path temp) throws IOException {
      // given: a repository with a .git folder, and a module two levels down
      Path root = Files.createDirectories(temp.resolve("service"));
      Files.createDirectories(root.resolve(".git"));
      Path module = Files.createDirectories(root.resolve("libs/scoring"));

      // when / then
      assertThat(GpuPolicyExtension.repositoryRoot(module).normalize()).isEqualTo(root.normalize());
      assertThat(GpuPolicyExtension.repositoryRoot(root)).isEqualTo(root);
    }

    @Test
    void a_worktree_whose_git_is_a_file_is_a_repository_too(@TempDir Path temp) throws IOException {
      // given
      Path root = Files.createDirectories(temp.resolve("worktree"));
      Files.writeString(root.resolve(".git"), "gitdir: /somewhere/else/.git/worktrees/worktree\n");
      Path module = Files.createDirectories(root.resolve("app"));

      // when / then
      assertThat(GpuPolicyExtension.repositoryRoot(module).normalize()).isEqualTo(root.normalize());
    }

    @Test
    void the_working_directory_is_relative_to_itself() {
      // given: Maven runs this module's tests in gpukit-junit/, a module of this repository
      Path root = GpuPolicyExtension.repositoryRoot(Path.of(""));

      // then: outside a checkout (a source archive) there is no .git, and the folder itself is used
      assertThat(root).isEqualTo(Files.exists(Path.of("..", ".git")) ? Path.of("..") : Path.of("."));
    }

    @Test
    void checks_this_repository_whole_from_the_modules_folder() {
      // given: Maven runs this module's tests in gpukit-junit/, and the annotation names no folder
      Assumptions.assumeTrue(Files.exists(Path.of("..", ".git")), "this build does not run in a git checkout of"
          + " gpukit (a source archive), so there is no repository root to find");

      // when
      Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(RepositoryRootTestCases.class))
          .execute().testEvents();

      // then: the repository's root is checked, with the workflows and Dockerfiles of every module
      assertThat(failures(events)).isEmpty();
      GpuProject project = INJECTED.get();
      assertThat(project.root()).isEqualTo(Path.of(".."));
      assertThat(project.artifacts().dockerfiles()).extracting(d -> d.path().normalize().toString())
          .contains(Path.of("..", "gpukit-examples", "Dockerfile").normalize().toString());
    }
  }

  @Test
  void events_name_the_test_method(@TempDir Path repo) throws IOException {
    // when
    Events events = run(PolicyTestCases.class, sound(repo));

    // then
    assertThat(events.succeeded().stream().map(Event::getTestDescriptor).map(d -> d.getDisplayName()))
        .containsExactly("the_repository_breaks_no_gpukit_rule()");
  }

  static class PolicyTestCases {

    @GpuPolicyTest("${" + REPOSITORY + "}")
    void the_repository_breaks_no_gpukit_rule() {
      RAN.incrementAndGet();
    }
  }

  static class InjectingTestCases {

    @GpuPolicyTest("${" + REPOSITORY + "}")
    void the_project_is_there(GpuProject project) {
      INJECTED.set(project);
    }
  }

  static class ConfiguredTestCases {

    @GpuPolicyTest(value = "${" + REPOSITORY + "}", config = "${" + REPOSITORY + "}/ci/gpukit.yaml")
    void checked_under_another_configuration() {
    }
  }

  static class StrictTestCases {

    @GpuPolicyTest(value = "${" + REPOSITORY + "}", failOn = "warning")
    void no_warning_either() {
    }
  }

  static class NeverTestCases {

    @GpuPolicyTest(value = "${" + REPOSITORY + "}", failOn = "never")
    void never_fails_on_findings() {
    }
  }

  static class BadThresholdTestCases {

    @GpuPolicyTest(value = "${" + REPOSITORY + "}", failOn = "severe")
    void misconfigured() {
    }
  }

  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @GpuPolicyTest("${" + REPOSITORY + "}")
  @interface ServicePolicy {
  }

  /** The README's example (there named GpuPolicyTests), compiled here and never run. */
  static class ReadmeExampleTestCases {

    @GpuPolicyTest // the repository the tests run in, from any module of it
    void the_service_breaks_no_gpukit_rule() {
    }

    @GpuPolicyTest(failOn = "warning")
    void the_deployment_is_checked_too(GpuProject project) {
      assertThat(project.artifacts().manifests()).isNotEmpty();
    }
  }

  static class RepositoryRootTestCases {

    @GpuPolicyTest(failOn = "never") // the findings are not this test's business: where it looked is
    void the_repository_is_found(GpuProject project) {
      INJECTED.set(project);
    }
  }

  static class MetaAnnotatedTestCases {

    @ServicePolicy
    void the_service_is_sound() {
      RAN.incrementAndGet();
    }
  }
}

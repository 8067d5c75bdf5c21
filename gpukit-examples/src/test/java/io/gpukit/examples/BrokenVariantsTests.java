package io.gpukit.examples;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.project.GpuProject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example broken one way at a time ({@code src/test/resources/fixtures/broken/<variant>}), each
 * caught by gpukit with the rule, the file and line, and words that say what is wrong. The variants
 * are copies of the example's own files with one line changed, so they cannot drift from it unseen.
 */
class BrokenVariantsTests {

  static final Path BROKEN = Path.of("src", "test", "resources", "fixtures", "broken");

  /**
   * One broken variant: where gpukit must point and what it must say; {@code alsoFiring} lists the
   * other rules the same break rightly trips (a single stage on {@code -devel} is also single-stage).
   */
  record Variant(String name, String file, int line, String ruleId, String fragment, Set<String> alsoFiring) {

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Variant> caughtToday() {
    return List.of(
        new Variant("curl-healthcheck", "Dockerfile", 49, "dockerfile/final-stage-healthcheck",
            "the HEALTHCHECK only checks HTTP/TCP ('curl -f http://localhost:8080/healthz'), not the GPU", Set.of()),
        new Variant("root-user", "Dockerfile", 47, "dockerfile/final-stage-non-root",
            "the final stage runs as root ('USER root')", Set.of()),
        new Variant("single-stage-devel", "Dockerfile", 4, "dockerfile/final-stage-not-toolchain",
            "'nvidia/cuda:13.0.1-devel-ubuntu24.04': a '-devel' image carries compilers and headers",
            Set.of("dockerfile/multi-stage")),
        new Variant("gpu-test-on-ubuntu-latest", ".github/workflows/ci.yml", 42, "workflow/gpu-job-on-gpu-runner",
            "job 'test' uses a GPU ('--gpus all' at line 56) but runs on GitHub-hosted [ubuntu-latest], which has no GPU",
            Set.of("workflow/gpu-test-job")),
        new Variant("push-not-gated", ".github/workflows/ci.yml", 65, "workflow/push-gated-on-main",
            "job 'push' pushes the image and can run for pull_request events", Set.of()),
        new Variant("max-surge-zero", "k8s/deployment.yaml", 28, "k8s/rollout-can-progress",
            "maxSurge '0' and maxUnavailable '0' may not both be 0; the API server rejects it", Set.of()),
        new Variant("missing-gpu-limit", "k8s/deployment.yaml", 49, "k8s/gpu-limits",
            "container 'scoring' uses a GPU (a probe runs a GPU probe) but sets no nvidia.com/gpu limit", Set.of()),
        new Variant("liveness-before-readiness", "k8s/deployment.yaml", 79, "k8s/liveness-more-tolerant",
            "liveness trips after 20 s but readiness after 30 s; liveness should be the more tolerant", Set.of()),
        new Variant("automatic-prod-gate", "promotion.yaml", 21, "promotion/prod-gate-manual",
            "stage 'prod' is gated only by automatic checks ('ci-green')", Set.of()),
        new Variant("agent-path-typo", "k8s/deployment.yaml", 73, "project/probe-files-in-image",
            "the readinessProbe loads the JVM agent /opt/gpukit/native/libgpukitprobe.so, which",
            Set.of()));
  }

  /** Every variant: the one-line breaks and the cross-file one, rollback commands of the wrong Deployment. */
  static List<Variant> allVariants() {
    List<Variant> all = new java.util.ArrayList<>(caughtToday());
    all.add(new Variant("rollback-wrong-deployment", "promotion.yaml", 26, "project/rollback-target-exists",
        "'kubectl rollout undo deployment/gpu-scorer -n gpu-scoring-prod' names Deployment 'gpu-scorer',"
            + " which the manifests do not define", Set.of()));
    return all;
  }

  static PolicyReport check(String variant) {
    Path folder = BROKEN.resolve(variant);
    return GpuProject.scan(folder, GpuKitConfig.defaults(folder)).report();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allVariants")
  void is_caught_with_the_rule_at_the_file_and_line(Variant variant) {
    // when
    PolicyReport report = check(variant.name());

    // then
    Path file = BROKEN.resolve(variant.name()).resolve(variant.file()).normalize();
    assertThat(report).hasViolation(variant.ruleId()).atLine(variant.line()).withMessageContaining(variant.fragment());
    assertThat(report.violationsOf(variant.ruleId()))
        .filteredOn(v -> v.location().file().normalize().equals(file) && v.location().line() == variant.line())
        .as(rendered(report))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains(variant.fragment()))
        .satisfies(v -> assertThat(v.hint()).as("a copy-paste fix").isNotBlank());
    assertThat(report.violations()).extracting(Violation::ruleId).as(rendered(report))
        .allMatch(id -> id.equals(variant.ruleId()) || variant.alsoFiring().contains(id));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("caughtToday")
  void breaks_one_line_of_the_example_or_is_a_written_counter_example(Variant variant) throws IOException {
    Path example = Path.of(variant.file());
    Path broken = BROKEN.resolve(variant.name()).resolve(variant.file());
    if (variant.name().equals("single-stage-devel")) {
      // written from scratch: the one-stage shape is the break
      assertThat(Files.readString(broken)).contains("FROM ${CUDA_IMAGE}").doesNotContain(" AS ");
      return;
    }
    Change change = change(Files.readAllLines(example), Files.readAllLines(broken));
    assertThat(change.isOneLine()).as("%s against %s: %s", broken, example, change).isTrue();
  }

  /** The lines of the example that a variant drops or replaces, and those it puts there. */
  record Change(List<String> removed, List<String> added) {

    /** One line replaced, removed or added: the rest of the file is the example's. */
    boolean isOneLine() {
      return removed.size() <= 1 && added.size() <= 1 && removed.size() + added.size() >= 1;
    }
  }

  /** Sets aside the lines both files start and end with; what is left is the change. */
  static Change change(List<String> example, List<String> broken) {
    int start = 0;
    while (start < example.size() && start < broken.size() && example.get(start).equals(broken.get(start))) {
      start++;
    }
    int endExample = example.size();
    int endBroken = broken.size();
    while (endExample > start && endBroken > start && example.get(endExample - 1).equals(broken.get(endBroken - 1))) {
      endExample--;
      endBroken--;
    }
    return new Change(List.copyOf(example.subList(start, endExample)), List.copyOf(broken.subList(start, endBroken)));
  }

  private static String rendered(PolicyReport report) {
    return report.violations().stream().map(Violation::render).collect(Collectors.joining("\n"));
  }

  /** The variant whose break only shows against the image: it carries the example's Dockerfile as it is. */
  @Test
  void the_agent_path_typo_carries_the_examples_own_dockerfile() throws IOException {
    assertThat(BROKEN.resolve("agent-path-typo").resolve("Dockerfile")).hasSameTextualContentAs(Path.of("Dockerfile"));
  }

  /**
   * The cross-file variant: rollback commands, in the flow and in the runbook, that name another
   * Deployment than {@code k8s/deployment.yaml} defines; the manifests themselves are the example's.
   */
  @Nested
  class Rollback_of_the_wrong_deployment {

    private final Path variant = BROKEN.resolve("rollback-wrong-deployment");

    @Test
    void renames_only_the_deployment_its_rollback_commands_undo() throws IOException {
      // when
      Change promotion = change(Files.readAllLines(Path.of("promotion.yaml")),
          Files.readAllLines(variant.resolve("promotion.yaml")));
      Change runbook = change(Files.readAllLines(Path.of("ROLLBACK.md")), Files.readAllLines(variant.resolve("ROLLBACK.md")));

      // then
      assertThat(promotion.added()).hasSize(3).allMatch(line -> line.contains("deployment/gpu-scorer "));
      assertThat(runbook.added()).filteredOn(line -> line.contains("kubectl")).hasSize(3)
          .allMatch(line -> line.contains("deployment/gpu-scorer "));
      assertThat(Files.readString(variant.resolve("k8s/deployment.yaml")))
          .isEqualTo(Files.readString(Path.of("k8s/deployment.yaml")));
    }

    @Test
    void is_caught_in_the_runbook_too() {
      // when
      PolicyReport report = check("rollback-wrong-deployment");

      // then
      assertThat(report.violationsOf("project/rollback-target-exists"))
          .anySatisfy(v -> assertThat(v.location().file().getFileName()).hasToString("ROLLBACK.md"));
    }
  }
}

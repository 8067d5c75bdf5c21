package io.gpukit.core.workflow;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.PolicyEngine;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden fixtures: {@code fixtures/workflow/ok/*.yml} must yield no violations; {@code err/x.yml}
 * must yield exactly the rendered violations in {@code err/x.out}. Run with {@code
 * -Dgpukit.fixtures.update=true} to rewrite the {@code .out} files, then review the diff.
 */
class WorkflowRuleFixturesTests {

  private static final boolean UPDATE = Boolean.getBoolean("gpukit.fixtures.update");

  static Path fixtures(String kind) {
    try {
      return Path.of(WorkflowRuleFixturesTests.class.getResource("/fixtures/workflow/" + kind).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Path> files(String kind) {
    try (Stream<Path> s = Files.list(fixtures(kind))) {
      return s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Path> ok() {
    return files("ok");
  }

  static Stream<Path> err() {
    return files("err");
  }

  private static PolicyReport check(Path fixture) throws IOException {
    String text = Files.readString(fixture, StandardCharsets.UTF_8);
    return PolicyEngine.withDefaults().evaluate(SourceFile.of(fixture.getFileName(), text), WorkflowKind.INSTANCE);
  }

  private static List<String> rendered(PolicyReport report) {
    return report.violations().stream().map(Violation::render).toList();
  }

  @ParameterizedTest(name = "ok/{0}")
  @MethodSource("ok")
  void ok_fixtures_break_no_rule(Path fixture) throws IOException {
    assertThat(check(fixture)).hasNoViolations();
  }

  @ParameterizedTest(name = "err/{0}")
  @MethodSource("err")
  void err_fixtures_break_exactly_the_rules_in_their_out_file(Path fixture) throws IOException {
    // given
    Path expectedFile = fixture.resolveSibling(fixture.getFileName().toString().replaceAll("\\.ya?ml$", ".out"));
    List<String> actual = rendered(check(fixture));
    if (UPDATE) {
      Files.write(source(expectedFile), actual, StandardCharsets.UTF_8);
    }

    // then
    assertThat(expectedFile).as("expected violations of %s", fixture.getFileName()).exists();
    assertThat(actual).containsExactlyElementsOf(Files.readAllLines(expectedFile, StandardCharsets.UTF_8));
    assertThat(actual).as("an err fixture must break at least one rule").isNotEmpty();
  }

  @Test
  void every_rule_is_broken_by_some_err_fixture() throws IOException {
    // given
    Set<String> fired = new HashSet<>();
    for (Path fixture : err().toList()) {
      check(fixture).violations().forEach(v -> fired.add(v.ruleId()));
    }

    // then
    assertThat(fired).containsAll(WorkflowRules.ALL.stream().map(Rule::id).toList());
  }

  /** The .out file in src/test/resources, so updates land in the source tree. */
  private static Path source(Path inTarget) {
    String s = inTarget.toString().replace("/target/test-classes/", "/src/test/resources/");
    return Path.of(s);
  }
}

package io.gpukit.core.project;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.Rule;
import io.gpukit.core.policy.Violation;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden fixtures of the project view: each folder under {@code fixtures/project/ok} is a small
 * repository that breaks no rule, per-file or cross-file; each folder {@code err/x} breaks exactly
 * the rules rendered (with their hints) in {@code err/x.out}, paths relative to the folder. Run
 * with {@code -Dgpukit.fixtures.update=true} to rewrite the {@code .out} files, then review them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectRuleFixturesTests {

  private static final boolean UPDATE = Boolean.getBoolean("gpukit.fixtures.update");

  private static Path folder(String okOrErr) {
    try {
      return Path.of(ProjectRuleFixturesTests.class.getResource("/fixtures/project/" + okOrErr).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Stream<Path> repositories(String okOrErr) {
    try (Stream<Path> s = Files.list(folder(okOrErr))) {
      return s.filter(Files::isDirectory).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Stream<Path> ok() {
    return repositories("ok");
  }

  Stream<Path> err() {
    return repositories("err");
  }

  /** The violations with their hints, one line each, paths relative to the repository. */
  private static List<String> rendered(Path repository) {
    String prefix = repository + File.separator;
    List<String> out = new ArrayList<>();
    for (Violation v : GpuProject.scan(repository).violations()) {
      v.renderWithHint().replace(prefix, "").lines().forEach(out::add);
    }
    return out;
  }

  @ParameterizedTest(name = "ok/{0}")
  @MethodSource("ok")
  void ok_repositories_break_no_rule(Path repository) {
    // when
    GpuProject project = GpuProject.scan(repository);

    // then
    assertThat(project).hasNoViolations();
    assertThat(project.artifacts().files()).as("artifacts found in %s", repository).isNotEmpty();
  }

  @ParameterizedTest(name = "err/{0}")
  @MethodSource("err")
  void err_repositories_break_exactly_the_rules_in_their_out_file(Path repository) throws IOException {
    // given
    Path expectedFile = repository.resolveSibling(repository.getFileName() + ".out");
    List<String> actual = rendered(repository);
    if (UPDATE) {
      Files.write(source(expectedFile), actual, StandardCharsets.UTF_8);
    }

    // then
    assertThat(expectedFile).as("expected violations of %s", repository.getFileName()).exists();
    assertThat(actual).containsExactlyElementsOf(Files.readAllLines(expectedFile, StandardCharsets.UTF_8));
    assertThat(actual).as("an err fixture must break at least one rule").isNotEmpty();
  }

  @Test
  void every_project_rule_is_broken_by_some_err_repository() {
    // given
    Set<String> fired = new HashSet<>();
    err().forEach(repository -> GpuProject.scan(repository).violations().forEach(v -> fired.add(v.ruleId())));

    // then
    assertThat(fired).containsAll(ProjectRules.ALL.stream().map(Rule::id).toList());
  }

  /** The .out file in src/test/resources, so updates land in the source tree. */
  private static Path source(Path inTarget) {
    return Path.of(inTarget.toString().replace("/target/test-classes/", "/src/test/resources/"));
  }
}

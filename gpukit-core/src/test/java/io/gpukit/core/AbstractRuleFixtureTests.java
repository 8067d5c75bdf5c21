package io.gpukit.core;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.FileKind;
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
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden fixtures, one subclass per file kind: {@code fixtures/<format>/ok/*} must yield no
 * violations; {@code err/x.<ext>} must yield exactly the rendered violations in {@code err/x.out};
 * every rule of the kind must be broken by some err fixture. Run with {@code
 * -Dgpukit.fixtures.update=true} to rewrite the {@code .out} files, then review the diff.
 *
 * @param <T> the parsed model
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractRuleFixtureTests<T> {

  private static final boolean UPDATE = Boolean.getBoolean("gpukit.fixtures.update");

  /** The folder under {@code fixtures/}, e.g. {@code dockerfile}. */
  protected abstract String format();

  /** The file names that are fixtures, e.g. {@code \\.Dockerfile$}. */
  protected abstract Pattern fixtureName();

  /** How fixtures are parsed and which rules apply. */
  protected abstract FileKind<T> kind();

  private Path folder(String okOrErr) {
    try {
      return Path.of(getClass().getResource("/fixtures/" + format() + "/" + okOrErr).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private Stream<Path> files(String okOrErr) {
    try (Stream<Path> s = Files.list(folder(okOrErr))) {
      return s.filter(p -> fixtureName().matcher(p.getFileName().toString()).find()).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Stream<Path> ok() {
    return files("ok");
  }

  Stream<Path> err() {
    return files("err");
  }

  private PolicyReport check(Path fixture) throws IOException {
    String text = Files.readString(fixture, StandardCharsets.UTF_8);
    return PolicyEngine.withDefaults().evaluate(SourceFile.of(fixture.getFileName(), text), kind());
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
    String name = fixture.getFileName().toString();
    Path expectedFile = fixture.resolveSibling(fixtureName().matcher(name).replaceFirst("") + ".out");
    List<String> actual = check(fixture).violations().stream().map(Violation::render).toList();
    if (UPDATE) {
      Files.write(source(expectedFile), actual, StandardCharsets.UTF_8);
    }

    // then
    assertThat(expectedFile).as("expected violations of %s", name).exists();
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
    assertThat(fired).containsAll(kind().rules().stream().map(Rule::id).toList());
  }

  /** The .out file in src/test/resources, so updates land in the source tree. */
  private static Path source(Path inTarget) {
    return Path.of(inTarget.toString().replace("/target/test-classes/", "/src/test/resources/"));
  }
}

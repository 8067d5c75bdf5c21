package io.gpukit.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.BuiltInRules;
import io.gpukit.core.policy.RuleDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every rule id that the documentation, the javadoc and the example service name is a rule: a user
 * who copies one into {@code gpukit.yaml} or a {@code gpukit-ignore} comment gets that rule, never
 * {@code gpukit/unknown-rule}.
 */
class DocumentedRuleIdsTests {

  private static final Path ROOT = Path.of("..");

  /** A rule id in running text: a kind, a slash and a dashed name, not part of a path or a URL. */
  private static final Pattern RULE_ID = Pattern.compile(
      "(?<![\\w./@:-])(dockerfile|workflow|k8s|promotion|project|gpukit)/[a-z0-9]+(?:-[a-z0-9]+)*(?![\\w/@-])(?!\\.\\w)");

  /** Where a user reads rule ids: documentation, main code's javadoc and messages, the example. */
  private static boolean documents(Path file) {
    String path = ROOT.relativize(file).toString().replace('\\', '/');
    if (path.contains("/target/") || path.startsWith(".git/") || path.contains("/node_modules/")
        || path.contains("/src/test/")) {
      return false;
    }
    String name = file.getFileName().toString();
    return name.endsWith(".md")
        || (path.contains("/src/main/") && name.endsWith(".java"))
        || (path.startsWith("gpukit-examples/") && !path.contains("/src/test/"))
        || name.equals("action.yml");
  }

  /** Ids that are meant not to exist: the misspelt id {@code gpukit/unknown-rule}'s own example shows. */
  private static Set<String> deliberatelyUnknown() {
    Matcher m = RULE_ID.matcher(BuiltInRules.UNKNOWN_RULE.failingExample());
    Set<String> ids = new HashSet<>();
    while (m.find()) {
      ids.add(m.group());
    }
    return ids;
  }

  @Test
  void every_rule_id_named_in_docs_javadoc_and_the_example_is_a_rule() throws IOException {
    // given
    Set<String> known = ArtifactKind.allRules().stream().map(RuleDescriptor::id).collect(Collectors.toSet());
    Set<String> allowed = deliberatelyUnknown();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(ROOT.normalize().toAbsolutePath())) {
      files = walk.filter(Files::isRegularFile).map(p -> ROOT.resolve(ROOT.toAbsolutePath().normalize().relativize(p)))
          .filter(DocumentedRuleIdsTests::documents).sorted().toList();
    }

    // when
    List<String> unknown = new ArrayList<>();
    int named = 0;
    for (Path file : files) {
      List<String> lines = readLines(file);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = RULE_ID.matcher(lines.get(i));
        while (m.find()) {
          String id = m.group();
          if (id.matches("gpukit/v\\d+") || id.equals("gpukit/gpukit")) {
            continue; // the SARIF fingerprint's version and the GitHub Action's repository, not rules
          }
          named++;
          if (!known.contains(id) && !allowed.contains(id)) {
            unknown.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + id);
          }
        }
      }
    }

    // then
    assertThat(named).as("rule ids found in %s files (the scan must see the README and the javadoc)", files.size())
        .isGreaterThan(100);
    assertThat(unknown).as("rule ids that name no rule").isEmpty();
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (MalformedInputException e) {
      return List.of(); // a binary file of the example (an image), not documentation
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

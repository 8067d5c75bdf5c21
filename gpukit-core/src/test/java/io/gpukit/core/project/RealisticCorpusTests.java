package io.gpukit.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.RuleDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The realistic corpus: small repositories under {@code fixtures/corpus/<name>/} in the shape of
 * real GPU projects (GPU services beside database sidecars, docs builders, linters, base images,
 * export stages, runner groups, matrix legs, placeholders, AMD GPUs), each with the findings a
 * careful reviewer expects in {@code <name>.expected} and its Dockerfiles and manifests marked
 * {@code gpu} or {@code not-gpu} in {@code <name>.scope}.
 *
 * <p>gpukit does not match the truth yet; {@code <name>.deviations} says where, one {@code fp} (gpukit
 * reports it, the truth does not) or {@code miss} (the truth has it, gpukit does not) a line. The
 * test holds gpukit to exactly {@code truth − misses + fps}, so every change of its output on the
 * corpus shows up here: a fixed false positive or miss is a line to delete, a new one a line to
 * justify. Run with {@code -Dgpukit.corpus.update=true} to rewrite the deviations files from
 * gpukit's output (reasons after {@code --} are kept), then review them. The measurement (per rule
 * TP, FP, FN, precision and recall; findings of GPU rules on not-gpu files) goes to {@code
 * target/corpus-report.txt} and stdout.
 */
class RealisticCorpusTests {

  private static final boolean UPDATE = Boolean.getBoolean("gpukit.corpus.update");

  /** Rule ids the truth may use before gpukit has them: the rules issue 11 adds. */
  private static final Set<String> PENDING_RULES = Set.of("k8s/gpu-job-deadline");

  private static Path corpus() {
    try {
      return Path.of(RealisticCorpusTests.class.getResource("/fixtures/corpus").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<CorpusRepository> repositories() {
    try (Stream<Path> s = Files.list(corpus())) {
      return s.filter(Files::isDirectory).sorted().map(CorpusRepository::new).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CorpusFindings actual(CorpusRepository repository) {
    GpuProject project = GpuProject.scan(repository.folder());
    return CorpusFindings.of(repository.folder(), project.violations());
  }

  @Nested
  class The_corpus {

    @Test
    void has_at_least_ten_repositories_and_sixty_files() throws IOException {
      // given
      List<CorpusRepository> all = repositories().toList();
      long files;
      try (Stream<Path> s = Files.walk(corpus())) {
        files = s.filter(Files::isRegularFile)
            .filter(f -> all.stream().anyMatch(r -> f.startsWith(r.folder())))
            .count();
      }

      // then
      assertThat(all).hasSizeGreaterThanOrEqualTo(10);
      assertThat(files).isGreaterThanOrEqualTo(60);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.gpukit.core.project.RealisticCorpusTests#repositories")
    void truth_files_are_sorted_and_name_known_rules(CorpusRepository repository) {
      // given
      List<String> lines = repository.expectedLines();
      Set<String> known = new TreeSet<>(PENDING_RULES);
      GpuProject.allRules().stream().map(RuleDescriptor::id).forEach(known::add);

      // then
      assertThat(lines).as("%s: one 'path:LINE rule-id' a line", repository.expectedFile().getFileName())
          .allMatch(l -> CorpusRepository.ENTRY.matcher(l).matches());
      assertThat(lines).as("%s is sorted", repository.expectedFile().getFileName()).isSorted();
      assertThat(lines).extracting(CorpusFindings::ruleId).allMatch(known::contains, "a rule gpukit has, or one issue 11 adds");
      assertThat(lines).extracting(CorpusFindings::path)
          .allMatch(p -> Files.isRegularFile(repository.folder().resolve(p)), "a file of the repository");
    }
  }

  @Nested
  class Findings {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.gpukit.core.project.RealisticCorpusTests#repositories")
    void gpukit_reports_the_truth_except_for_the_listed_deviations(CorpusRepository repository) throws IOException {
      // given
      CorpusFindings truth = repository.expected();
      CorpusFindings actual = actual(repository);
      if (UPDATE) {
        writeDeviations(repository, truth, actual);
      }

      // when
      CorpusFindings misses = repository.misses();
      CorpusFindings fps = repository.falsePositives();

      // then
      assertThat(truth.common(misses).entries()).as("every miss of %s is a finding of its truth", repository.name())
          .containsExactlyElementsOf(misses.entries());
      assertThat(truth.common(fps).entries()).as("no false positive of %s is a finding of its truth", repository.name())
          .isEmpty();
      assertThat(actual.entries())
          .as("gpukit on %s: truth − misses + fps (rewrite %s with -Dgpukit.corpus.update=true, then review it)",
              repository.name(), repository.deviationsFile().getFileName())
          .containsExactlyElementsOf(truth.minus(misses).plus(fps).entries());
    }
  }

  @Nested
  class Scope {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.gpukit.core.project.RealisticCorpusTests#repositories")
    void lists_every_dockerfile_and_manifest_gpukit_reads_and_only_files_that_exist(CorpusRepository repository) {
      // given
      Map<String, Boolean> scope = repository.scope();
      List<String> read = new ArrayList<>();
      GpuProject.scan(repository.folder()).artifacts().files().forEach((file, kind) -> {
        if (kind == ArtifactKind.DOCKERFILE || kind == ArtifactKind.KUBERNETES) {
          read.add(CorpusFindings.relative(repository.folder(), file));
        }
      });

      // then
      assertThat(scope.keySet()).as("%s lists every Dockerfile and manifest", repository.scopeFile().getFileName())
          .containsAll(read);
      assertThat(scope.keySet()).as("%s names files of the repository", repository.scopeFile().getFileName())
          .allMatch(p -> Files.isRegularFile(repository.folder().resolve(p)));
    }
  }

  @Nested
  class Measurement {

    @Test
    void reports_precision_and_recall_per_rule_and_gpu_findings_on_not_gpu_files() throws IOException {
      // given
      CorpusReport report = new CorpusReport();
      repositories().forEach(r -> {
        GpuProject project = GpuProject.scan(r.folder());
        report.add(new CorpusReport.Measured(r, r.expected(), CorpusFindings.of(r.folder(), project.violations()),
            project.artifacts().files().size()));
      });

      // when
      String rendered = report.render();
      Path target = corpus().getParent().getParent().getParent().resolve("corpus-report.txt");
      Files.writeString(target, rendered, StandardCharsets.UTF_8);
      System.out.println(rendered);

      // then
      int[] total = report.counts(null);
      assertThat(total[0] + total[2]).as("the truth has findings to measure recall on").isPositive();
      assertThat(report.gpuRuleFindingsOnNotGpuFiles())
          .as("GPU-rule findings on not-gpu files are among the listed false positives")
          .allMatch(e -> isListedFalsePositive(e));
      assertThat(rendered).contains("findings of GPU rules on not-gpu files: ");
    }

    private boolean isListedFalsePositive(String repositoryAndEntry) {
      String name = repositoryAndEntry.substring(0, repositoryAndEntry.indexOf('/'));
      String entry = repositoryAndEntry.substring(name.length() + 1);
      return repositories().filter(r -> r.name().equals(name)).anyMatch(r -> r.falsePositives().entries().contains(entry));
    }
  }

  /** Rewrites the deviations file in src/test/resources from gpukit's output, keeping the reasons of lines that stay. */
  private static void writeDeviations(CorpusRepository repository, CorpusFindings truth, CorpusFindings actual)
      throws IOException {
    Map<String, String> reasons = repository.deviationReasons();
    List<String> lines = new ArrayList<>();
    lines.add("# Where gpukit differs from " + repository.name() + ".expected today; rewritten by");
    lines.add("# -Dgpukit.corpus.update=true. fp: gpukit reports it, the truth does not. miss: the truth has it, gpukit does not.");
    for (String fp : actual.minus(truth).entries()) {
      lines.add(withReason("fp " + fp, reasons));
    }
    for (String miss : truth.minus(actual).entries()) {
      lines.add(withReason("miss " + miss, reasons));
    }
    Files.write(source(repository.deviationsFile()), lines, StandardCharsets.UTF_8);
    Files.write(repository.deviationsFile(), lines, StandardCharsets.UTF_8);
  }

  private static String withReason(String line, Map<String, String> reasons) {
    String reason = reasons.get(line);
    return reason == null ? line : line + " -- " + reason;
  }

  /** The file in src/test/resources, so updates land in the source tree. */
  private static Path source(Path inTarget) {
    return Path.of(inTarget.toString().replace("/target/test-classes/", "/src/test/resources/"));
  }
}

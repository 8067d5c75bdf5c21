package io.gpukit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.policy.Baseline;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.project.GpuProject;
import io.gpukit.core.report.ReportFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scale benchmark's repository is what it claims to be, and its report does not depend on threads. */
class ScaleRepositoryTests {

  @TempDir Path dir;

  @Nested
  class Generating {

    @Test
    void writes_four_files_per_service_and_the_same_bytes_for_the_same_seed() throws IOException {
      // given
      ScaleRepository first = ScaleRepository.ofFiles(300, 7);
      ScaleRepository second = ScaleRepository.ofFiles(300, 7);

      // when
      int written = first.writeTo(dir.resolve("a"));
      second.writeTo(dir.resolve("b"));

      // then
      assertThat(written).isEqualTo(300 - 300 % ScaleRepository.FILES_PER_SERVICE);
      assertThat(contents(dir.resolve("a"))).isEqualTo(contents(dir.resolve("b")));
      assertThat(first.seeded()).isEqualTo(second.seeded()).isNotEmpty();
    }

    @Test
    void another_seed_seeds_other_defects() {
      // given
      ScaleRepository one = ScaleRepository.ofFiles(1000, 1);
      ScaleRepository other = ScaleRepository.ofFiles(1000, 2);

      // when
      one.writeTo(dir.resolve("one"));
      other.writeTo(dir.resolve("other"));

      // then
      assertThat(one.seeded()).isNotEqualTo(other.seeded());
    }

    @Test
    void the_manifest_lists_every_seeded_defect_by_rule_and_file() throws IOException {
      // given
      ScaleRepository repository = ScaleRepository.ofFiles(400, 15);
      repository.writeTo(dir.resolve("repo"));

      // when
      repository.writeManifest(dir.resolve("seeded-defects.tsv"));

      // then
      List<String> lines = Files.readAllLines(dir.resolve("seeded-defects.tsv"));
      assertThat(lines.get(0)).startsWith("# seeded defects: services=100 files=400 seed=15");
      assertThat(lines.subList(1, lines.size()))
          .containsExactlyElementsOf(repository.seeded().stream().map(s -> s.ruleId() + "\t" + s.file()).toList());
    }

    @Test
    void a_missing_option_value_is_refused_with_its_name() {
      assertThatThrownBy(() -> ScaleRepository.main(new String[] {"--files"}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--files needs a value");
    }
  }

  @Nested
  class Checking {

    @Test
    void finds_exactly_the_seeded_defects_and_nothing_else() {
      // given
      ScaleRepository repository = ScaleRepository.ofFiles(1000, 15);
      repository.writeTo(dir);

      // when
      PolicyReport report = GpuProject.scan(dir, GpuKitConfig.defaults()).report();

      // then
      Map<String, Integer> found = new TreeMap<>();
      report.violations().forEach(v -> found.merge(v.ruleId(), 1, Integer::sum));
      assertThat(found).isEqualTo(repository.expectedCounts());
      assertThat(report.violations().stream().map(v -> relative(v)).sorted().toList())
          .isEqualTo(repository.seeded().stream().map(ScaleRepository.Seeded::file).sorted().toList());
      assertThat(report.files()).hasSize(1000);
    }

    @Test
    void the_report_is_byte_identical_on_one_two_and_eight_threads() {
      // given
      ScaleRepository.ofFiles(300, 15).writeTo(dir);

      // when
      List<Map<ReportFormat, String>> reports = Stream.of(1, 2, 8)
          .map(threads -> GpuProject.scan(dir, GpuKitConfig.defaults(), Baseline.empty(), threads).report())
          .map(ScaleRepositoryTests::rendered)
          .toList();

      // then
      assertThat(reports.get(0).get(ReportFormat.JSON)).contains("\"ruleId\"");
      assertThat(reports.get(1)).isEqualTo(reports.get(0));
      assertThat(reports.get(2)).isEqualTo(reports.get(0));
    }

    @Test
    void a_thread_count_below_one_is_refused() {
      assertThatThrownBy(() -> GpuProject.scan(dir, GpuKitConfig.defaults(), Baseline.empty(), 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("threads must be at least 1");
    }

    private String relative(Violation v) {
      return dir.toAbsolutePath().relativize(v.location().file().toAbsolutePath()).toString().replace('\\', '/');
    }
  }

  private static Map<ReportFormat, String> rendered(PolicyReport report) {
    Map<ReportFormat, String> out = new TreeMap<>();
    for (ReportFormat format : List.of(ReportFormat.TEXT, ReportFormat.JSON, ReportFormat.SARIF)) {
      StringWriter w = new StringWriter();
      try {
        format.writer().write(report, w);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.put(format, w.toString());
    }
    return out;
  }

  private static Map<String, String> contents(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(f).toString(), Files.readString(f));
      }
    }
    return out;
  }
}

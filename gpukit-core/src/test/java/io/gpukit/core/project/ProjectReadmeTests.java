package io.gpukit.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.report.ReportFormat;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "The project view" section stays in step with the rules, the configuration and the output. */
class ProjectReadmeTests {

  private static final Path README = Path.of("..", "README.md");

  private static String section() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int start = readme.indexOf("### The project view");
    assertThat(start).as("the README has a 'The project view' section").isNotNegative();
    int end = readme.indexOf("\n### ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  private static String block(String section, String language) {
    Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(section);
    assertThat(m.find()).as("a %s block in the section", language).isTrue();
    return m.group(1);
  }

  @Test
  void the_table_lists_every_project_rule_with_its_severity() throws IOException {
    // given
    List<String> rows = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^\\| `(project/[a-z-]+)` \\| (error|warning|info) \\|").matcher(section());
    while (m.find()) {
      rows.add(m.group(1) + " " + m.group(2));
    }

    // then
    assertThat(rows).containsExactlyInAnyOrderElementsOf(
        ProjectRules.descriptors().stream().map(r -> r.id() + " " + r.severity().label()).toList());
  }

  @Test
  void the_configuration_example_is_valid(@TempDir Path folder) throws IOException {
    // given
    Path file = Files.writeString(folder.resolve("gpukit.yaml"), block(section(), "yaml"));

    // when
    GpuKitConfig config = GpuKitConfig.load(file);

    // then
    assertThat(config.projectPaths("dockerfiles")).hasSize(1);
    assertThat(config.projectPaths("manifests")).hasSize(1);
    assertThat(config.projectPaths("promotion")).hasSize(2);
  }

  @Test
  void the_sample_report_is_what_gpukit_prints(@TempDir Path folder) throws IOException {
    // given: the image-repository fixture, its readiness probe running the smoke test
    TestRepository repo = TestRepository.copyOf("err/image-repository", folder).replace("k8s/deployment.yaml",
        "command: [java, -jar, /opt/gpukit/gpukit-probe.jar, --mode, readiness]", "command: [python3, /app/smoke_test.py]");

    // when
    String text = ReportFormat.TEXT.writer().render(repo.scan().report()).replace(folder + File.separator, "");

    // then
    assertThat(block(section(), "text")).isEqualTo(text);
  }
}

package io.gpukit.maven;

import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.project.GpuProject;
import io.gpukit.core.project.ReportViews;
import io.gpukit.core.report.HtmlReportWriter;
import io.gpukit.core.report.ReportFormat;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The report files the {@code formats} parameter asks for, each under the output folder with a
 * fixed name: {@code gpukit.sarif}, {@code gpukit.json}, {@code gpukit-junit.xml},
 * {@code gpukit.txt}, {@code gpukit.html}. The console gets the text report whatever is asked.
 */
record ReportFiles(Set<ReportFormat> formats) {

  ReportFiles {
    formats = Set.copyOf(formats);
  }

  /**
   * Parses the parameter's values; each may itself be a comma-separated list ({@code
   * -Dgpukit.formats=sarif,json}); blanks are ignored.
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  static ReportFiles parse(List<String> values) {
    Set<ReportFormat> formats = new LinkedHashSet<>();
    if (values != null) {
      for (String value : values) {
        for (String name : value == null ? new String[0] : value.split(",")) {
          if (!name.isBlank()) {
            try {
              formats.add(ReportFormat.fromName(name));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("formats: " + e.getMessage(), e);
            }
          }
        }
      }
    }
    return new ReportFiles(formats);
  }

  /** The file a format is written to under {@code folder}. */
  static Path fileOf(Path folder, ReportFormat format) {
    return folder.resolve(switch (format) {
      case TEXT -> "gpukit.txt";
      case JSON -> "gpukit.json";
      case SARIF -> "gpukit.sarif";
      case JUNIT -> "gpukit-junit.xml";
      case HTML -> "gpukit.html";
    });
  }

  /**
   * Writes each asked format of the report under {@code folder}, in a stable order.
   *
   * @return the files written
   * @throws IOException when the folder or a file cannot be written
   */
  List<Path> write(PolicyReport report, Path folder) throws IOException {
    return write(report, Optional.empty(), Optional.empty(), folder);
  }

  /**
   * Writes each asked format under {@code folder}; the HTML page also shows what the project view
   * read (the four layers, promotion flows, rollout charts), as {@code gpukit check --format html}
   * does.
   *
   * @param project the project the report was made of, if any
   * @param failOn the threshold the page's verdict is judged against
   * @return the files written
   * @throws IOException when the folder or a file cannot be written
   */
  List<Path> write(PolicyReport report, Optional<GpuProject> project, Optional<Severity> failOn, Path folder)
      throws IOException {
    List<Path> written = new ArrayList<>();
    if (formats.isEmpty()) {
      return written;
    }
    Files.createDirectories(folder);
    for (ReportFormat format : ReportFormat.values()) {
      if (formats.contains(format)) {
        Path file = fileOf(folder, format);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          if (format == ReportFormat.HTML) {
            new HtmlReportWriter().write(ReportViews.html(report, project.stream().toList(), failOn), w);
          } else {
            format.writer().write(report, w);
          }
        }
        written.add(file);
      }
    }
    return written;
  }
}

package io.gpukit.maven;

import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceLocation;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks the module's GPU container artifacts as {@code gpukit check} does, prints the findings,
 * writes the asked report files, and fails the build when a finding reaches {@code failOn}.
 *
 * @since 0.1.0
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class CheckMojo extends AbstractGpuKitMojo {

  /**
   * Report files to write besides the console text: {@code sarif}, {@code json}, {@code junit},
   * {@code html} (or {@code text}), as {@code gpukit.sarif}, {@code gpukit.json}, {@code
   * gpukit-junit.xml}, {@code gpukit.html}, {@code gpukit.txt} under {@code outputDirectory}.
   */
  @Parameter(property = "gpukit.formats")
  List<String> formats;

  /** Where the report files go. */
  @Parameter(property = "gpukit.outputDirectory", defaultValue = "${project.build.directory}/gpukit", required = true)
  File outputDirectory;

  @Override
  String goal() {
    return "check";
  }

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skipped()) {
      return;
    }
    CheckRun run = request();
    ReportFiles files;
    CheckRun.Outcome outcome;
    try {
      files = ReportFiles.parse(formats);
      outcome = run.check();
    } catch (IllegalArgumentException | CheckRun.UsageException e) {
      throw new MojoExecutionException("gpukit: " + e.getMessage(), e);
    }
    Log log = getLog();
    for (Violation v : outcome.report().violations()) {
      for (String line : Findings.consoleLines(v)) {
        switch (v.severity()) {
          case ERROR -> log.error(line);
          case WARNING -> log.warn(line);
          case INFO -> log.info(line);
        }
      }
    }
    log.info("gpukit: " + where(run) + ": " + outcome.report().summary());
    List<String> written;
    try {
      written = files.write(outcome.report(), outcome.project(), outcome.failOn().severity(), outputDirectory.toPath()).stream().map(AbstractGpuKitMojo::shown).toList();
    } catch (IOException e) {
      throw new MojoExecutionException("gpukit: cannot write the reports to " + outputDirectory + ": " + e, e);
    }
    written.forEach(f -> log.info("gpukit: wrote " + f));
    if (outcome.fails()) {
      throw new MojoFailureException(Findings.failure(outcome, where(run), written));
    }
  }

  /** The folder checked as the messages name it: from the folder Maven runs in, else the module's name. */
  String where(CheckRun run) {
    Path root = run.scanRoot();
    if (!root.toString().equals(".")) {
      return SourceLocation.renderPath(root);
    }
    return project == null ? SourceLocation.renderPath(run.directory()) : project.getArtifactId();
  }
}

package io.gpukit.maven;

import io.gpukit.core.policy.Baseline;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.project.GpuProject;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.source.SourceParseException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One check of a folder as a project, the way {@code gpukit check FOLDER} does it: the
 * configuration, the project view ({@link GpuProject#scan}), then the baseline. Maven-free, so
 * each step is tested without a build.
 *
 * @param directory the folder to check
 * @param outerDirectory the folder the build was started in (the repository root, typically): its
 *     {@code gpukit.yaml} is used when the checked folder has none, as the CLI uses the current
 *     folder's
 * @param config the configuration file named in the pom, if any
 * @param baseline the baseline file named in the pom, if any
 * @param failOn the fail threshold named in the pom, if any
 */
record CheckRun(
    Path directory, Path outerDirectory, Optional<Path> config, Optional<Path> baseline, Optional<FailOn> failOn) {

  /** The baseline a check reads, when nothing names one and the file exists, and write-baseline writes. */
  static final String DEFAULT_BASELINE = "gpukit-baseline.txt";

  CheckRun {
    directory = directory.toAbsolutePath().normalize();
    outerDirectory = outerDirectory.toAbsolutePath().normalize();
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(baseline, "baseline");
    Objects.requireNonNull(failOn, "failOn");
  }

  /** A problem with what the pom names (not a finding): the build errs with this message. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /**
   * What a check found.
   *
   * @param report the findings, the baselined ones moved aside
   * @param failOn the threshold in force (the pom's, else {@code gpukit.yaml}'s, else error)
   * @param baseline the baseline read, if any
   * @param project the project view the findings came from (for the HTML page), if any
   */
  record Outcome(PolicyReport report, FailOn failOn, Optional<Path> baseline, Optional<GpuProject> project) {

    Outcome(PolicyReport report, FailOn failOn, Optional<Path> baseline) {
      this(report, failOn, baseline, Optional.empty());
    }

    /** Whether the findings fail the build. */
    boolean fails() {
      return report.failsAt(failOn.severity().orElse(null));
    }

    /** How many findings reach the threshold. */
    long failing() {
      Optional<Severity> threshold = failOn.severity();
      return threshold.isEmpty() ? 0
          : report.violations().stream().filter(v -> v.severity().isAtLeast(threshold.get())).count();
    }
  }

  /**
   * The folder as the scan is given it: relative to the process's working directory when inside it,
   * so that paths in findings and reports are relative to it (as SARIF for code scanning wants: the
   * repository root, where CI runs Maven), else absolute.
   *
   * @throws UsageException when it is not a folder
   */
  Path scanRoot() {
    if (!Files.isDirectory(directory)) {
      throw new UsageException("directory " + directory + " does not exist or is not a folder");
    }
    Path working = Path.of("").toAbsolutePath();
    if (directory.equals(working)) {
      return Path.of(".");
    }
    return directory.startsWith(working) ? working.relativize(directory) : directory;
  }

  /**
   * Loads the configuration: the named file, else the folder's own {@code gpukit.yaml}, else the
   * working directory's, else the defaults.
   *
   * @throws UsageException when a named file is missing or a file is malformed, with its file:line
   */
  GpuKitConfig loadConfig() {
    Path file;
    if (config.isPresent()) {
      file = config.get();
      if (!Files.isRegularFile(file)) {
        throw new UsageException("configuration file " + file + " does not exist");
      }
    } else {
      Path own = scanRoot().resolve(GpuKitConfig.FILE_NAME).normalize();
      Path outer = relative(outerDirectory.resolve(GpuKitConfig.FILE_NAME));
      file = Files.isRegularFile(own) ? own : outer;
      if (!Files.isRegularFile(file)) {
        return GpuKitConfig.defaults(scanRoot());
      }
    }
    try {
      return GpuKitConfig.load(file);
    } catch (SourceParseException e) {
      throw new UsageException("bad configuration: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new UsageException("bad configuration: " + SourceLocation.renderPath(file) + ": " + e.getMessage());
    }
  }

  private GpuKitConfig effective(GpuKitConfig cfg) {
    return failOn.map(f -> cfg.withFailOn(f.severity())).orElse(cfg);
  }

  /** The baseline the check reads: the named one, else the configuration's, else {@value #DEFAULT_BASELINE} if it exists. */
  Optional<Path> baselineToRead(GpuKitConfig cfg) {
    Optional<Path> named = baseline.or(cfg::baseline);
    if (named.isPresent()) {
      return named;
    }
    Path usual = scanRoot().resolve(DEFAULT_BASELINE).normalize();
    return Files.isRegularFile(usual) ? Optional.of(usual) : Optional.empty();
  }

  /** The baseline write-baseline writes: the named one, else the configuration's, else {@value #DEFAULT_BASELINE} in the folder. */
  Path baselineToWrite(GpuKitConfig cfg) {
    return baseline.or(cfg::baseline).orElseGet(() -> scanRoot().resolve(DEFAULT_BASELINE).normalize());
  }

  /**
   * Checks the folder as a project and applies the baseline.
   *
   * @throws UsageException on a bad configuration or baseline, or a missing folder
   */
  Outcome check() {
    GpuKitConfig cfg = effective(loadConfig());
    Optional<Path> baselineFile = baselineToRead(cfg);
    Baseline known = Baseline.empty();
    if (baselineFile.isPresent()) {
      Path b = baselineFile.get();
      if (!Files.isRegularFile(b)) {
        throw new UsageException("baseline file " + b + " does not exist; create it with mvn gpukit:write-baseline"
            + " (it writes the baseline parameter's file)");
      }
      try {
        known = Baseline.read(b);
      } catch (IllegalArgumentException e) {
        throw new UsageException("bad baseline: " + e.getMessage());
      } catch (UncheckedIOException e) {
        throw new UsageException("cannot read baseline " + b + ": " + e.getCause().getMessage());
      }
    }
    GpuProject project = GpuProject.scan(scanRoot(), cfg);
    PolicyReport report = known.apply(project.report());
    return new Outcome(report, FailOn.of(cfg.failOn()), baselineFile, Optional.of(project));
  }

  /**
   * Checks the folder and writes every finding to the baseline file, replacing it.
   *
   * @return the file written and the report it holds
   * @throws UsageException on a bad configuration, a missing folder or a file that cannot be written
   */
  Written writeBaseline() {
    GpuKitConfig cfg = effective(loadConfig());
    Path file = baselineToWrite(cfg);
    PolicyReport report = GpuProject.scan(scanRoot(), cfg).report();
    try {
      Baseline.write(file, report);
    } catch (UncheckedIOException e) {
      throw new UsageException("cannot write baseline " + file + ": " + e.getCause().getMessage());
    }
    return new Written(file, report);
  }

  /** A baseline written: where, and the findings in it. */
  record Written(Path file, PolicyReport report) {}

  private static Path relative(Path absolute) {
    Path working = Path.of("").toAbsolutePath();
    return absolute.startsWith(working) ? working.relativize(absolute) : absolute;
  }
}

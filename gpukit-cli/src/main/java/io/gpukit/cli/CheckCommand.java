package io.gpukit.cli;

import io.gpukit.core.policy.Baseline;
import io.gpukit.core.policy.BuiltInRules;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.project.GpuKitCheck;
import io.gpukit.core.project.GpuProject;
import io.gpukit.core.project.ProjectRules;
import io.gpukit.core.project.ReportViews;
import io.gpukit.core.report.HtmlReportWriter;
import io.gpukit.core.report.ReportFormat;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.source.SourceParseException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gpukit check [PATH...]}. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Checks the GPU container artifacts under each PATH (default: the current folder).",
      "A folder is checked as a project: every Dockerfile, workflow (.github/workflows), Kubernetes manifest"
          + " and promotion flow or ROLLBACK.md in it (or where gpukit.yaml's project: says), each on its own,"
          + " then against each other (the image the workflow pushes is the one the Deployment runs, the"
          + " probes agree with the HEALTHCHECK…).",
      "A file named here is checked on its own, recognised by its name, then by its content; one of no kind"
          + " gpukit reads is a finding (gpukit/unknown-file-kind), and the others are still checked.",
      "A folder with nothing gpukit reads is a finding (gpukit/nothing-to-check). Exit codes: 0 when nothing"
          + " reaches the fail threshold, 1 on findings, 2 on a usage error (a path that does not exist, a bad option,"
          + " configuration or baseline)."
    })
final class CheckCommand implements Callable<Integer> {

  /** The fail threshold. */
  enum FailOn {
    ERROR,
    WARNING,
    INFO,
    NEVER;

    Optional<Severity> severity() {
      return this == NEVER ? Optional.empty() : Optional.of(Severity.valueOf(name()));
    }
  }

  @Spec CommandSpec spec;

  /** The streams where picocli is not there to give them ({@link QuickCheck}: {@code spec} is then null). */
  PrintWriter out;
  PrintWriter err;

  @Parameters(paramLabel = "PATH", arity = "0..*", description = "Files or folders to check (default: .).")
  List<Path> paths;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text, json, sarif, junit or html (default: ${DEFAULT-VALUE}). html is one self-contained page:"
          + " the four layers of each GPU image, the rollout charts, the promotion flow and the findings with their source.")
  ReportFormat format;

  @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
  Path output;

  @Option(names = "--config", paramLabel = "FILE",
      description = "The configuration (default: gpukit.yaml in the folder checked, or in the current folder).")
  Path config;

  @Option(names = "--baseline", paramLabel = "FILE", description = "Ignore the known violations listed in FILE.")
  Path baseline;

  @Option(names = "--write-baseline", paramLabel = "FILE",
      description = "Write the current violations to FILE as the new baseline, and exit 0.")
  Path writeBaseline;

  @Option(names = "--show-scope",
      description = "Before the findings, say which files gpukit treats as GPU and why (text format; the JSON"
          + " report always has it, under 'scope', and so does the HTML report).")
  boolean showScope;

  @Option(names = "--fail-on", paramLabel = "LEVEL",
      description = "error, warning, info or never (default: fail-on in gpukit.yaml, else error).")
  FailOn failOn;

  @Option(names = "--threads", paramLabel = "N",
      description = "Read, parse and check files on N threads (default: -Dgpukit.threads, else one per processor)."
          + " The report is the same whatever N.")
  Integer threads;

  private int threads() {
    if (threads != null) {
      if (threads < 1) {
        throw new GpuKitCommand.UsageException("--threads " + threads + ": give a whole number of at least 1");
      }
      return threads;
    }
    try {
      return GpuProject.defaultThreads();
    } catch (IllegalArgumentException e) {
      throw new GpuKitCommand.UsageException(e.getMessage());
    }
  }

  /** Set to {@code true} to print the CPU time the check took to standard error. */
  static final String TIMING_PROPERTY = "gpukit.timing";

  @Override
  public Integer call() throws IOException {
    boolean timing = Boolean.getBoolean(TIMING_PROPERTY); // the management beans cost a short run ~40 classes
    Optional<Duration> cpuAtStart = timing ? ProcessHandle.current().info().totalCpuDuration() : Optional.empty();
    long threadCpuAtStart = timing ? threadCpuNanos() : 0L;
    List<Path> targets = paths == null || paths.isEmpty() ? List.of(Path.of(".")) : paths;
    GpuKitConfig cfg = loadConfig(targets);
    if (failOn != null) {
      cfg = cfg.withFailOn(failOn.severity());
    }
    GpuKitCheck check = GpuKitCheck.with(cfg);
    Optional<Path> baselineFile = Optional.ofNullable(baseline).or(cfg::baseline);
    Baseline known = Baseline.empty();
    if (writeBaseline == null && baselineFile.isPresent()) {
      Path b = baselineFile.get();
      if (!Files.isRegularFile(b)) {
        throw new GpuKitCommand.UsageException(
            "baseline file " + b + " does not exist; create it with --write-baseline " + b);
      }
      try {
        known = Baseline.read(b);
      } catch (IllegalArgumentException e) {
        throw new GpuKitCommand.UsageException("bad baseline: " + e.getMessage());
      } catch (UncheckedIOException e) {
        throw new GpuKitCommand.UsageException("cannot read baseline " + b + ": " + reason(e.getCause()));
      }
    }
    List<GpuProject> projects = new ArrayList<>();
    PolicyReport report = known.apply(check(targets.stream().map(CheckCommand::tidy).toList(), cfg, check, projects, threads()));
    PrintWriter err = err();
    if (writeBaseline != null) {
      try {
        Baseline.write(writeBaseline, report);
      } catch (UncheckedIOException e) {
        throw new GpuKitCommand.UsageException(
            "cannot write baseline " + writeBaseline + ": " + reason(e.getCause()));
      }
      err.println("gpukit: wrote " + report.violations().size() + " violations to baseline " + writeBaseline);
      report = Baseline.of(report).apply(report);
    }
    writeReport(report, projects, cfg.failOn());
    if (timing) {
      Optional<Duration> cpuNow = ProcessHandle.current().info().totalCpuDuration();
      String process = cpuAtStart.isPresent() && cpuNow.isPresent()
          ? cpuNow.get().minus(cpuAtStart.get()).toMillis() + " ms of process CPU time, " : "";
      err.println("gpukit: the check took " + process
          + (threadCpuNanos() - threadCpuAtStart) / 1_000_000 + " ms of CPU time on its thread");
      err.flush();
    }
    return report.failsAt(cfg.failOn().orElse(null)) ? GpuKitCommand.FINDINGS : GpuKitCommand.OK;
  }

  /**
   * Folders are checked as projects ({@link GpuProject#scan}); files named here on their own. The
   * baseline is applied by the caller, once.
   */
  private static PolicyReport check(
      List<Path> targets, GpuKitConfig cfg, GpuKitCheck perFile, List<GpuProject> projects, int threads) {
    List<Path> folders = targets.stream().filter(Files::isDirectory).distinct().toList();
    List<Path> files = targets.stream().filter(p -> !Files.isDirectory(p)).toList();
    GpuKitCheck.Discovery named;
    try {
      named = perFile.find(files); // a file of no known kind is a finding for it; only a missing path is refused
    } catch (GpuKitCheck.UnusablePathException e) {
      throw new GpuKitCommand.UsageException(e.getMessage());
    }
    PolicyReport report = PolicyReport.empty();
    for (Path folder : folders) {
      GpuProject project = GpuProject.scan(folder, cfg, Baseline.empty(), threads);
      projects.add(project);
      report = projects.size() == 1 ? project.report() : report.merge(project.report()); // merging copies: once is enough
    }
    if (!named.artifacts().isEmpty() || !named.findings().isEmpty() || folders.isEmpty()) {
      PolicyReport ofFiles = perFile.check(named);
      // The project view has reported the configuration's unknown rule ids already when it ran.
      List<Violation> kept = ofFiles.violations().stream()
          .filter(v -> folders.isEmpty() || !v.ruleId().equals(BuiltInRules.UNKNOWN_RULE.id()))
          .toList();
      report = report.merge(new PolicyReport(
          ofFiles.files(), kept, ofFiles.rules(), ofFiles.suppressed(), ofFiles.baselined(), ofFiles.scopes()));
    }
    Set<Path> scoped = new HashSet<>();
    return new PolicyReport(report.files(), report.violations().stream().distinct().toList(), report.rules(),
        report.suppressed().stream().distinct().toList(), report.baselined(),
        report.scopes().stream().filter(s -> scoped.add(s.file().toAbsolutePath().normalize())).toList());
  }

  private static long threadCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0L;
  }

  private static Path tidy(Path p) {
    Path n = p.normalize();
    return n.toString().isEmpty() ? Path.of(".") : n;
  }

  private GpuKitConfig loadConfig(List<Path> targets) {
    Path file;
    if (config != null) {
      if (!Files.isRegularFile(config)) {
        throw new GpuKitCommand.UsageException("configuration file " + config + " does not exist");
      }
      file = config;
    } else {
      // The checked folder's gpukit.yaml, else the current folder's (a repository root checking a subfolder).
      Path current = Path.of(GpuKitConfig.FILE_NAME);
      if (targets.size() == 1 && Files.isDirectory(targets.get(0))) {
        Path own = tidy(targets.get(0)).resolve(GpuKitConfig.FILE_NAME).normalize();
        file = Files.isRegularFile(own) ? own : current;
      } else {
        file = current;
      }
      if (!Files.isRegularFile(file)) {
        return GpuKitConfig.defaults(Path.of(""));
      }
    }
    try {
      return GpuKitConfig.load(file);
    } catch (SourceParseException e) {
      throw new GpuKitCommand.UsageException("bad configuration: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      // A value the loader does not locate itself (an empty path glob): name the file at least.
      throw new GpuKitCommand.UsageException(
          "bad configuration: " + SourceLocation.renderPath(file) + ": " + e.getMessage());
    }
  }

  private void write(PolicyReport report, List<GpuProject> projects, Optional<Severity> failOn, Writer w)
      throws IOException {
    if (format == ReportFormat.HTML) {
      new HtmlReportWriter().write(ReportViews.html(report, projects, failOn), w);
      return;
    }
    if (showScope && format == ReportFormat.TEXT) {
      w.write(scopeText(report));
    }
    format.writer().write(report, w);
  }

  private static String reason(Throwable e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e == null || e.getMessage() == null ? String.valueOf(e) : e.getMessage();
  }

  /** What {@code --show-scope} prints before the findings: each file's GPU scope and evidence, then a blank line. */
  static String scopeText(PolicyReport report) {
    StringBuilder sb = new StringBuilder("What gpukit treats as GPU:\n");
    report.scopes().forEach(s -> s.render().forEach(line -> sb.append(line.replaceAll("\\p{Cntrl}", "?")).append('\n')));
    return sb.append('\n').toString();
  }

  private void writeReport(PolicyReport report, List<GpuProject> projects, Optional<Severity> failOn) throws IOException {
    if (output == null) {
      PrintWriter out = out();
      write(report, projects, failOn, out);
      out.flush();
      return;
    }
    try {
      Path parent = output.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
        write(report, projects, failOn, w);
      }
    } catch (IOException e) {
      throw new GpuKitCommand.UsageException("cannot write the report to " + output + ": " + reason(e));
    }
    err().println(report.summary());
  }

  private PrintWriter out() {
    return spec == null ? out : spec.commandLine().getOut();
  }

  private PrintWriter err() {
    return spec == null ? err : spec.commandLine().getErr();
  }
}

package io.gpukit.core.project;

import io.gpukit.core.dockerfile.Dockerfile;
import io.gpukit.core.dockerfile.Healthcheck;
import io.gpukit.core.dockerfile.HealthcheckProbe;
import io.gpukit.core.dockerfile.StageView;
import io.gpukit.core.k8s.Container;
import io.gpukit.core.k8s.GpuContainers;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.Probe;
import io.gpukit.core.k8s.ProbeAction;
import io.gpukit.core.k8s.ProbeKind;
import io.gpukit.core.k8s.Workload;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.report.HtmlReport;
import io.gpukit.core.report.HtmlReport.Exercise;
import io.gpukit.core.report.HtmlReport.Layer;
import io.gpukit.core.source.SourceLocation;
import io.gpukit.core.workflow.Job;
import io.gpukit.core.workflow.Step;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The four layers of each GPU image, for the HTML report: read from the models the cross-file rules
 * compare ({@link ProjectRules}), with the same notions of "a GPU Dockerfile", "a GPU container",
 * "a job that tests the image on a GPU" and "the same probe".
 */
final class LayerViews {

  /** Lines below a probe's key that still belong to it, for linking findings to it. */
  private static final int PROBE_SPAN = 8;

  private LayerViews() {}

  static List<HtmlReport.Layers> of(GpuProject project) {
    ProjectArtifacts artifacts = project.artifacts();
    GpuKitConfig config = project.config();
    List<Violation> findings = project.violations();
    List<WorkloadContainer> containers = gpuContainers(artifacts, config);
    List<HtmlReport.Layers> out = new ArrayList<>();
    for (Dockerfile df : artifacts.dockerfiles()) {
      if (!ProjectRules.isGpuDockerfile(df, config)) {
        continue;
      }
      Optional<Healthcheck> hc = StageView.effectiveHealthcheck(df, df.finalStage());
      HealthcheckProbe kind = HealthcheckProbe.of(hc, config);
      Optional<ProbeProgram> program = hc.filter(h -> !h.isNone()).flatMap(ProjectRules::program);
      List<Layer> layers = new ArrayList<>();
      layers.add(ciJob(artifacts, config, program.stream().toList(), findings));
      layers.add(healthcheck(hc, kind, program, findings));
      for (WorkloadContainer wc : containers) {
        Container c = wc.container();
        layers.add(probe("readinessProbe", wc, c.readinessProbe(), program, config, findings, true));
        layers.add(probe("livenessProbe", wc, c.livenessProbe(), program, config, findings, true));
        layers.add(probe("startupProbe", wc, c.startupProbe(), program, config, findings, false));
      }
      out.add(new HtmlReport.Layers(SourceLocation.renderPath(df.path()), layers));
    }
    return out;
  }

  private static Layer ciJob(ProjectArtifacts artifacts, GpuKitConfig config, List<ProbeProgram> programs,
      List<Violation> findings) {
    List<Violation> about = findings.stream().filter(v -> v.ruleId().equals(ProjectRules.GPU_CI_JOB.id())).toList();
    if (artifacts.workflows().isEmpty()) {
      return new Layer("CI GPU job", "no workflow in the repository", "", "", "", Exercise.MISSING,
          "not judged: CI may live elsewhere", true, about);
    }
    List<Job> jobs = artifacts.workflows().stream().flatMap(w -> w.jobs().stream())
        .flatMap(j -> Stream.concat(Stream.of(j), j.called().stream())).toList();
    for (Job job : jobs) {
      if (ProjectRules.testsImageOnGpu(job, programs, config)) {
        List<String> runs = job.steps().stream().flatMap(s -> s.run().stream())
            .flatMap(r -> r.replaceAll("\\\\\\r?\\n", " ").lines()).map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        Predicate<String> runsProbe = l -> programs.stream().anyMatch(p -> p.isRunBy(l));
        Optional<String> line = runs.stream().filter(runsProbe).findFirst()
            .or(() -> runs.stream().filter(l -> l.matches(".*\\b(docker|podman|nerdctl)\\s+(container\\s+)?run\\b.*")).findFirst())
            .or(() -> runs.stream().findFirst());
        boolean probe = line.filter(runsProbe).isPresent();
        String budget = "timeout-minutes " + job.timeoutMinutes().orElse("360 (GitHub's default)");
        String agreement = programs.isEmpty() ? "tests the image on a GPU"
            : probe ? "agrees: runs the HEALTHCHECK's probe " + programs.get(0).quoted()
            : "tests the image on a GPU, but not with the HEALTHCHECK's probe";
        return new Layer("CI GPU job", "job '" + job.id() + "'", where(job.location()), line.orElse(""), budget,
            Exercise.YES, agreement, about.isEmpty(), about);
      }
    }
    return new Layer("CI GPU job", "no job on a GPU runner tests this image", "", "", "", Exercise.MISSING,
        "missing: the image is never tested with a GPU", about.isEmpty(), about);
  }

  private static Layer healthcheck(Optional<Healthcheck> hc, HealthcheckProbe kind, Optional<ProbeProgram> program,
      List<Violation> findings) {
    if (hc.isEmpty() || hc.get().isNone()) {
      List<Violation> about = findings.stream().filter(v -> v.ruleId().contains("healthcheck")).toList();
      return new Layer("HEALTHCHECK", "final stage", hc.map(h -> where(h.location())).orElse(""), "", "",
          Exercise.MISSING, hc.isPresent() ? "HEALTHCHECK NONE" : "not written", false, about);
    }
    Healthcheck h = hc.get();
    String budget = "interval " + seconds(h.interval(), "30s") + ", timeout " + seconds(h.timeout(), "30s")
        + ", retries " + (h.retries().isPresent() ? String.valueOf(h.retries().getAsInt()) : "3 (default)")
        + ", start period " + seconds(h.startPeriod(), "0s");
    List<Violation> about = near(findings, h.location(), 0);
    boolean gpu = kind == HealthcheckProbe.GPU_PROBE;
    String agreement = gpu ? "the probe the others are compared with" + program.map(p -> ": " + p.quoted()).orElse("")
        : "does not exercise the GPU (" + kind.describe() + ")";
    return new Layer("HEALTHCHECK", "final stage", where(h.location()), h.commandLine(), budget,
        gpu ? Exercise.YES : Exercise.NO, agreement, gpu && about.isEmpty(), about);
  }

  private static Layer probe(String name, WorkloadContainer wc, Optional<Probe> probe, Optional<ProbeProgram> program,
      GpuKitConfig config, List<Violation> findings, boolean required) {
    String owner = wc.workload().displayName() + " container '" + wc.container().name() + "'";
    if (probe.isEmpty()) {
      String short_ = name.replace("Probe", "");
      List<Violation> about = findings.stream()
          .filter(v -> v.location().file().equals(wc.workload().location().file()))
          .filter(v -> v.message().contains("'" + wc.container().name() + "'") && v.message().contains(short_))
          .toList();
      return new Layer(name, owner, "", "", "", Exercise.MISSING, required ? "not written" : "not written (optional)",
          !required || wc.workload().probedByOperator(wc.container()), about);
    }
    Probe p = probe.get();
    String command = p.action() instanceof ProbeAction.Exec exec ? exec.commandLine() : p.action().describe();
    String budget = "period " + p.periodSeconds() + "s, timeout " + p.timeoutSeconds() + "s, failureThreshold "
        + p.failureThreshold() + (p.initialDelaySeconds() > 0 ? ", initialDelay " + p.initialDelaySeconds() + "s" : "")
        + "; trips after " + p.secondsToTrip() + "s";
    boolean gpu = ProbeKind.of(p, config).isGpuAware();
    Optional<ProbeProgram> runs = p.action() instanceof ProbeAction.Exec exec ? ProbeProgram.ofArgv(exec.command()) : Optional.empty();
    List<Violation> about = near(findings, p.location(), PROBE_SPAN);
    String agreement;
    boolean agrees;
    if (!gpu) {
      agreement = "does not exercise the GPU (" + ProbeKind.of(p, config).describe() + ")";
      agrees = false;
    } else if (program.isEmpty() || runs.equals(program)) {
      agreement = program.isEmpty() ? "exercises the GPU" : "agrees: runs the HEALTHCHECK's probe " + program.get().quoted();
      agrees = true;
    } else {
      agreement = "differs: runs " + runs.map(ProbeProgram::quoted).orElse("another command") + ", the HEALTHCHECK runs "
          + program.get().quoted();
      agrees = false;
    }
    return new Layer(name, owner, where(p.location()), command, budget, gpu ? Exercise.YES : Exercise.NO, agreement,
        agrees && about.isEmpty(), about);
  }

  /** The findings in a file at a line or up to {@code span} lines below it. */
  private static List<Violation> near(List<Violation> findings, SourceLocation at, int span) {
    Path file = at.file().toAbsolutePath().normalize();
    return findings.stream()
        .filter(v -> v.location().file().toAbsolutePath().normalize().equals(file))
        .filter(v -> v.location().line() >= at.line() && v.location().line() <= at.line() + span)
        .toList();
  }

  private static String seconds(Optional<Duration> d, String byDefault) {
    return d.map(x -> x.toMillis() % 1000 == 0 ? x.toSeconds() + "s" : x.toMillis() + "ms").orElse(byDefault + " (default)");
  }

  static String where(SourceLocation at) {
    return SourceLocation.renderPath(at.file()) + ":" + at.line();
  }

  /** A serving workload's GPU container. */
  record WorkloadContainer(Workload workload, Container container) {}

  /** The GPU containers of serving workloads, as the probe rules see them. */
  static List<WorkloadContainer> gpuContainers(ProjectArtifacts artifacts, GpuKitConfig config) {
    GpuContainers gpu = GpuContainers.across(ProjectRules.allResources(artifacts), config);
    List<WorkloadContainer> out = new ArrayList<>();
    for (Manifests m : artifacts.manifests()) {
      for (Workload w : m.workloads()) {
        if (!w.runsToCompletion()) {
          gpu.of(w).forEach(c -> out.add(new WorkloadContainer(w, c)));
        }
      }
    }
    return out;
  }
}

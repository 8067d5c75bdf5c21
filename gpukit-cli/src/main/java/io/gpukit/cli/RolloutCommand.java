package io.gpukit.cli;

import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.Workload;
import io.gpukit.core.k8s.rollout.GpuPool;
import io.gpukit.core.k8s.rollout.Readiness;
import io.gpukit.core.k8s.rollout.RolloutSimulation;
import io.gpukit.core.k8s.rollout.RolloutSimulator;
import io.gpukit.core.k8s.rollout.RolloutSpec;
import io.gpukit.core.project.ReportViews;
import io.gpukit.core.report.HtmlReportWriter;
import io.gpukit.core.report.RolloutChart;
import io.gpukit.core.source.SourceParseException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gpukit rollout simulate FILE [--gpus-free N] [--gpus-per-node N] [--never-ready] [--format text|json|html|svg]}. */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = "Works out how a Deployment's or an Argo Rollout's rollout goes on a GPU pool.",
    subcommands = {RolloutCommand.Simulate.class})
final class RolloutCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: simulate");
  }

  /** Output formats. */
  enum Format {
    TEXT,
    JSON,
    /** A self-contained page with the chart and the same numbers in a table. */
    HTML,
    /** The chart alone, as an SVG document. */
    SVG
  }

  /** Simulates the rollout of the file's one Deployment or Argo Rollout (or the one named). */
  @Command(
      name = "simulate",
      mixinStandardHelpOptions = true,
      description = "Steps a rollout as the Deployment controller (or the Argo Rollouts controller, for a canary or"
          + " blueGreen Rollout) does; exit 0 when it completes, 1 when it stalls.")
  static final class Simulate implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A manifest file with a Deployment or an Argo Rollout.")
    Path file;

    @Option(names = {"--deployment", "--rollout"}, paramLabel = "NAME",
        description = "The Deployment or Rollout to simulate when the file has several.")
    String deployment;

    @Option(names = "--gpus-free", paramLabel = "N", defaultValue = "0",
        description = "GPUs free in the pool besides those the current pods hold, in units of the pod's GPU"
            + " resource (whole GPUs, MIG slices of its profile, or devices of its DRA class) (default: ${DEFAULT-VALUE}).")
    int gpusFree;

    @Option(names = "--gpus-per-node", paramLabel = "N", defaultValue = "8",
        description = "GPUs on one node, in the same units (default: ${DEFAULT-VALUE}).")
    int gpusPerNode;

    @Option(names = "--never-ready", description = "New pods never pass their readiness probe.")
    boolean neverReady;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
        description = "text, json, html (the chart and its table, one page) or svg (the chart alone) (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (!Files.exists(file)) {
        throw new GpuKitCommand.UsageException("no such file: " + file);
      }
      if (Files.isDirectory(file)) {
        throw new GpuKitCommand.UsageException(file + " is a folder; name the manifest file");
      }
      if (gpusFree < 0 || gpusPerNode < 1) {
        throw new GpuKitCommand.UsageException("--gpus-free must be 0 or more and --gpus-per-node 1 or more");
      }
      Manifests manifests;
      try {
        manifests = Manifests.parse(file);
      } catch (SourceParseException e) {
        spec.commandLine().getErr().println(GpuKitCommand.oneLine(e.getMessage()));
        return GpuKitCommand.FINDINGS;
      }
      List<Workload> deployments = manifests.rollingWorkloads().stream()
          .filter(d -> deployment == null || d.name().equals(deployment)).toList();
      if (deployments.size() != 1) {
        throw new GpuKitCommand.UsageException(deployments.isEmpty()
            ? file + " has no Deployment or Argo Rollout" + (deployment == null ? "" : " named '" + deployment + "'")
            : file + " has " + deployments.size() + " Deployments and Rollouts; name one with --deployment");
      }
      GpuPool pool = new GpuPool(gpusFree, gpusPerNode);
      Readiness readiness = neverReady ? Readiness.NEVER_READY : Readiness.READY;
      if (format == Format.HTML || format == Format.SVG) {
        RolloutChart chart = ReportViews.rolloutChart(deployments.get(0), manifests.deviceClaims(), pool, readiness);
        out.print(format == Format.SVG ? HtmlReportWriter.chartSvg(chart) : HtmlReportWriter.chartPage(chart));
        out.flush();
        return chart.completes() ? GpuKitCommand.OK : GpuKitCommand.FINDINGS;
      }
      RolloutSimulation sim = RolloutSimulator.simulate(RolloutSpec.of(deployments.get(0), manifests.deviceClaims()),
          pool, readiness);
      out.println(format == Format.JSON ? sim.toJson() : sim.toText());
      out.flush();
      return sim.completes() ? GpuKitCommand.OK : GpuKitCommand.FINDINGS;
    }
  }
}

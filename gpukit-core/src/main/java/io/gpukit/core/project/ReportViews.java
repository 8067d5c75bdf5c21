package io.gpukit.core.project;

import io.gpukit.core.k8s.ArgoStrategy;
import io.gpukit.core.k8s.DeviceClaim;
import io.gpukit.core.k8s.GpuContainers;
import io.gpukit.core.k8s.Manifests;
import io.gpukit.core.k8s.RolloutStrategy;
import io.gpukit.core.k8s.Workload;
import io.gpukit.core.k8s.rollout.GpuPool;
import io.gpukit.core.k8s.rollout.Readiness;
import io.gpukit.core.k8s.rollout.RolloutSimulation;
import io.gpukit.core.k8s.rollout.RolloutSimulator;
import io.gpukit.core.k8s.rollout.RolloutSpec;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.promotion.KubectlRollout;
import io.gpukit.core.promotion.PromotionFlow;
import io.gpukit.core.promotion.PromotionStage;
import io.gpukit.core.promotion.RollbackCommand;
import io.gpukit.core.report.HtmlReport;
import io.gpukit.core.report.RolloutChart;
import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the HTML report shows of a project, read from the models its rules read: no file is parsed
 * again.
 *
 * <pre>{@code
 * GpuProject project = GpuProject.scan(repo);
 * new HtmlReportWriter().write(ReportViews.html(project, Optional.of(Severity.ERROR)), out);
 * }</pre>
 *
 * @since 0.2.0
 */
public final class ReportViews {

  /**
   * The pool a GPU Deployment's or Argo Rollout's rollout is drawn on in a project's report: no free GPU besides the
   * pods' own (a full pool), on 8-GPU nodes.
   */
  public static final GpuPool FULL_POOL = new GpuPool(0, GpuPool.DEFAULT_GPUS_PER_NODE);

  /** The most steps a chart draws; past them a chart shows the outcome alone. */
  public static final int MAX_DRAWN_STEPS = 10_000;

  private ReportViews() {}

  /**
   * The project's page: its findings, the four layers of each GPU image, the promotion flows and
   * runbooks, and the rollout of each GPU Deployment and Argo Rollout on a {@link #FULL_POOL} (and,
   * when that deadlocks, on the smallest pool on which it completes).
   *
   * @param project the scanned project
   * @param failOn the fail threshold; empty for never
   */
  public static HtmlReport html(GpuProject project, Optional<Severity> failOn) {
    Objects.requireNonNull(project, "project");
    return html(project.report(), List.of(project), failOn);
  }

  /**
   * The page of a whole check: its findings (several folders merged, a baseline applied), and what
   * the project view read of each project checked, in order; files named on their own bring no
   * layers, flows or rollouts.
   *
   * @param report the findings to show
   * @param projects the projects the findings came from
   * @param failOn the fail threshold; empty for never
   */
  public static HtmlReport html(PolicyReport report, List<GpuProject> projects, Optional<Severity> failOn) {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(failOn, "failOn");
    List<HtmlReport.Layers> images = new ArrayList<>();
    List<HtmlReport.Promotion> promotions = new ArrayList<>();
    List<RolloutChart> rollouts = new ArrayList<>();
    for (GpuProject project : projects) {
      images.addAll(LayerViews.of(project));
      promotions.addAll(promotions(project.artifacts()));
      rollouts.addAll(rollouts(project));
    }
    return new HtmlReport(report, failOn, images, promotions, rollouts);
  }

  /**
   * The chart of one Deployment's or Argo Rollout's rollout, drawn from the simulator's own steps
   * ({@link RolloutSimulation#trace()}): what {@code gpukit rollout simulate --format html|svg}
   * draws. A rollout of more than {@value #MAX_DRAWN_STEPS} steps is shown by its outcome only.
   *
   * @param deployment a Deployment or an Argo Rollout
   * @param claims the DRA claims deployed with it
   * @throws IllegalArgumentException when {@code deployment} is neither a Deployment nor an Argo Rollout
   */
  public static RolloutChart rolloutChart(Workload deployment, List<DeviceClaim> claims, GpuPool pool, Readiness readiness) {
    RolloutSpec spec = RolloutSpec.of(deployment, claims);
    RolloutSimulation sim = RolloutSimulator.simulate(spec, pool, readiness);
    String units = spec.wholeGpus() ? "GPUs" : "units of " + spec.resource();
    String poolText = pool.gpusFree() + " " + units + " free besides the pods' own, " + pool.gpusPerNode() + " per node"
        + (readiness == Readiness.NEVER_READY ? ", new pods never Ready" : "");
    List<RolloutChart.Step> steps = sim.trace().size() > MAX_DRAWN_STEPS + 1 ? List.of()
        : sim.trace().stream().map(s -> new RolloutChart.Step(s.oldReady(), s.newReady(), s.newUnready(), s.newPending(),
            s.unitsInUse(), s.unitsInPool(), s.lowestAvailable())).toList();
    return new RolloutChart(deployment.displayName(), LayerViews.where(deployment.location()), spec.replicas(),
        strategy(spec.strategy()), spec.gpusPerPod(), spec.resource(), poolText, steps, sim.completes(), sim.stall());
  }

  private static String strategy(RolloutStrategy s) {
    String knobs = "maxSurge " + s.effectiveMaxSurge() + ", maxUnavailable " + s.effectiveMaxUnavailable();
    return switch (s.type()) {
      case RECREATE -> "Recreate";
      case ROLLING_UPDATE -> "RollingUpdate " + knobs;
      case CANARY -> canary(s.argo().orElseThrow(), knobs);
      case BLUE_GREEN -> blueGreen(s.argo().orElseThrow());
    };
  }

  /** {@code canary [setWeight 25, pause, setWeight 50], maxSurge 1, maxUnavailable 0, traffic router}. */
  private static String canary(ArgoStrategy argo, String knobs) {
    List<String> steps = argo.steps().stream().map(ReportViews::step).toList();
    return "canary " + (steps.isEmpty() ? "without steps" : "[" + String.join(", ", steps) + "]") + ", " + knobs
        + (argo.trafficRouting() ? ", traffic router" + (argo.dynamicStableScale() ? " with dynamicStableScale" : "") : "");
  }

  private static String step(ArgoStrategy.CanaryStep step) {
    if (step instanceof ArgoStrategy.CanaryStep.SetWeight w) {
      return "setWeight " + w.weight();
    }
    if (step instanceof ArgoStrategy.CanaryStep.SetCanaryScale) {
      return "setCanaryScale";
    }
    if (step instanceof ArgoStrategy.CanaryStep.Pause) {
      return "pause";
    }
    if (step instanceof ArgoStrategy.CanaryStep.Analysis) {
      return "analysis";
    }
    return ((ArgoStrategy.CanaryStep.Other) step).name();
  }

  /** {@code blueGreen, previewReplicaCount 1, promoted by hand}. */
  private static String blueGreen(ArgoStrategy argo) {
    return "blueGreen" + argo.previewReplicaCount().map(n -> ", previewReplicaCount " + n).orElse("")
        + (argo.autoPromotionEnabled() ? "" : ", promoted by hand");
  }

  private static List<RolloutChart> rollouts(GpuProject project) {
    ProjectArtifacts artifacts = project.artifacts();
    GpuContainers gpu = GpuContainers.across(ProjectRules.allResources(artifacts), project.config());
    List<DeviceClaim> claims = artifacts.manifests().stream().flatMap(m -> m.deviceClaims().stream()).toList();
    List<RolloutChart> out = new ArrayList<>();
    for (Manifests m : artifacts.manifests()) {
      for (Workload w : m.rollingWorkloads()) {
        if (gpu.of(w).isEmpty()) {
          continue;
        }
        RolloutChart full = rolloutChart(w, claims, FULL_POOL, Readiness.READY);
        out.add(full);
        if (!full.completes() && !full.steps().isEmpty()) {
          int most = Math.max(1, full.replicas() * full.unitsPerPod());
          for (int free = 1; free <= most; free++) {
            RolloutChart more = rolloutChart(w, claims, new GpuPool(free, FULL_POOL.gpusPerNode()), Readiness.READY);
            if (more.completes()) {
              out.add(more);
              break;
            }
          }
        }
      }
    }
    return out;
  }

  private static List<HtmlReport.Promotion> promotions(ProjectArtifacts artifacts) {
    List<HtmlReport.Promotion> out = new ArrayList<>();
    for (PromotionFlow flow : artifacts.promotionFlows()) {
      List<HtmlReport.Stage> stages = new ArrayList<>();
      for (PromotionStage s : flow.stages()) {
        stages.add(new HtmlReport.Stage(s.name().isBlank() ? s.describe() : s.name(), s.env().orElse(""), s.gates(),
            s.tagPattern().orElse("")));
      }
      List<HtmlReport.Command> commands = new ArrayList<>();
      for (RollbackCommand c : flow.rollbackCommands()) {
        commands.add(new HtmlReport.Command(c.text(), String.valueOf(c.location().line()),
            c.kubectl().map(ReportViews::check).orElse("not a kubectl rollout: not checked")));
      }
      out.add(new HtmlReport.Promotion(SourceLocation.renderPath(flow.file()), stages, commands));
    }
    return out;
  }

  private static String check(KubectlRollout k) {
    String target = k.resourceKind().isEmpty() ? "resources chosen by file or label"
        : k.resourceKind() + "/" + (k.name().isEmpty() ? "?" : k.name());
    return "kubectl rollout " + k.action().word() + " " + target + k.namespace().map(n -> " in namespace " + n).orElse("")
        + (k.toRevision().isPresent() ? ", to revision " + k.toRevision().getAsInt() : "")
        + ": the target must be a workload the manifests define (project/rollback-target-exists)";
  }
}

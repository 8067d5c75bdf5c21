package io.gpukit.core.workflow;

import io.gpukit.core.policy.FileKind;
import io.gpukit.core.policy.GpuEvidence;
import io.gpukit.core.policy.GpuKitConfig;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.source.SourceFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * GitHub Actions workflows as a {@link FileKind}: parsed with {@link WorkflowParser}, checked with
 * {@link WorkflowRules#ALL}.
 *
 * @since 0.1.0
 */
public final class WorkflowKind implements FileKind<Workflow> {

  /** The one instance. */
  public static final WorkflowKind INSTANCE = new WorkflowKind();

  private WorkflowKind() {}

  @Override
  public String name() {
    return "workflow";
  }

  @Override
  public Workflow parse(SourceFile file) {
    return WorkflowParser.parse(file);
  }

  @Override
  public List<Rule<Workflow>> rules() {
    return WorkflowRules.ALL;
  }

  /**
   * Per job: the GPU runner it asks for (a label or a runner group that says GPU: strong, at {@code
   * runs-on}) and the place it shows best that it uses a GPU (strong, or weak for a test that is
   * GPU by its name only), in file order; first, the whole workflow when {@code gpu.paths} names it
   * or the project view found it GPU through other files (it builds a GPU image). Nothing for a file
   * {@code gpu.not-paths} names.
   */
  @Override
  public List<GpuEvidence> gpuEvidence(Workflow workflow, GpuKitConfig config) {
    if (config.declaredGpu(workflow.path()).equals(Optional.of(false))) {
      return List.of();
    }
    List<GpuEvidence> out = new ArrayList<>();
    if (config.declaredGpu(workflow.path()).orElse(false)) {
      out.add(GpuEvidence.strong("the workflow", "gpukit.yaml names it under gpu.paths", workflow.location()));
    }
    config.gpuFileEvidence(workflow.path()).ifPresent(why ->
        out.add(GpuEvidence.strong("the workflow", why, workflow.location())));
    for (Job job : workflow.jobs()) {
      JobTraits.runs(job, config).stream()
          .filter(r -> r.kind() == JobTraits.RunnerKind.GPU)
          .findFirst()
          .ifPresent(r -> out.add(GpuEvidence.strong(job.describe(), runnerReason(r, config), job.runsOn().get().location())));
      JobTraits.gpuUse(job, config).ifPresent(e -> out.add(e.isStrong()
          ? GpuEvidence.strong(job.describe(), "it uses a GPU (" + e.text() + ")", e.location())
          : GpuEvidence.weak(job.describe(), "it may use a GPU (" + e.text() + ")", e.location())));
    }
    // the workflow's own lines first, then what its local actions run (located in their action.yml)
    out.sort(Comparator.comparingInt((GpuEvidence e) -> e.location().file().equals(workflow.path()) ? 0 : 1)
        .thenComparing(e -> e.location().file().toString())
        .thenComparingInt(e -> e.location().line()).thenComparingInt(e -> e.location().column()));
    return List.copyOf(out);
  }

  private static String runnerReason(JobTraits.Run run, GpuKitConfig config) {
    Optional<String> group = run.group().filter(config::isGpuRunnerLabel);
    if (group.isPresent()) {
      return "its runner group '" + group.get() + "' is a GPU runner pool";
    }
    String label = run.labels().stream().filter(l -> config.isGpuRunnerLabel(l.strip())).findFirst().orElse("");
    return "it runs on a GPU runner (label '" + label + "' of " + run.labels() + ")";
  }
}

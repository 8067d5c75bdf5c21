package io.gpukit.core.workflow;

import io.gpukit.core.policy.FileKind;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.source.SourceFile;
import java.util.List;

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
}

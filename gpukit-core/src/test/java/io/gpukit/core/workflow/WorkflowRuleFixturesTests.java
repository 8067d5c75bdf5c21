package io.gpukit.core.workflow;

import io.gpukit.core.AbstractRuleFixtureTests;
import io.gpukit.core.policy.FileKind;
import java.util.regex.Pattern;

/** Golden fixtures of the workflow rules, under {@code fixtures/workflow}. */
class WorkflowRuleFixturesTests extends AbstractRuleFixtureTests<Workflow> {

  @Override
  protected String format() {
    return "workflow";
  }

  @Override
  protected Pattern fixtureName() {
    return Pattern.compile("\\.ya?ml$");
  }

  @Override
  protected FileKind<Workflow> kind() {
    return WorkflowKind.INSTANCE;
  }
}

package io.gpukit.cli;

import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.RuleScope;
import io.gpukit.core.project.GpuProject;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gpukit explain RULE}. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = "Explains a rule: why it exists, a failing snippet and the fix.")
final class ExplainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RULE", description = "A rule id, e.g. dockerfile/final-stage-non-root.")
  String ruleId;

  @Override
  public Integer call() {
    Optional<RuleDescriptor> rule = GpuProject.rule(ruleId);
    if (rule.isEmpty()) {
      String near =
          GpuProject.closestRuleId(ruleId)
              .map(id -> "; did you mean '" + id + "'? ('gpukit rules' lists them all)")
              .orElse("");
      throw new GpuKitCommand.UsageException("unknown rule '" + ruleId + "'" + near);
    }
    RuleDescriptor r = rule.get();
    PrintWriter out = spec.commandLine().getOut();
    out.println(r.id() + " (" + r.severity().label() + ")");
    out.println(r.description());
    if (!r.rationale().isEmpty()) {
      out.println();
      out.println("Why: " + r.rationale());
    }
    out.println("Judges: " + r.scope().description()
        + (r.scope() == RuleScope.GPU
            ? " ('gpukit check --show-scope' says which files are GPU, and why)" : ""));
    if (!r.related().isEmpty()) {
      out.println("Same as: " + r.related());
    }
    if (!r.failingExample().isEmpty()) {
      out.println();
      out.println("Fails:");
      r.failingExample().lines().forEach(l -> out.println("    " + l));
      out.println();
      out.println("Fixed:");
      r.fixedExample().lines().forEach(l -> out.println("    " + l));
    }
    out.println();
    out.println("Silence one place with '# gpukit:ignore " + r.id() + " -- <reason>' on the line or the line above.");
    out.flush();
    return GpuKitCommand.OK;
  }
}

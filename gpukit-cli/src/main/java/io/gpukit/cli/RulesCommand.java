package io.gpukit.cli;

import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.RuleScope;
import io.gpukit.core.project.GpuProject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code gpukit rules}: one line per rule, its id, severity, scope and description. The scope is
 * {@code [gpu]} for a rule that judges GPU artifacts only (a GPU image, job or container) and
 * {@code [all]} for hygiene that holds for every artifact of its kind, so that {@code gpukit rules |
 * grep '\[gpu\]'} lists the GPU rules.
 */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = {
      "Lists every rule: id, severity, scope, description.",
      "Scope [gpu]: the rule judges GPU artifacts only (GPU images, jobs, containers); [all]: every artifact of its"
          + " kind (hygiene)."
    })
final class RulesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<RuleDescriptor> rules = GpuProject.allRules();
    int width = rules.stream().mapToInt(r -> r.id().length()).max().orElse(0);
    for (RuleDescriptor r : rules) {
      out.printf("%-" + width + "s  %-7s  %s  %s%n", r.id(), r.severity().label(), tag(r.scope()), r.description());
    }
    out.flush();
    return GpuKitCommand.OK;
  }

  /** {@code [gpu]} or {@code [all]}: one width, so the descriptions line up. */
  static String tag(RuleScope scope) {
    return switch (scope) {
      case GPU -> "[gpu]";
      case ALL -> "[all]";
    };
  }
}

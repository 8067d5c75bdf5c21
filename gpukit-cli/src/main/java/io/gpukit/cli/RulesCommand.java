package io.gpukit.cli;

import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.project.GpuProject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gpukit rules}: one line per rule. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Lists every rule: id, severity, description.")
final class RulesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<RuleDescriptor> rules = GpuProject.allRules();
    int width = rules.stream().mapToInt(r -> r.id().length()).max().orElse(0);
    for (RuleDescriptor r : rules) {
      out.printf("%-" + width + "s  %-7s  %s%n", r.id(), r.severity().label(), r.description());
    }
    out.flush();
    return GpuKitCommand.OK;
  }
}

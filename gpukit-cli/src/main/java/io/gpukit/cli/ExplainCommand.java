package io.gpukit.cli;

import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.project.ArtifactKind;
import java.io.PrintWriter;
import java.util.Comparator;
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
    Optional<RuleDescriptor> rule = ArtifactKind.rule(ruleId);
    if (rule.isEmpty()) {
      String near =
          ArtifactKind.allRules().stream()
              .map(RuleDescriptor::id)
              .min(Comparator.comparingInt(id -> distance(id, ruleId)))
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

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}

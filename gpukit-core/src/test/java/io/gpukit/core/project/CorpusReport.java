package io.gpukit.core.project;

import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.RuleScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The corpus measured: per rule id, the findings gpukit and the truth agree on (TP), the ones only
 * gpukit reports (FP) and the ones only the truth has (FN), with precision and recall; and the
 * findings of GPU rules on files the scope says are not GPU, which should be none.
 */
final class CorpusReport {

  /** One repository's numbers. */
  record Measured(CorpusRepository repository, CorpusFindings expected, CorpusFindings actual, int artifactsRead) {}

  private final List<Measured> measured = new ArrayList<>();

  void add(Measured m) {
    measured.add(m);
  }

  /** Every rule id that appears in the truth or in gpukit's output, sorted. */
  TreeSet<String> ruleIds() {
    TreeSet<String> ids = new TreeSet<>();
    for (Measured m : measured) {
      m.expected().entries().forEach(e -> ids.add(CorpusFindings.ruleId(e)));
      m.actual().entries().forEach(e -> ids.add(CorpusFindings.ruleId(e)));
    }
    return ids;
  }

  /** TP, FP and FN of a rule (null: every rule) over the corpus. */
  int[] counts(String ruleId) {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    for (Measured m : measured) {
      CorpusFindings expected = ruleId == null ? m.expected() : m.expected().ofRule(ruleId);
      CorpusFindings actual = ruleId == null ? m.actual() : m.actual().ofRule(ruleId);
      tp += actual.common(expected).size();
      fp += actual.minus(expected).size();
      fn += expected.minus(actual).size();
    }
    return new int[] {tp, fp, fn};
  }

  /** What gpukit reports on files the scope calls not-gpu, as {@code repository/entry}, by rule id. */
  Map<String, List<String>> onNotGpuFiles() {
    Map<String, List<String>> out = new TreeMap<>();
    for (Measured m : measured) {
      Map<String, Boolean> scope = m.repository().scope();
      for (String e : m.actual().entries()) {
        if (Boolean.FALSE.equals(scope.get(CorpusFindings.path(e)))) {
          out.computeIfAbsent(CorpusFindings.ruleId(e), k -> new ArrayList<>()).add(m.repository().name() + "/" + e);
        }
      }
    }
    return out;
  }

  /** The findings of rules scoped to GPU artifacts on files the scope calls not-gpu. */
  List<String> gpuRuleFindingsOnNotGpuFiles() {
    List<String> out = new ArrayList<>();
    onNotGpuFiles().forEach((id, entries) -> {
      if (GpuProject.rule(id).map(RuleDescriptor::scope).orElse(RuleScope.ALL) == RuleScope.GPU) {
        out.addAll(entries);
      }
    });
    return out;
  }

  String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("gpukit on the realistic corpus (").append(measured.size()).append(" repositories)\n\n");
    sb.append(String.format(Locale.ROOT, "%-44s %-5s %4s %4s %4s %9s %7s%n", "rule", "scope", "TP", "FP", "FN", "precision", "recall"));
    for (String id : ruleIds()) {
      String scope = GpuProject.rule(id).map(r -> r.scope() == RuleScope.GPU ? "gpu" : "all").orElse("new");
      sb.append(row(id, scope, counts(id)));
    }
    sb.append(row("total", "", counts(null)));
    List<String> gpuOnNotGpu = gpuRuleFindingsOnNotGpuFiles();
    sb.append("\nfindings of GPU rules on not-gpu files: ").append(gpuOnNotGpu.size()).append(" (target 0)\n");
    gpuOnNotGpu.forEach(e -> sb.append("  ").append(e).append('\n'));
    Map<String, List<String>> onNotGpu = onNotGpuFiles();
    sb.append("findings of any rule on not-gpu files, by rule:");
    if (onNotGpu.isEmpty()) {
      sb.append(" none");
    }
    sb.append('\n');
    onNotGpu.forEach((id, entries) -> sb.append("  ").append(id).append(": ").append(entries.size()).append('\n'));
    int gpuFiles = 0;
    int notGpuFiles = 0;
    int read = 0;
    for (Measured m : measured) {
      for (boolean gpu : m.repository().scope().values()) {
        if (gpu) {
          gpuFiles++;
        } else {
          notGpuFiles++;
        }
      }
      read += m.artifactsRead();
    }
    sb.append(String.format(Locale.ROOT,
        "files: %d Dockerfiles and manifests in the scope files (%d gpu, %d not-gpu); %d artifacts read by gpukit%n",
        gpuFiles + notGpuFiles, gpuFiles, notGpuFiles, read));
    sb.append("\nper repository (expected / reported / TP / FP / FN):\n");
    for (Measured m : measured) {
      CorpusFindings e = m.expected();
      CorpusFindings a = m.actual();
      sb.append(String.format(Locale.ROOT, "  %-26s %3d %3d %3d %3d %3d%n", m.repository().name(), e.size(), a.size(),
          a.common(e).size(), a.minus(e).size(), e.minus(a).size()));
    }
    return sb.toString();
  }

  private static String row(String id, String scope, int[] c) {
    return String.format(Locale.ROOT, "%-44s %-5s %4d %4d %4d %9s %7s%n", id, scope, c[0], c[1], c[2],
        ratio(c[0], c[0] + c[1]), ratio(c[0], c[0] + c[2]));
  }

  private static String ratio(int part, int whole) {
    return whole == 0 ? "-" : String.format(Locale.ROOT, "%.2f", (double) part / whole);
  }
}

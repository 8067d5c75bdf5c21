package io.gpukit.core.report;

import io.gpukit.core.policy.BuiltInRules;
import io.gpukit.core.policy.PolicyReport;
import io.gpukit.core.policy.RuleDescriptor;
import io.gpukit.core.policy.RuleScope;
import io.gpukit.core.policy.Severity;
import io.gpukit.core.policy.Violation;
import io.gpukit.core.source.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reports built by hand for the writer tests. */
final class ReportFixtures {

  static final Path DOCKERFILE = Path.of("docker", "Dockerfile");
  static final Path DEPLOYMENT = Path.of("k8s", "deploy.yaml");
  static final Path SPACED = Path.of("my app", "Docker file");

  static final RuleDescriptor NON_ROOT =
      new RuleDescriptor(
          "dockerfile/final-stage-non-root",
          Severity.ERROR,
          "the final stage should not run as root",
          "A container running as root turns any escape into root on the node.",
          "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nCMD [\"python\", \"serve.py\"]",
          "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nUSER 10001\nCMD [\"python\", \"serve.py\"]",
          "hadolint DL3002, Checkov CKV_DOCKER_8");

  /** A GPU rule: it judges GPU containers only. */
  static final RuleDescriptor GPU_LIMITS =
      new RuleDescriptor(
          "k8s/gpu-limits-set",
          Severity.WARNING,
          "a GPU container should set nvidia.com/gpu limits",
          "Without a limit the scheduler cannot place the pod on a GPU node.",
          "",
          "",
          "",
          RuleScope.GPU);

  static final RuleDescriptor CUDA_LABEL =
      RuleDescriptor.of(
          "dockerfile/cuda-version-label", Severity.INFO, "an image should label its CUDA version", "");

  private ReportFixtures() {}

  static Violation violation(
      RuleDescriptor rule, Severity severity, Path file, int line, int column, String message, String hint) {
    return new Violation(rule.id(), severity, SourceLocation.of(file, line, column), message, hint);
  }

  static List<RuleDescriptor> rules() {
    List<RuleDescriptor> rules = new ArrayList<>(List.of(NON_ROOT, GPU_LIMITS, CUDA_LABEL));
    rules.addAll(BuiltInRules.ALL);
    return rules;
  }

  /** Two files, violations of every severity, one suppressed and one baselined. */
  static PolicyReport mixed() {
    return new PolicyReport(
        List.of(DOCKERFILE, DEPLOYMENT),
        List.of(
            violation(GPU_LIMITS, Severity.WARNING, DEPLOYMENT, 14, 9,
                "container 'trainer' sets no 'nvidia.com/gpu' limit", "add 'nvidia.com/gpu: 1' under resources.limits"),
            violation(NON_ROOT, Severity.ERROR, DOCKERFILE, 12, 1,
                "the final stage runs as 'root'", "add 'USER 10001' before CMD"),
            violation(CUDA_LABEL, Severity.INFO, DOCKERFILE, 1, 1,
                "no 'cuda.version' label", "")),
        rules(),
        List.of(violation(NON_ROOT, Severity.ERROR, DEPLOYMENT, 3, 1, "suppressed one", "")),
        List.of(violation(GPU_LIMITS, Severity.WARNING, DOCKERFILE, 2, 1, "baselined one", "")));
  }

  /** A report with messages full of characters that need escaping, in a path with spaces. */
  static PolicyReport awkward(String message, String hint) {
    return PolicyReport.of(
        List.of(SPACED),
        List.of(violation(NON_ROOT, Severity.ERROR, SPACED, 2, 5, message, hint)),
        rules());
  }

  /** Three files checked, nothing found. */
  static PolicyReport clean() {
    return PolicyReport.of(List.of(DOCKERFILE, DEPLOYMENT, SPACED), List.of(), rules());
  }

  static final String AWKWARD =
      "quote \" apostrophe ' <tag> & amp; ]]> ünïcødé 日本 🚀 tab\tend\nsecond line\r\nthird \u0001\u001b[31m";
}

package io.gpukit.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.k8s.K8sKind;
import io.gpukit.core.workflow.WorkflowKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuScopeConfigurationTests {

  private static final String GPU_DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: llm
      spec:
        replicas: 1
        selector:
          matchLabels: {app: llm}
        template:
          metadata:
            labels: {app: llm}
          spec:
            containers:
              - name: server
                image: ghcr.io/acme/llm:latest
                resources:
                  limits:
                    nvidia.com/gpu: 1
      """;

  private static List<String> ruleIds(PolicyReport report) {
    return report.violations().stream().map(Violation::ruleId).distinct().toList();
  }

  @Test
  void gpu_not_paths_keeps_every_gpu_rule_off_a_file_and_leaves_hygiene_on(@TempDir Path repo) throws IOException {
    // given
    Files.writeString(repo.resolve("gpukit.yaml"), "gpu:\n  not-paths: [\"deploy/dev/**\"]\n");
    Files.createDirectories(repo.resolve("deploy/dev"));
    Files.createDirectories(repo.resolve("deploy/prod"));
    Files.writeString(repo.resolve("deploy/dev/llm.yaml"), GPU_DEPLOYMENT);
    Files.writeString(repo.resolve("deploy/prod/llm.yaml"), GPU_DEPLOYMENT);
    PolicyEngine engine = PolicyEngine.with(GpuKitConfig.discover(repo));

    // when
    PolicyReport dev = engine.evaluate(repo.resolve("deploy/dev/llm.yaml"), K8sKind.INSTANCE);
    PolicyReport prod = engine.evaluate(repo.resolve("deploy/prod/llm.yaml"), K8sKind.INSTANCE);

    // then
    assertThat(ruleIds(prod)).contains("k8s/gpu-probes", "k8s/image-tag");
    assertThat(ruleIds(dev)).contains("k8s/image-tag").doesNotContain("k8s/gpu-probes");
    assertThat(dev.violations())
        .allSatisfy(v -> assertThat(ruleScope(v.ruleId())).isEqualTo(RuleScope.ALL));
  }

  @Test
  void amd_architecture_labels_are_gpu_runners_and_amd64_is_not() {
    GpuKitConfig config = GpuKitConfig.defaults();

    assertThat(List.of("gfx90a", "linux-gfx942", "mi300x", "rocm")).allMatch(config::isGpuRunnerLabel);
    assertThat(List.of("amd64", "linux-amd64", "ubuntu-latest", "arm64")).noneMatch(config::isGpuRunnerLabel);
  }

  @Test
  void cloud_gpu_instance_types_are_gpu_runners_and_cpu_instances_are_not() {
    GpuKitConfig config = GpuKitConfig.defaults();

    assertThat(List.of("g5.xlarge", "g4dn", "linux-g6e-2xlarge", "p4d.24xlarge", "runs-on/family=p5.48xlarge",
        "a2-highgpu-1g", "a3-megagpu-8g", "g2-standard-8", "Standard_NC24ads_A100_v4", "standard_nd96asr_v4"))
        .allMatch(config::isGpuRunnerLabel);
    assertThat(List.of("c5.xlarge", "m6i.large", "t3.medium", "n2-standard-8", "e2-standard-4", "Standard_D4s_v5",
        "ubuntu-22.04", "x64", "linux", "self-hosted", "py3", "gp3"))
        .noneMatch(config::isGpuRunnerLabel);
  }

  private static RuleScope ruleScope(String id) {
    return K8sKind.INSTANCE.rules().stream().map(Rule::descriptor).filter(d -> d.id().equals(id))
        .findFirst().or(() -> WorkflowKind.INSTANCE.rules().stream().map(Rule::descriptor)
            .filter(d -> d.id().equals(id)).findFirst())
        .map(RuleDescriptor::scope).orElse(RuleScope.ALL);
  }
}

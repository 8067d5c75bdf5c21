package io.gpukit.core.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpukit.core.policy.Violation;
import io.gpukit.core.project.GpuProject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project view over the workload kinds the manifests now read: bare Pods, ReplicaSets, batch work. */
class ProjectViewOfWorkloadsTests {

  /** A copy of the complete project fixture, which breaks no rule, in {@code folder}. */
  private static Path completeProject(Path folder) throws IOException, URISyntaxException {
    Path from = Path.of(ProjectViewOfWorkloadsTests.class.getResource("/fixtures/project/ok/complete").toURI());
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path to = folder.resolve(from.relativize(f).toString());
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    }
    return folder;
  }

  @Nested
  class Bare_pods {

    @Test
    void a_cuda_smoke_test_pod_beside_the_service_breaks_no_rule(@TempDir Path folder) throws Exception {
      // given
      Path repo = completeProject(folder);
      Files.writeString(repo.resolve("k8s/smoke-test.yaml"), """
          apiVersion: v1
          kind: Pod
          metadata: {name: cuda-vectoradd}
          spec:
            restartPolicy: OnFailure
            securityContext: {runAsNonRoot: true, runAsUser: 1000}
            tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
            containers:
            - name: cuda-vectoradd
              image: nvcr.io/nvidia/k8s/cuda-sample:vectoradd-cuda12.5.0
              resources: {limits: {nvidia.com/gpu: 1}}
          """);

      // when
      List<Violation> violations = GpuProject.scan(repo).violations();

      // then
      assertThat(violations).extracting(Violation::render).isEmpty();
    }

    @Test
    void a_serving_gpu_pod_is_judged_by_the_container_rules_but_not_against_the_pushed_image(@TempDir Path folder)
        throws Exception {
      // given
      Path repo = completeProject(folder);
      Files.writeString(repo.resolve("k8s/debug.yaml"), """
          apiVersion: v1
          kind: Pod
          metadata: {name: debug}
          spec:
            securityContext: {runAsNonRoot: true, runAsUser: 1000}
            tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
            containers:
            - name: shell
              image: nvcr.io/nvidia/pytorch:24.08-py3
              resources: {limits: {nvidia.com/gpu: 1}}
          """);

      // when
      List<String> ids = GpuProject.scan(repo).violations().stream().map(Violation::ruleId).toList();

      // then
      assertThat(ids).containsExactly("k8s/gpu-probes", "k8s/gpu-probes");
    }
  }
}

package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.GpuKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpukit.core.k8s.Manifests;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ManifestsAssertTests {

  private static final String DRA = """
      apiVersion: resource.k8s.io/v1
      kind: ResourceClaimTemplate
      metadata: {name: one-gpu}
      spec: {spec: {devices: {requests: [{name: gpu, exactly: {deviceClassName: gpu.nvidia.com}}]}}}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: triton}
      spec:
        template:
          spec:
            resourceClaims: [{name: gpu, resourceClaimTemplateName: one-gpu}]
            containers: [{name: s, image: "nvcr.io/nvidia/tritonserver:24.08-py3", resources: {claims: [{name: gpu}]}}]
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: ui}
      spec:
        template:
          spec:
            containers: [{name: s, image: "ghcr.io/acme/ui:1.0.0"}]
      """;

  @Nested
  class Has_gpu_deployment {

    @Test
    void passes_for_a_deployment_whose_gpu_comes_from_a_claim_in_the_same_file() {
      assertThat(Manifests.parse(Path.of("k8s.yaml"), DRA)).hasGpuDeployment("triton");
    }

    @Test
    void fails_for_a_deployment_without_gpu_naming_what_would_have_counted() {
      assertThatThrownBy(() -> assertThat(Manifests.parse(Path.of("k8s.yaml"), DRA)).hasGpuDeployment("ui"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("k8s.yaml:15:1: Deployment 'ui'")
          .hasMessageContaining("amd.com/gpu, claims a GPU device");
    }
  }
}

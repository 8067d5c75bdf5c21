package io.gpukit.core.k8s;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gpukit.core.source.ParseFuzzing;
import java.nio.file.Path;

/** Any bytes read as Kubernetes manifests give checked workloads or a located parse error. */
class ManifestFuzzTests {

  private static final Path FILE = Path.of("deploy", "gpu.yaml");

  @FuzzTest(maxDuration = "90s")
  void model_or_located_error(byte[] bytes) {
    ParseFuzzing.parseAndCheck(FILE, bytes, K8sKind.INSTANCE);
  }
}

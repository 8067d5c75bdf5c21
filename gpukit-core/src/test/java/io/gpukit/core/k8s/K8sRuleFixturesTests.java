package io.gpukit.core.k8s;

import io.gpukit.core.AbstractRuleFixtureTests;
import io.gpukit.core.policy.FileKind;
import java.util.regex.Pattern;

/** Golden fixtures of the Kubernetes rules, under {@code fixtures/k8s}. */
class K8sRuleFixturesTests extends AbstractRuleFixtureTests<Manifests> {

  @Override
  protected String format() {
    return "k8s";
  }

  @Override
  protected Pattern fixtureName() {
    return Pattern.compile("\\.yaml$");
  }

  @Override
  protected FileKind<Manifests> kind() {
    return K8sKind.INSTANCE;
  }
}

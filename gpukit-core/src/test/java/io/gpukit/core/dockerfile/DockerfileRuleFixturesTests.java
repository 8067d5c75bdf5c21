package io.gpukit.core.dockerfile;

import io.gpukit.core.AbstractRuleFixtureTests;
import io.gpukit.core.policy.FileKind;
import java.util.regex.Pattern;

/** Golden fixtures of the Dockerfile rules, under {@code fixtures/dockerfile}. */
class DockerfileRuleFixturesTests extends AbstractRuleFixtureTests<Dockerfile> {

  @Override
  protected String format() {
    return "dockerfile";
  }

  @Override
  protected Pattern fixtureName() {
    return Pattern.compile("\\.Dockerfile$");
  }

  @Override
  protected FileKind<Dockerfile> kind() {
    return DockerfileKind.INSTANCE;
  }
}

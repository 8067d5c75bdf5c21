package io.gpukit.core.promotion;

import io.gpukit.core.AbstractRuleFixtureTests;
import io.gpukit.core.policy.FileKind;
import java.util.regex.Pattern;

/** Golden fixtures of the promotion rules, under {@code fixtures/promotion}: flows (YAML, JSON) and runbooks. */
class PromotionRuleFixturesTests extends AbstractRuleFixtureTests<PromotionFlow> {

  @Override
  protected String format() {
    return "promotion";
  }

  @Override
  protected Pattern fixtureName() {
    return Pattern.compile("\\.(ya?ml|json|md)$");
  }

  @Override
  protected FileKind<PromotionFlow> kind() {
    return PromotionKind.INSTANCE;
  }
}

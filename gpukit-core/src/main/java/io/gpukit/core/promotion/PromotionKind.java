package io.gpukit.core.promotion;

import io.gpukit.core.policy.FileKind;
import io.gpukit.core.policy.Rule;
import io.gpukit.core.source.SourceFile;
import java.util.List;

/**
 * Promotion flows and rollback runbooks as a {@link FileKind}: parsed with {@link
 * PromotionFlow#parse(SourceFile)}, checked with {@link PromotionRules#ALL}.
 *
 * @since 0.1.0
 */
public final class PromotionKind implements FileKind<PromotionFlow> {

  /** The one instance. */
  public static final PromotionKind INSTANCE = new PromotionKind();

  private PromotionKind() {}

  @Override
  public String name() {
    return "promotion";
  }

  @Override
  public PromotionFlow parse(SourceFile file) {
    return PromotionFlow.parse(file);
  }

  @Override
  public List<Rule<PromotionFlow>> rules() {
    return PromotionRules.ALL;
  }
}

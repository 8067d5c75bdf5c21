package io.gpukit.core.promotion;

import io.gpukit.core.policy.Rule;
import java.util.List;

/**
 * The promotion flow and rollback runbook rules. Ids are stable: they appear in reports, ignores
 * and baselines.
 *
 * @since 0.1.0
 */
public final class PromotionRules {

  private PromotionRules() {}

  /** Every promotion rule, in a stable order. */
  public static final List<Rule<PromotionFlow>> ALL = List.of();
}

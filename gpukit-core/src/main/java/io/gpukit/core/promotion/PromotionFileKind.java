package io.gpukit.core.promotion;

/**
 * What a promotion file is: a flow (YAML or JSON with {@code image_promotion_flow}) or a rollback
 * runbook (a Markdown file whose fenced shell blocks hold the rollback commands).
 *
 * @since 0.1.0
 */
public enum PromotionFileKind {
  /** {@code promotion.yaml}, {@code promotion.yml}, {@code promotion.json}: stages and rollback commands. */
  FLOW,
  /** {@code ROLLBACK.md}: rollback commands only, read from its fenced shell blocks. */
  RUNBOOK
}

package io.gpukit.core.promotion;

import io.gpukit.core.source.SourceLocation;
import java.util.Objects;
import java.util.Optional;

/**
 * One simple shell command of a rollback section or runbook ({@code a && b} is two commands).
 *
 * @param text the command as written, without prompt, comment or the operator that chained it
 * @param location where the command starts
 * @param kubectl the command read as {@code kubectl rollout …}; empty for any other command
 * @since 0.1.0
 */
public record RollbackCommand(String text, SourceLocation location, Optional<KubectlRollout> kubectl) {

  /** Validates the fields. */
  public RollbackCommand {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(kubectl, "kubectl");
  }

  /** A command read from its text: {@code kubectl} is parsed with {@link KubectlRollout#parse}. */
  public static RollbackCommand of(String text, SourceLocation location) {
    return new RollbackCommand(text, location, KubectlRollout.parse(text, location));
  }
}

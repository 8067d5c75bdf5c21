package io.gpukit.core.policy;

import io.gpukit.core.source.SourceLocation;
import java.util.Comparator;
import java.util.Objects;

/**
 * One rule broken at one place.
 *
 * <p>Rendered as text: {@code file:line:col: severity: message [rule-id]}, and the hint on the
 * next line. Violations sort by file, line, column, then rule id and message, so output never
 * depends on hash order.
 *
 * @param ruleId the stable id of the rule, e.g. {@code dockerfile/final-stage-non-root}
 * @param severity the effective severity (after configuration)
 * @param location where the rule is broken
 * @param message what is wrong, quoting values in {@code '…'}
 * @param hint a copy-paste fix; empty when there is none
 * @since 0.1.0
 */
public record Violation(
    String ruleId, Severity severity, SourceLocation location, String message, String hint)
    implements Comparable<Violation> {

  private static final Comparator<Violation> ORDER =
      Comparator.comparing(Violation::location)
          .thenComparing(Violation::ruleId)
          .thenComparing(Violation::message);

  /** Validates the fields; a {@code null} hint becomes empty. */
  public Violation {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
    hint = hint == null ? "" : hint;
  }

  /** This violation with another severity. */
  public Violation withSeverity(Severity newSeverity) {
    return new Violation(ruleId, newSeverity, location, message, hint);
  }

  /** {@code file:line:col: severity: message [rule-id]}, one line. */
  public String render() {
    return location.render() + ": " + severity.label() + ": " + message + " [" + ruleId + "]";
  }

  /** The rendered line, then {@code   hint: …} when there is a hint. */
  public String renderWithHint() {
    return hint.isEmpty() ? render() : render() + System.lineSeparator() + "  hint: " + hint;
  }

  @Override
  public int compareTo(Violation other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return render();
  }
}

package io.gpukit.core.policy;

import io.gpukit.core.source.SourceFile;
import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inline ignores of one file: {@code # gpukit:ignore <rule-id>[,<rule-id>…] -- <reason>}, on
 * the offending line or the line above it.
 *
 * <pre>{@code
 * # gpukit:ignore dockerfile/base-image-pinned -- rebuilt nightly from our own mirror
 * FROM internal/cuda-base
 * }</pre>
 *
 * An ignore without a reason still works, but is itself reported as {@code
 * gpukit/ignore-without-reason}: a suppression nobody can review will outlive its cause.
 *
 * @since 0.1.0
 */
public final class InlineSuppressions {

  private static final Pattern IGNORE =
      Pattern.compile("#\\s*gpukit:ignore\\s+([A-Za-z0-9*/,_-]+)(?:\\s+--\\s*(.*?))?\\s*$");

  /**
   * One inline ignore.
   *
   * @param ruleIds the rule ids it names ({@code *} for every rule)
   * @param reason the reason after {@code --}; empty when missing
   * @param location where the comment is
   */
  public record Suppression(List<String> ruleIds, String reason, SourceLocation location) {
    /** Copies the ids. */
    public Suppression {
      ruleIds = List.copyOf(ruleIds);
    }

    /** Whether it silences a violation of {@code ruleId} on {@code line}. */
    public boolean covers(String ruleId, int line) {
      int own = location.line();
      return (line == own || line == own + 1)
          && (ruleIds.contains(ruleId) || ruleIds.contains("*"));
    }
  }

  private final List<Suppression> suppressions;

  private InlineSuppressions(List<Suppression> suppressions) {
    this.suppressions = List.copyOf(suppressions);
  }

  /** Finds the inline ignores of a file. */
  public static InlineSuppressions scan(SourceFile file) {
    List<Suppression> found = new ArrayList<>();
    List<String> lines = file.lines();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.contains("gpukit:ignore")) {
        continue;
      }
      Matcher m = IGNORE.matcher(line);
      if (m.find()) {
        String reason = m.group(2) == null ? "" : m.group(2).strip();
        List<String> ids = List.of(m.group(1).split(","));
        found.add(new Suppression(ids, reason, file.at(i + 1, m.start() + 1)));
      }
    }
    return new InlineSuppressions(found);
  }

  /** No inline ignores. */
  public static InlineSuppressions none() {
    return new InlineSuppressions(List.of());
  }

  /** All inline ignores, in file order. */
  public List<Suppression> all() {
    return suppressions;
  }

  /** The ignore that silences a violation, if any. */
  public Optional<Suppression> find(Violation violation) {
    return suppressions.stream()
        .filter(s -> s.covers(violation.ruleId(), violation.location().line()))
        .findFirst();
  }

  /** A {@code gpukit/ignore-without-reason} warning for each ignore without a reason. */
  public List<Violation> missingReasons() {
    List<Violation> out = new ArrayList<>();
    for (Suppression s : suppressions) {
      if (s.reason().isEmpty()) {
        out.add(
            new Violation(
                BuiltInRules.IGNORE_WITHOUT_REASON.id(),
                BuiltInRules.IGNORE_WITHOUT_REASON.severity(),
                s.location(),
                "inline ignore of '" + String.join(",", s.ruleIds()) + "' gives no reason",
                "add the reason after ' -- ': # gpukit:ignore " + String.join(",", s.ruleIds()) + " -- <why>"));
      }
    }
    return out;
  }
}

package io.gpukit.core.policy;

import java.util.List;

/**
 * Rules of the engine itself, reported whatever the file kind.
 *
 * @since 0.1.0
 */
public final class BuiltInRules {

  /** A file that cannot be read or parsed. */
  public static final RuleDescriptor PARSE_ERROR =
      new RuleDescriptor(
          "gpukit/parse-error",
          Severity.ERROR,
          "every checked file should parse",
          "A file that cannot be parsed cannot be checked; gpukit reports where parsing stopped"
              + " instead of passing the file silently.",
          "",
          "",
          "");

  /** An inline ignore without a reason. */
  public static final RuleDescriptor IGNORE_WITHOUT_REASON =
      new RuleDescriptor(
          "gpukit/ignore-without-reason",
          Severity.WARNING,
          "an inline ignore should give its reason after ' -- '",
          "A suppression without a reason cannot be reviewed; the next reader cannot tell whether it"
              + " still applies.",
          "# gpukit:ignore dockerfile/base-image-pinned",
          "# gpukit:ignore dockerfile/base-image-pinned -- the base is rebuilt nightly by infra",
          "");

  /** A rule that threw: a bug in gpukit, reported instead of a crash. */
  public static final RuleDescriptor INTERNAL_ERROR =
      new RuleDescriptor(
          "gpukit/internal-error",
          Severity.ERROR,
          "every rule should finish without an internal error",
          "A rule failed on this input; the other rules still ran. This is a gpukit bug.",
          "",
          "",
          "");

  /** A rule id in gpukit.yaml that names no rule. */
  public static final RuleDescriptor UNKNOWN_RULE =
      new RuleDescriptor(
          "gpukit/unknown-rule",
          Severity.WARNING,
          "every rule id in gpukit.yaml should name a rule",
          "A misspelt id under 'severity' or 'ignore' silently matches nothing: the rule you meant to"
              + " tune or silence still runs as before.",
          "severity:\n  dockerfile/non-root: warning",
          "severity:\n  dockerfile/final-stage-non-root: warning",
          "");

  /** All built-in rules. */
  public static final List<RuleDescriptor> ALL =
      List.of(PARSE_ERROR, IGNORE_WITHOUT_REASON, INTERNAL_ERROR, UNKNOWN_RULE);

  private BuiltInRules() {}
}

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

  /** What gpukit reads, for hints: the kinds of files it recognises and where. */
  public static final String WHAT_GPUKIT_READS =
      "a Dockerfile (Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile; or any file whose first instruction is"
          + " FROM or ARG), a GitHub Actions workflow (.github/workflows/*.yml; or YAML with top-level 'on' and"
          + " 'jobs'), Kubernetes manifests (YAML with top-level 'apiVersion' and 'kind'), a promotion flow"
          + " (promotion.yaml, or YAML or JSON with top-level 'image_promotion_flow') or a rollback runbook (ROLLBACK.md)";

  /** A file named to the check that is of no kind gpukit reads. */
  public static final RuleDescriptor UNKNOWN_FILE_KIND =
      new RuleDescriptor(
          "gpukit/unknown-file-kind",
          Severity.ERROR,
          "every file named to the check should be of a kind gpukit reads",
          "A file named on the command line that gpukit cannot classify would otherwise pass unchecked; the"
              + " other files named with it are still checked.",
          "gpukit check Dockerfile notes.txt",
          "gpukit check Dockerfile",
          "");

  /** A folder in which nothing gpukit reads was found. */
  public static final RuleDescriptor NOTHING_TO_CHECK =
      new RuleDescriptor(
          "gpukit/nothing-to-check",
          Severity.ERROR,
          "a checked folder should hold at least one artifact gpukit reads",
          "A wrong path, or artifacts in places gpukit does not look, would pass every rule unchecked. Name the"
              + " places under 'project:' in gpukit.yaml, or set this rule to off under 'severity:' where an empty"
              + " folder is expected.",
          "gpukit check docs/",
          "gpukit check .",
          "");

  /** All built-in rules. */
  public static final List<RuleDescriptor> ALL =
      List.of(PARSE_ERROR, IGNORE_WITHOUT_REASON, INTERNAL_ERROR, UNKNOWN_RULE, UNKNOWN_FILE_KIND, NOTHING_TO_CHECK);

  private BuiltInRules() {}
}

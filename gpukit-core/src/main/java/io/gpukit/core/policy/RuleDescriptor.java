package io.gpukit.core.policy;

import java.util.Objects;

/**
 * What a rule is, without how it is checked: what reports (SARIF {@code tool.driver.rules}),
 * {@code gpukit rules} and {@code gpukit explain} print.
 *
 * @param id the stable id, {@code <kind>/<name>}; never renamed once published
 * @param severity the default severity
 * @param description one sentence, "<subject> should <condition>"
 * @param rationale why the rule exists
 * @param failingExample a snippet that breaks the rule; may be empty
 * @param fixedExample the same snippet fixed; may be empty
 * @param related ids of the matching rules in other tools (hadolint, Trivy, Checkov…); may be empty
 * @param scope what the rule judges: GPU artifacts only, or every artifact of its kind
 * @since 0.1.0
 */
public record RuleDescriptor(
    String id,
    Severity severity,
    String description,
    String rationale,
    String failingExample,
    String fixedExample,
    String related,
    RuleScope scope) {

  /** Validates the fields; {@code null} texts become empty. */
  public RuleDescriptor {
    Objects.requireNonNull(id, "id");
    if (!id.matches("[a-z0-9-]+/[a-z0-9-]+")) {
      throw new IllegalArgumentException("rule id must look like 'kind/name' but was '" + id + "'");
    }
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(description, "description");
    rationale = rationale == null ? "" : rationale;
    failingExample = failingExample == null ? "" : failingExample;
    fixedExample = fixedExample == null ? "" : fixedExample;
    related = related == null ? "" : related;
    Objects.requireNonNull(scope, "scope");
  }

  /** A descriptor of a rule that judges every artifact of its kind ({@link RuleScope#ALL}). */
  public RuleDescriptor(
      String id, Severity severity, String description, String rationale, String failingExample,
      String fixedExample, String related) {
    this(id, severity, description, rationale, failingExample, fixedExample, related, RuleScope.ALL);
  }

  /** A descriptor with only an id, a severity and a description. */
  public static RuleDescriptor of(String id, Severity severity, String description, String rationale) {
    return new RuleDescriptor(id, severity, description, rationale, "", "", "");
  }
}

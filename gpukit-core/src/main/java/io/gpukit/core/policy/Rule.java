package io.gpukit.core.policy;

import io.gpukit.core.source.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A rule with a stable id over one kind of subject (a {@code Dockerfile}, a workflow…), read as a
 * sentence: {@code id, severity, "<subject> should <condition>", because …}.
 *
 * <pre>{@code
 * Rule<Dockerfile> rule = Rule.<Dockerfile>define("dockerfile/final-stage-non-root")
 *     .error()
 *     .describedAs("the final stage should run as a non-root user")
 *     .because("a process that escapes the container as root owns the GPU node")
 *     .checkedBy((dockerfile, findings) -> { ... findings.report(location, message, hint); });
 * }</pre>
 *
 * @param <T> the subject the rule checks
 * @since 0.1.0
 */
public final class Rule<T> {

  /** Checks a subject and reports what it finds. */
  @FunctionalInterface
  public interface Check<T> {
    /** Reports every place where {@code subject} breaks the rule. */
    void check(T subject, Findings findings);
  }

  /** Where a check reports; it fills in the rule id and default severity. */
  public interface Findings {
    /** Reports one violation. */
    void report(SourceLocation location, String message, String hint);

    /** Reports one violation with a severity other than the rule's default. */
    void report(Severity severity, SourceLocation location, String message, String hint);

    /** The configuration in force (GPU runner labels, GPU probe commands…). */
    GpuKitConfig config();
  }

  private final RuleDescriptor descriptor;
  private final Check<T> check;

  private Rule(RuleDescriptor descriptor, Check<T> check) {
    this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
    this.check = Objects.requireNonNull(check, "check");
  }

  /** Starts defining a rule with a stable id, {@code kind/name}. */
  public static <T> Builder<T> define(String id) {
    return new Builder<>(id);
  }

  /** The rule's id, severity and texts. */
  public RuleDescriptor descriptor() {
    return descriptor;
  }

  /** The stable id. */
  public String id() {
    return descriptor.id();
  }

  /** The default severity. */
  public Severity severity() {
    return descriptor.severity();
  }

  /**
   * Checks a subject. A rule that throws is a bug in the rule: the failure is reported as a
   * {@code gpukit/internal-error} violation by the engine, never propagated.
   */
  public List<Violation> check(T subject, SourceLocation subjectLocation) {
    return check(subject, subjectLocation, GpuKitConfig.defaults());
  }

  /** Checks a subject under a configuration. */
  public List<Violation> check(T subject, SourceLocation subjectLocation, GpuKitConfig config) {
    List<Violation> found = new ArrayList<>();
    Findings findings =
        new Findings() {
          @Override
          public void report(SourceLocation location, String message, String hint) {
            report(descriptor.severity(), location, message, hint);
          }

          @Override
          public void report(Severity severity, SourceLocation location, String message, String hint) {
            found.add(new Violation(descriptor.id(), severity, location, message, hint));
          }

          @Override
          public GpuKitConfig config() {
            return config;
          }
        };
    try {
      check.check(subject, findings);
    } catch (RuntimeException e) {
      found.add(
          new Violation(
              BuiltInRules.INTERNAL_ERROR.id(),
              Severity.ERROR,
              subjectLocation,
              "rule '" + descriptor.id() + "' failed: " + e,
              "please report this as a gpukit bug, with the file that triggers it"));
    }
    return List.copyOf(found);
  }

  @Override
  public String toString() {
    return descriptor.id() + " (" + descriptor.severity().label() + "): " + descriptor.description();
  }

  /**
   * Builds a {@link Rule}.
   *
   * @param <T> the subject type
   */
  public static final class Builder<T> {
    private final String id;
    private Severity severity = Severity.ERROR;
    private String description = "";
    private String rationale = "";
    private String failing = "";
    private String fixed = "";
    private String related = "";
    private RuleScope scope = RuleScope.ALL;

    private Builder(String id) {
      this.id = Objects.requireNonNull(id, "id");
    }

    /** Default severity error. */
    public Builder<T> error() {
      this.severity = Severity.ERROR;
      return this;
    }

    /** Default severity warning. */
    public Builder<T> warning() {
      this.severity = Severity.WARNING;
      return this;
    }

    /** Default severity info. */
    public Builder<T> info() {
      this.severity = Severity.INFO;
      return this;
    }

    /** "<subject> should <condition>". */
    public Builder<T> describedAs(String sentence) {
      this.description = Objects.requireNonNull(sentence, "sentence");
      return this;
    }

    /** Why the rule exists. */
    public Builder<T> because(String reason) {
      this.rationale = Objects.requireNonNull(reason, "reason");
      return this;
    }

    /** A snippet that breaks the rule and the same snippet fixed, for {@code gpukit explain}. */
    public Builder<T> example(String failingSnippet, String fixedSnippet) {
      this.failing = Objects.requireNonNull(failingSnippet, "failingSnippet");
      this.fixed = Objects.requireNonNull(fixedSnippet, "fixedSnippet");
      return this;
    }

    /** The ids of matching rules in other tools, e.g. {@code "hadolint DL3002, Trivy DS002"}. */
    public Builder<T> relatedTo(String otherToolIds) {
      this.related = Objects.requireNonNull(otherToolIds, "otherToolIds");
      return this;
    }

    /**
     * Marks the rule as a GPU rule ({@link RuleScope#GPU}): its check judges only the Dockerfiles,
     * jobs and containers gpukit finds to be GPU, and {@code gpukit explain} says so. Rules are
     * hygiene rules ({@link RuleScope#ALL}) unless marked.
     */
    public Builder<T> onGpuArtifactsOnly() {
      this.scope = RuleScope.GPU;
      return this;
    }

    /** Finishes the rule with its check. */
    public Rule<T> checkedBy(Check<T> check) {
      if (description.isBlank()) {
        throw new IllegalStateException("rule '" + id + "' needs describedAs(\"… should …\")");
      }
      return new Rule<>(
          new RuleDescriptor(id, severity, description, rationale, failing, fixed, related, scope), check);
    }
  }
}

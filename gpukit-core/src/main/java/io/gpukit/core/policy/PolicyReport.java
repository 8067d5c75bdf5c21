package io.gpukit.core.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The immutable result of checking files: the violations that count, sorted by file, line, column
 * and rule id; the rules that ran; and what was suppressed or baselined.
 *
 * <p>Producing a report never throws. Only {@link #assertNoViolations()} throws, an {@link
 * AssertionError} listing every violation as text.
 *
 * @param files the files that were checked, in the order given
 * @param violations the violations that count, sorted
 * @param rules the rules that ran (and the engine's own, when they fired), sorted by id
 * @param suppressed violations silenced by an inline ignore or the configuration, sorted
 * @param baselined violations matched by the baseline, sorted
 * @param scopes what gpukit treated as GPU in each file that parsed, and why, in file order
 * @since 0.1.0
 */
public record PolicyReport(
    List<Path> files,
    List<Violation> violations,
    List<RuleDescriptor> rules,
    List<Violation> suppressed,
    List<Violation> baselined,
    List<ArtifactScope> scopes) {

  /** Copies and sorts everything. */
  public PolicyReport {
    files = List.copyOf(files);
    scopes = List.copyOf(scopes);
    violations = violations.stream().sorted().collect(Collectors.toUnmodifiableList());
    rules = distinctById(rules);
    suppressed = suppressed.stream().sorted().collect(Collectors.toUnmodifiableList());
    baselined = baselined.stream().sorted().collect(Collectors.toUnmodifiableList());
  }

  /** A report without scopes. */
  public PolicyReport(
      List<Path> files, List<Violation> violations, List<RuleDescriptor> rules, List<Violation> suppressed,
      List<Violation> baselined) {
    this(files, violations, rules, suppressed, baselined, List.of());
  }

  /** This report with the scopes of its files. */
  public PolicyReport withScopes(List<ArtifactScope> newScopes) {
    return new PolicyReport(files, violations, rules, suppressed, baselined, newScopes);
  }

  /** The scope of one file, if it was checked and parsed. */
  public Optional<ArtifactScope> scopeOf(Path file) {
    return scopes.stream().filter(s -> s.file().equals(file)).findFirst();
  }

  private static List<RuleDescriptor> distinctById(List<RuleDescriptor> rules) {
    Map<String, RuleDescriptor> byId = new LinkedHashMap<>();
    rules.stream()
        .sorted(Comparator.comparing(RuleDescriptor::id))
        .forEach(r -> byId.putIfAbsent(r.id(), r));
    return List.copyOf(byId.values());
  }

  /** A report of violations only (tests, single-file checks). */
  public static PolicyReport of(List<Path> files, List<Violation> violations, List<RuleDescriptor> rules) {
    return new PolicyReport(files, violations, rules, List.of(), List.of());
  }

  /** An empty report. */
  public static PolicyReport empty() {
    return of(List.of(), List.of(), List.of());
  }

  /** Whether any violation counts. */
  public boolean hasViolations() {
    return !violations.isEmpty();
  }

  /** The violations of one rule. */
  public List<Violation> violationsOf(String ruleId) {
    return violations.stream().filter(v -> v.ruleId().equals(ruleId)).collect(Collectors.toUnmodifiableList());
  }

  /** How many violations there are of each severity; every severity is present. */
  public Map<Severity, Integer> countsBySeverity() {
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      counts.put(s, 0);
    }
    violations.forEach(v -> counts.merge(v.severity(), 1, Integer::sum));
    return counts;
  }

  /** How many violations there are of one severity. */
  public int count(Severity severity) {
    return countsBySeverity().get(severity);
  }

  /** Whether any violation is at least as severe as {@code threshold}; {@code null} means never. */
  public boolean failsAt(Severity threshold) {
    return threshold != null && violations.stream().anyMatch(v -> v.severity().isAtLeast(threshold));
  }

  /** This report and another, as if checked together. */
  public PolicyReport merge(PolicyReport other) {
    List<Path> allFiles = new ArrayList<>(files);
    other.files.stream().filter(f -> !allFiles.contains(f)).forEach(allFiles::add);
    return new PolicyReport(
        allFiles,
        concat(violations, other.violations),
        concat(rules, other.rules),
        concat(suppressed, other.suppressed),
        concat(baselined, other.baselined),
        concat(scopes, other.scopes));
  }

  private static <E> List<E> concat(List<E> a, List<E> b) {
    List<E> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** One line: {@code N files checked: E errors, W warnings, I infos}. */
  public String summary() {
    Map<Severity, Integer> c = countsBySeverity();
    StringBuilder sb = new StringBuilder();
    sb.append(files.size()).append(files.size() == 1 ? " file" : " files").append(" checked: ");
    sb.append(plural(c.get(Severity.ERROR), "error")).append(", ");
    sb.append(plural(c.get(Severity.WARNING), "warning")).append(", ");
    sb.append(plural(c.get(Severity.INFO), "info"));
    if (!suppressed.isEmpty()) {
      sb.append(" (").append(suppressed.size()).append(" suppressed)");
    }
    if (!baselined.isEmpty()) {
      sb.append(" (").append(baselined.size()).append(" in baseline)");
    }
    return sb.toString();
  }

  private static String plural(int n, String word) {
    return n + " " + word + (n == 1 || word.equals("info") ? "" : "s");
  }

  /**
   * Throws an {@link AssertionError} listing every violation with its hint, if there is any.
   *
   * @throws AssertionError when the report has violations
   */
  public void assertNoViolations() {
    if (!hasViolations()) {
      return;
    }
    String nl = System.lineSeparator();
    StringBuilder sb = new StringBuilder();
    sb.append("Expecting no gpukit violations but found ").append(violations.size()).append(':').append(nl);
    for (Violation v : violations) {
      sb.append(v.renderWithHint()).append(nl);
    }
    sb.append(summary());
    throw new AssertionError(sb.toString());
  }

  /** Requires a non-null report (used by assertion entry points). */
  static PolicyReport requireNonNull(PolicyReport report) {
    return Objects.requireNonNull(report, "report");
  }
}

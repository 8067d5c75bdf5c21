package io.gpukit.core.project;

import io.gpukit.core.policy.Violation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Findings of one corpus repository as the truth files write them, {@code relative/path:LINE
 * rule-id}, kept as a sorted multiset: two findings of one rule on one line (no readinessProbe, no
 * livenessProbe) are two entries.
 */
record CorpusFindings(List<String> entries) {

  CorpusFindings {
    List<String> sorted = new ArrayList<>(entries);
    sorted.sort(null);
    entries = List.copyOf(sorted);
  }

  /** What gpukit reports on a repository, paths relative to it. */
  static CorpusFindings of(Path repository, Collection<Violation> violations) {
    return new CorpusFindings(violations.stream().map(v -> entry(repository, v)).toList());
  }

  /** One violation as a truth-file entry. */
  static String entry(Path repository, Violation v) {
    return relative(repository, v.location().file()) + ":" + v.location().line() + " " + v.ruleId();
  }

  /** A path relative to the repository, with forward slashes; the repository itself is {@code .}. */
  static String relative(Path repository, Path file) {
    Path root = repository.toAbsolutePath().normalize();
    Path path = file.toAbsolutePath().normalize();
    String relative = root.relativize(path).toString().replace('\\', '/');
    return relative.isEmpty() ? "." : relative;
  }

  /** The entries of this multiset that {@code other} lacks (each entry counted as often as it occurs). */
  CorpusFindings minus(CorpusFindings other) {
    List<String> left = new ArrayList<>(entries);
    other.entries.forEach(left::remove);
    return new CorpusFindings(left);
  }

  /** Both multisets together. */
  CorpusFindings plus(CorpusFindings other) {
    List<String> all = new ArrayList<>(entries);
    all.addAll(other.entries);
    return new CorpusFindings(all);
  }

  /** The entries both have (each as often as both have it). */
  CorpusFindings common(CorpusFindings other) {
    return minus(minus(other));
  }

  int size() {
    return entries.size();
  }

  /** The rule id of an entry. */
  static String ruleId(String entry) {
    return entry.substring(entry.lastIndexOf(' ') + 1);
  }

  /** The relative path of an entry. */
  static String path(String entry) {
    String location = entry.substring(0, entry.lastIndexOf(' '));
    return location.substring(0, location.lastIndexOf(':'));
  }

  /** The entries of one rule. */
  CorpusFindings ofRule(String ruleId) {
    return new CorpusFindings(entries.stream().filter(e -> Objects.equals(ruleId(e), ruleId)).toList());
  }
}

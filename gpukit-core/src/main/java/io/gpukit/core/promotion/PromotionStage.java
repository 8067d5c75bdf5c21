package io.gpukit.core.promotion;

import io.gpukit.core.source.SourceLocation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One stage of a promotion flow.
 *
 * @param name the {@code stage} (its name); empty when the stage has none
 * @param env the {@code env} the stage deploys to
 * @param tagPattern the {@code tag_pattern}: a Java regular expression matched against the whole
 *     image tag
 * @param gates the {@code gate}s a release passes before it enters the stage ({@code ci-green},
 *     {@code smoke-test}, {@code manual-approval}, {@code canary:<metric>}…), a single value being
 *     a list of one
 * @param cluster the {@code cluster}
 * @param namespace the {@code namespace}
 * @param location where the stage's mapping starts
 * @param fieldLocations where each key written in the stage has its value, by key ({@code stage},
 *     {@code env}, {@code tag_pattern}, {@code gate}…), unknown keys included, in file order
 * @since 0.1.0
 */
public record PromotionStage(
    String name,
    Optional<String> env,
    Optional<String> tagPattern,
    List<String> gates,
    Optional<String> cluster,
    Optional<String> namespace,
    SourceLocation location,
    Map<String, SourceLocation> fieldLocations) {

  /** The keys a stage knows, in the order they are documented. */
  public static final List<String> KNOWN_KEYS = List.of("stage", "env", "tag_pattern", "gate", "cluster", "namespace");

  /** Validates the fields and copies the collections. */
  public PromotionStage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(tagPattern, "tagPattern");
    gates = List.copyOf(gates);
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(location, "location");
    fieldLocations = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fieldLocations));
  }

  /** The tag pattern compiled; empty when there is none or it does not compile. */
  public Optional<Pattern> compiledTagPattern() {
    if (tagPattern.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Pattern.compile(tagPattern.get()));
    } catch (PatternSyntaxException | StackOverflowError e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the stage accepts an image tag: its tag pattern matches the whole tag ({@link
   * java.util.regex.Matcher#matches()}). A stage without a usable pattern accepts nothing.
   */
  public boolean acceptsTag(String tag) {
    return compiledTagPattern().map(p -> TagMatching.matches(p, tag)).orElse(false);
  }

  /** Where a key's value is written, else where the stage starts. */
  public SourceLocation locationOf(String key) {
    return fieldLocations.getOrDefault(key, location);
  }

  /** The stage's name for messages: {@code stage 'prod'}, or {@code the stage at line 12}. */
  public String describe() {
    return name.isBlank() ? "the stage at line " + location.line() : "stage '" + name + "'";
  }
}

package io.gpukit.core.promotion;

import io.gpukit.core.internal.BoundedMatch;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whole-string matching with a budget: a tag pattern comes from a file under review, and a pattern
 * such as {@code (a+){1,30}b} backtracks exponentially. Matching goes through {@link BoundedMatch},
 * which gives up past {@link #MAX_READS} character reads.
 */
final class TagMatching {

  /** Character reads one match may make; a sane tag pattern on a sane tag makes a few hundred. */
  static final int MAX_READS = BoundedMatch.MAX_READS;

  /** The longest tag Docker accepts, and so the length of a probe tag. */
  static final int MAX_TAG_LENGTH = 128;

  /** Characters the probe tags are made of, at most. */
  private static final int PROBE_CHARS = 12;

  private TagMatching() {}

  /**
   * A tag Docker accepts (at most {@link #MAX_TAG_LENGTH} characters) on which matching {@code
   * pattern} runs out of budget, if there is one among the probes: a prefix the pattern accepts
   * ({@code samples}, or none), one character of the pattern repeated up to the length limit, with or
   * without a last character that makes the match fail late. Bounded repetition of a repetition such
   * as {@code (a+){1,30}b} or {@code (a|aa){1,100}b}, and a repetition nested twice such as {@code
   * ((a+)+)+b}, backtrack exponentially on exactly such a tag. (Since Java 9 the matcher remembers
   * where a simple {@code (a+)+} failed, so that one costs the square of the length: a 128-character
   * tag is cheap, a 10,000-character string runs out of budget.) Every probe is itself matched
   * under the budget, so this ends.
   */
  static Optional<String> costlyTag(Pattern pattern, List<String> samples) {
    Set<Character> chars = new LinkedHashSet<>();
    for (String source : concat(pattern.pattern(), samples)) {
      for (int i = 0; i < source.length() && chars.size() < PROBE_CHARS; i++) {
        char c = source.charAt(i);
        if (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_') {
          chars.add(c);
        }
      }
    }
    chars.add('a');
    chars.add('0');
    List<String> prefixes = new ArrayList<>();
    prefixes.add("");
    samples.stream().limit(3).forEach(prefixes::add);
    for (String prefix : prefixes) {
      if (prefix.length() >= MAX_TAG_LENGTH - 1) {
        continue;
      }
      for (char c : chars) {
        String body = prefix + String.valueOf(c).repeat(MAX_TAG_LENGTH - 1 - prefix.length());
        for (String tag : List.of(body + "!", body)) {
          if (tryMatches(pattern, tag).isEmpty()) {
            return Optional.of(tag);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  /** Whether {@code pattern} matches the whole {@code text}; false when the budget runs out. */
  static boolean matches(Pattern pattern, String text) {
    return tryMatches(pattern, text).orElse(false);
  }

  /** Whether {@code pattern} matches the whole {@code text}; empty when the budget runs out. */
  static Optional<Boolean> tryMatches(Pattern pattern, String text) {
    return BoundedMatch.matches(pattern, text);
  }
}

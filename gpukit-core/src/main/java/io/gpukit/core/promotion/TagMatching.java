package io.gpukit.core.promotion;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whole-string matching with a budget: a tag pattern comes from a file under review, and a pattern
 * such as {@code (a|aa)*b} backtracks exponentially. The input is read through a {@link
 * CharSequence} that counts reads and gives up past {@link #MAX_READS}.
 */
final class TagMatching {

  /** Character reads one match may make; a sane tag pattern on a sane tag makes a few hundred. */
  static final int MAX_READS = 200_000;

  private TagMatching() {}

  /** Whether {@code pattern} matches the whole {@code text}; false when the budget runs out. */
  static boolean matches(Pattern pattern, String text) {
    return tryMatches(pattern, text).orElse(false);
  }

  /** Whether {@code pattern} matches the whole {@code text}; empty when the budget runs out. */
  static Optional<Boolean> tryMatches(Pattern pattern, String text) {
    try {
      return Optional.of(pattern.matcher(new Budgeted(text)).matches());
    } catch (BudgetExceeded | StackOverflowError e) {
      return Optional.empty();
    }
  }

  private static final class BudgetExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetExceeded() {
      super(null, null, false, false);
    }
  }

  private static final class Budgeted implements CharSequence {
    private final String text;
    private int reads;

    Budgeted(String text) {
      this.text = text;
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public char charAt(int index) {
      if (++reads > MAX_READS) {
        throw new BudgetExceeded();
      }
      return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}

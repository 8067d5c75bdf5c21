package io.gpukit.core.internal;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Regular-expression matching with a budget, for patterns a user wrote (a promotion flow's {@code
 * tag_pattern}, {@code gpukit.yaml}'s patterns) applied to text from a file under review. The input
 * is read through a {@link CharSequence} that counts reads and gives up past the budget, so a
 * pattern that backtracks exponentially ends in a known number of steps instead of hanging a check.
 */
public final class BoundedMatch {

  /** Character reads one match may make; a sane pattern on a sane input makes a few hundred. */
  public static final int MAX_READS = 200_000;

  private BoundedMatch() {}

  /** Whether {@code pattern} matches the whole {@code text}; empty when the budget runs out. */
  public static Optional<Boolean> matches(Pattern pattern, CharSequence text) {
    try {
      return Optional.of(pattern.matcher(new Budgeted(text)).matches());
    } catch (BudgetExceeded | StackOverflowError e) {
      return Optional.empty();
    }
  }

  /** Whether {@code pattern} matches somewhere in {@code text}; empty when the budget runs out. */
  public static Optional<Boolean> find(Pattern pattern, CharSequence text) {
    try {
      return Optional.of(pattern.matcher(new Budgeted(text)).find());
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
    private final CharSequence text;
    private int reads;

    Budgeted(CharSequence text) {
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
      return text.toString();
    }
  }
}

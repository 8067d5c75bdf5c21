package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldHaveViolation.shouldHaveViolationAtLine;
import static io.gpukit.core.assertions.error.ShouldHaveViolation.shouldHaveViolationWithMessage;

import io.gpukit.core.policy.Violation;
import java.util.List;
import org.assertj.core.api.AbstractListAssert;
import org.assertj.core.api.ObjectAssert;

/**
 * Assertions on the violations of one rule, reached through {@link
 * PolicyReportAssert#hasViolation(String)}.
 *
 * @since 0.1.0
 */
public class ViolationsAssert
    extends AbstractListAssert<ViolationsAssert, List<Violation>, Violation, ObjectAssert<Violation>> {

  private final String ruleId;

  /** Creates the assertion over one rule's violations. */
  public ViolationsAssert(String ruleId, List<Violation> violations) {
    super(violations, ViolationsAssert.class);
    this.ruleId = ruleId;
  }

  /** Verifies that one of the violations is at a 1-based line. */
  public ViolationsAssert atLine(int line) {
    isNotNull();
    if (line < 1) {
      throw new IllegalArgumentException("line must be 1 or more but was " + line);
    }
    if (actual.stream().noneMatch(v -> v.location().line() == line)) {
      throw assertionError(shouldHaveViolationAtLine(actual, ruleId, line));
    }
    return myself;
  }

  /** Verifies that one of the violations' messages contains a text. */
  public ViolationsAssert withMessageContaining(String text) {
    isNotNull();
    if (actual.stream().noneMatch(v -> v.message().contains(text))) {
      throw assertionError(shouldHaveViolationWithMessage(actual, ruleId, text));
    }
    return myself;
  }

  @Override
  protected ObjectAssert<Violation> toAssert(Violation value, String description) {
    return new ObjectAssert<>(value).as(description);
  }

  @Override
  protected ViolationsAssert newAbstractIterableAssert(Iterable<? extends Violation> iterable) {
    List<Violation> copy = new java.util.ArrayList<>();
    iterable.forEach(copy::add);
    return new ViolationsAssert(ruleId, copy);
  }
}

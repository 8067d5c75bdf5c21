package io.gpukit.core.assertions;

import static io.gpukit.core.assertions.error.ShouldHaveViolation.shouldHaveViolationAtLine;
import static io.gpukit.core.assertions.error.ShouldHaveViolation.shouldHaveViolationWithMessage;

import io.gpukit.core.policy.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.assertj.core.api.AbstractListAssert;
import org.assertj.core.api.ObjectAssert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Assertions on the violations of one rule, reached through {@link
 * PolicyReportAssert#hasViolation(String)}.
 *
 * <pre>{@code
 * // passes when the rule fired on line 3 with a message about HTTP
 * assertThat(report).hasViolation("dockerfile/final-stage-healthcheck").atLine(3).withMessageContaining("HTTP");
 * // fails listing the lines it fired on
 * assertThat(report).hasViolation("dockerfile/final-stage-healthcheck").atLine(2);
 * }</pre>
 *
 * @since 0.1.0
 */
public class ViolationsAssert
    extends AbstractListAssert<ViolationsAssert, List<Violation>, Violation, ObjectAssert<Violation>> {

  private String ruleId;

  /** Creates the assertion over one rule's violations. */
  public ViolationsAssert(String ruleId, List<Violation> violations) {
    super(violations, ViolationsAssert.class);
    this.ruleId = Arguments.requireNonNull(ruleId, "rule id");
  }

  /**
   * Creates the assertion over violations whose rule is read from the first one (the constructor
   * soft assertions proxy).
   */
  public ViolationsAssert(List<Violation> violations) {
    super(violations, ViolationsAssert.class);
    this.ruleId = violations == null || violations.isEmpty() ? "(any rule)" : violations.get(0).ruleId();
  }

  static ViolationsAssert navigate(SoftAssertionsProvider softly, String ruleId, Supplier<List<Violation>> find) {
    return Navigation.to(
        softly, ViolationsAssert.class, listType(), find, ofRule -> new ViolationsAssert(ruleId, ofRule),
        child -> child.ruleId = ruleId);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Class<List<Violation>> listType() {
    return (Class) List.class;
  }

  /**
   * Verifies that one of the violations is at a 1-based line.
   *
   * @throws IllegalArgumentException if {@code line} is less than 1
   */
  public ViolationsAssert atLine(int line) {
    if (line < 1) {
      throw new IllegalArgumentException("The given line should be 1 or more but was " + line);
    }
    isNotNull();
    if (actual.stream().noneMatch(v -> v.location().line() == line)) {
      throw assertionError(shouldHaveViolationAtLine(actual, ruleId, line));
    }
    return myself;
  }

  /**
   * Verifies that one of the violations' messages contains a text.
   *
   * @throws NullPointerException if {@code text} is null
   */
  public ViolationsAssert withMessageContaining(String text) {
    Arguments.requireNonNull(text, "text");
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
    List<Violation> copy = new ArrayList<>();
    iterable.forEach(copy::add);
    return new ViolationsAssert(ruleId, copy);
  }
}

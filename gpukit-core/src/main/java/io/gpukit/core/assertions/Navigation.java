package io.gpukit.core.assertions;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.assertj.core.api.Assert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Navigation from an assertion to a child assertion ({@code finalStage()}, {@code job(id)}, …).
 *
 * <p>Asserting directly, the child is built with its context and a missing target fails at once.
 * Under soft assertions the child is a proxy of the same soft assertions (so its failures are
 * collected too), made with the one-argument constructor AssertJ's proxies use and then given its
 * context; a missing target is collected and the child asserts on {@code null}.
 */
final class Navigation {

  private Navigation() {}

  static <C extends Assert<? extends C, ? extends A>, A> C to(
      SoftAssertionsProvider softly,
      Class<C> assertType,
      Class<A> actualType,
      Supplier<A> find,
      Function<A, C> direct,
      Consumer<C> context) {
    if (softly == null) {
      return direct.apply(find.get());
    }
    A target;
    try {
      target = find.get();
    } catch (AssertionError missing) {
      softly.collectAssertionError(missing);
      target = null;
    }
    C child = softly.proxy(assertType, actualType, target);
    context.accept(child);
    return child;
  }
}

package io.gpukit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdentityMemoTests {

  private final AtomicInteger computed = new AtomicInteger();

  private String compute() {
    return "value " + computed.incrementAndGet();
  }

  @Test
  void computes_once_per_object_and_context() {
    // given
    IdentityMemo<Object, String> memo = new IdentityMemo<>(8);
    Object model = new Object();
    Object config = new Object();

    // when
    String first = memo.get(model, config, this::compute);
    String second = memo.get(model, config, this::compute);

    // then
    assertThat(second).isSameAs(first);
    assertThat(computed).hasValue(1);
  }

  @Test
  void compares_by_identity_and_starts_afresh_under_another_context() {
    // given
    IdentityMemo<String, String> memo = new IdentityMemo<>(8);
    String model = new String("Dockerfile");
    String equalModel = new String("Dockerfile");
    Object config = new Object();

    // when
    memo.get(model, config, this::compute);
    memo.get(equalModel, config, this::compute);
    memo.get(model, new Object(), this::compute);

    // then
    assertThat(computed).hasValue(3);
  }

  @Test
  void keeps_no_more_than_its_capacity() {
    // given
    IdentityMemo<Object, String> memo = new IdentityMemo<>(2);
    Object config = new Object();
    Object a = new Object();

    // when
    memo.get(a, config, this::compute);
    memo.get(new Object(), config, this::compute);
    memo.get(new Object(), config, this::compute); // full: starts afresh
    memo.get(a, config, this::compute);

    // then
    assertThat(computed).hasValue(4);
  }
}

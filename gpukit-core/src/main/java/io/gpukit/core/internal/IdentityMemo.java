package io.gpukit.core.internal;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Remembers what was computed for a model object under one configuration, by identity, on the
 * current thread: every rule of a check asks for the same GPU scope of the same Dockerfile, job or
 * manifest file, and models are immutable. A different configuration, or more than {@code capacity}
 * entries, starts afresh, so a thread holds at most one check's worth of results. Not API.
 *
 * @param <K> the model
 * @param <V> what is computed from it
 */
public final class IdentityMemo<K, V> {

  private final int capacity;
  private final ThreadLocal<State<K, V>> state = ThreadLocal.withInitial(State::new);

  private static final class State<K, V> {
    private Object context;
    private final Map<K, V> values = new IdentityHashMap<>();
  }

  /** A memo that keeps at most {@code capacity} results per thread. */
  public IdentityMemo(int capacity) {
    this.capacity = capacity;
  }

  /** The value remembered for {@code key} under {@code context} (compared by identity), computed once. */
  public V get(K key, Object context, Supplier<V> compute) {
    State<K, V> s = state.get();
    if (s.context != context || s.values.size() >= capacity) {
      s.context = context;
      s.values.clear();
    }
    V value = s.values.get(key);
    if (value == null) {
      value = compute.get();
      s.values.put(key, value);
    }
    return value;
  }
}

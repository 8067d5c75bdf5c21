package io.gpukit.junit;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** How long each step of a class's set-up took, published as {@code gpukit.timings}. */
final class SetUpTimings {

  private final Map<String, String> phases = new LinkedHashMap<>();
  private final Map<String, String> notes = new LinkedHashMap<>();
  private final long start = System.nanoTime();

  <T> T time(String phase, Supplier<T> step) {
    long begin = System.nanoTime();
    try {
      return step.get();
    } finally {
      phases.put(phase, seconds(System.nanoTime() - begin));
    }
  }

  void run(String phase, Runnable step) {
    time(phase, () -> {
      step.run();
      return null;
    });
  }

  void note(String phase, String note) {
    notes.put(phase, note);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
  }

  /** {@code image=0.41s(built) start=0.93s route=0.35s probe=2.10s ... total=15.62s}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    phases.forEach((phase, took) -> text.append(phase).append('=').append(took)
        .append(notes.containsKey(phase) ? "(" + notes.get(phase) + ")" : "").append(' '));
    return text.append("total=").append(seconds(System.nanoTime() - start)).toString();
  }
}

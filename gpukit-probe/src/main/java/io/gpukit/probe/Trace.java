package io.gpukit.probe;

import java.io.PrintStream;

/**
 * Where a cold probe's wall time goes outside the checks: with the hidden
 * {@code -Dgpukit.probe.trace=true}, {@link GpuProbe#main} prints one line on stderr before it
 * exits,
 * <pre>gpukit-probe trace: main=EPOCH_US parsed=+US ... flushed=+US</pre>
 * the wall-clock time {@code main} was entered (so that {@code gpu/startup.sh} can subtract its
 * own launch time: the JVM's boot) and each later phase in microseconds since then. Off, a mark
 * costs one static boolean read.
 */
final class Trace {

  static final String PROPERTY = "gpukit.probe.trace";
  private static final boolean ON = Boolean.getBoolean(PROPERTY);
  private static final int MAX = 16;
  private static final String[] NAMES = new String[MAX];
  private static final long[] NANOS = new long[MAX];
  private static long epochMicros;
  private static int count;

  private Trace() {}

  static void mark(String name) {
    if (!ON) {
      return;
    }
    long now = System.nanoTime();
    synchronized (Trace.class) {
      if (count == 0) {
        java.time.Instant t = java.time.Instant.now();
        epochMicros = t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
        now = System.nanoTime();
      }
      if (count < MAX) {
        NAMES[count] = name;
        NANOS[count] = now;
        count++;
      }
    }
  }

  static void print(PrintStream err) {
    if (!ON) {
      return;
    }
    StringBuilder sb = new StringBuilder("gpukit-probe trace:");
    synchronized (Trace.class) {
      for (int i = 0; i < count; i++) {
        sb.append(' ').append(NAMES[i]).append('=');
        if (i == 0) {
          sb.append(epochMicros);
        } else {
          sb.append('+').append((NANOS[i] - NANOS[0]) / 1000);
        }
      }
    }
    err.println(sb);
  }
}

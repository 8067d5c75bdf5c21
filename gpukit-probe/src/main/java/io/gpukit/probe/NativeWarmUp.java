package io.gpukit.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The cold probe's early CUDA start: {@code cuInit} and the primary contexts through the probe's
 * own small JNI library ({@code libgpukitprobe.so}, built from {@code src/main/c} into the jar for
 * the build machine's platform), which calls {@code libcuda.so.1} directly. It starts first thing
 * in {@code main} (see {@link #startEarly}), on its own thread, while JavaCPP is still linking its CUDA
 * binding (some 50 ms on an H200 machine: {@code libjnicudart}, {@code libcudart},
 * {@code libcuda}, and the 500 classes its {@code JNI_OnLoad} loads), which is when the JavaCPP
 * warm-up could first call {@code cuInit}. The checks make the same calls through JavaCPP and
 * report what they see; the driver's state and primary contexts are the process's, so they find
 * the work done.
 *
 * <p>The library is extracted next to JavaCPP's JNI libraries (the same directory and layout,
 * {@code DIR/JAR-FILE-NAME/io/gpukit/probe/native/PLATFORM/libgpukitprobe.so}; {@code
 * --cds-training} extracts it there at image build time) and loaded in place when its size and
 * CRC-32 match the jar's entry. Whatever is missing (no library for this platform in the jar, a
 * read-only directory without it, a C library too old to load it, no driver) only means that
 * nothing starts early: the JavaCPP warm-up and the checks do the work as before.
 *
 * <p>Loaded as a JVM agent ({@code java -agentpath:DIR/.../libgpukitprobe.so -jar
 * gpukit-probe.jar ...}), the same library starts the same calls a few milliseconds into the JVM's
 * boot, before {@code main}, when the probe's arguments ask for a readiness or deep run (the same
 * rules as {@link GpuProbe#earlyDevice}); {@link #cudaWarmUp} then waits for that start instead of
 * making its own.
 */
final class NativeWarmUp {

  static final String LIBRARY = "libgpukitprobe.so";

  /** The thread's result: {@code null} while it runs or when it never started. */
  private static volatile Integer result;

  private NativeWarmUp() {}

  /** Where the jar keeps the library for {@code platform}. */
  static String entry(String platform) {
    return "io/gpukit/probe/native/" + platform + "/" + LIBRARY;
  }

  /**
   * Starts {@code cuInit} (and with {@code context} the primary context of {@code device}, every
   * device when {@code null}) on a daemon thread, which first finds, extracts or verifies the
   * library and loads it, then runs {@code loaded} (whether or not that worked), then calls into
   * the driver. Java 17 loads one native library at a time, {@code JNI_OnLoad} included, so
   * JavaCPP's linking (whose {@code JNI_OnLoad} loads some 500 classes) should start in
   * {@code loaded}, not beside this. Never throws.
   */
  static void start(Path cacheDirectory, boolean context, Integer device, Runnable loaded) {
    Thread t = new Thread(new Start(cacheDirectory, context, device, loaded),
        "gpukit-probe-cuda-start");
    t.setDaemon(true);
    t.start();
  }

  private static final Object LOCK = new Object();
  /** Set once {@link #startEarly} ran. */
  private static boolean early;
  /** Set once the early start has loaded its library, or given up on it. */
  private static boolean earlyLoaded;
  /** What {@link #whenLoaded} asked to run once the early start has loaded its library. */
  private static Runnable afterLoad;

  /**
   * The cold probe's earliest start, first thing in {@code main} for a readiness or deep run (see
   * {@link GpuProbe#earlyDevice}): as {@link #start} with a context, in the native cache directory
   * that {@link NativeCache#chosen} picks; whatever {@link #whenLoaded} registers runs once the
   * library is loaded. Never throws.
   */
  static void startEarly(Integer device) {
    synchronized (LOCK) {
      if (early) {
        return;
      }
      early = true;
    }
    start(null, true, device, new Runnable() {
      @Override
      public void run() {
        Runnable next;
        synchronized (LOCK) {
          earlyLoaded = true;
          next = afterLoad;
          afterLoad = null;
        }
        if (next != null) {
          next.run();
        }
      }
    });
  }

  /** Whether {@link #startEarly} ran in this process. */
  static boolean startedEarly() {
    synchronized (LOCK) {
      return early;
    }
  }

  /**
   * Runs {@code next} once the early start has loaded its library (or found none): at once on this
   * thread when it has, else later on the early start's thread. Only for a process where
   * {@link #startedEarly} holds.
   */
  static void whenLoaded(Runnable next) {
    synchronized (LOCK) {
      if (!earlyLoaded) {
        afterLoad = next;
        return;
      }
    }
    next.run();
  }

  /**
   * Whether the library, loaded as a JVM agent ({@code -agentpath}), had started the driver before
   * {@code main}; known once a start has loaded the library.
   */
  static boolean startedByAgent() {
    return byAgent;
  }

  private static volatile boolean byAgent;
  /** Set once this class has loaded the library. */
  private static volatile boolean loadedHere;

  /**
   * Before the watchdog halts a hung run: the JVM's end then does not wait for the agent's thread
   * (which it otherwise does, at most 2 s, so that the process does not exit while the driver is
   * inside {@code cuInit}). Does nothing where this class has not loaded the library.
   */
  static void exitWithoutWaiting() {
    if (loadedHere) {
      try {
        exitWithoutWaitingNative();
      } catch (LinkageError e) {
        // A library without the call: the JVM's end waits, as it would have.
      }
    }
  }

  /** What the last start returned: see {@link #cudaWarmUp}; {@code null} when none finished. */
  static Integer result() {
    return result;
  }

  /** An anonymous class rather than a lambda: the first lambda costs start-up time. */
  private static final class Start implements Runnable {
    private final Path cacheDirectory;
    private final boolean context;
    private final Integer device;
    private final Runnable loaded;

    Start(Path cacheDirectory, boolean context, Integer device, Runnable loaded) {
      this.cacheDirectory = cacheDirectory;
      this.context = context;
      this.device = device;
      this.loaded = loaded;
    }

    @Override
    public void run() {
      boolean linked = false;
      try {
        Path dir = cacheDirectory != null ? cacheDirectory : NativeCache.chosen().directory();
        Path library = library(dir, NativeCache.jarOfThisClass(), NativeCache.platform());
        if (library != null) {
          System.load(library.toString());
          linked = true;
          loadedHere = true;
          byAgent = agentDevice() != GpuProbe.NO_EARLY_START;
        }
      } catch (IOException | RuntimeException | LinkageError e) {
        // Nothing starts early; the checks make the same calls.
      } finally {
        loaded.run();
      }
      if (linked) {
        try {
          result = cudaWarmUp(device == null ? -1 : device, context);
        } catch (RuntimeException | LinkageError e) {
          // As above.
        }
      }
    }
  }

  /**
   * The library below {@code dir} as {@code --cds-training} or JavaCPP would extract it, verified
   * against {@code jar}'s entry, extracted there first when it is missing or differs and the
   * directory is writable; {@code null} when there is none to load.
   */
  static Path library(Path dir, Path jar, String platform) throws IOException {
    if (dir == null || jar == null || platform == null) {
      return null;
    }
    String name = entry(platform);
    Path file = dir.resolve(jar.getFileName().toString()).resolve(name);
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry entry = zip.getEntry(name);
      if (entry == null) {
        return null;
      }
      if (Files.isRegularFile(file) && Files.size(file) == entry.getSize()
          && NativeCache.crc32(file) == entry.getCrc()) {
        return file;
      }
      Path parent = file.getParent();
      Files.createDirectories(parent);
      if (!Files.isWritable(parent)) {
        return null;
      }
      Path tmp = Files.createTempFile(parent, "." + LIBRARY, ".tmp");
      try (InputStream in = zip.getInputStream(entry)) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return file;
    }
  }

  /**
   * In {@code libgpukitprobe.so}: -1 when {@code libcuda.so.1} or one of its functions cannot be
   * found, the result of {@code cuInit(0)} when that failed, else 0 after retaining the primary
   * context of {@code device} (every device when negative) when {@code context} is set.
   */
  static native int cudaWarmUp(int device, boolean context);

  /**
   * In {@code libgpukitprobe.so}: when it was loaded as a JVM agent and started the driver, the
   * device whose primary context it retains ({@link GpuProbe#ALL_DEVICES} for every device); else
   * {@link GpuProbe#NO_EARLY_START}.
   */
  static native int agentDevice();

  /** In {@code libgpukitprobe.so}: see {@link #exitWithoutWaiting}. */
  static native void exitWithoutWaitingNative();

  /**
   * In {@code libgpukitprobe.so}: the agent's own reading of the probe's arguments, which must
   * never start the driver where {@link GpuProbe#earlyDevice} would not (held to it by tests).
   */
  static native int agentEarlyDevice(String[] args, String warmUp);
}

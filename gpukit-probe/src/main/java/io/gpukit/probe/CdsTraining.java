package io.gpukit.probe;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The hidden {@code --cds-training} mode: loads, without a GPU, the classes a probe run needs, so
 * that an image build can record them in an AppCDS archive which the probe then maps at start
 * ({@code -XX:SharedArchiveFile=probe.jsa}) instead of reading, parsing and verifying them from the
 * jar every time.
 *
 * <p>It loads (without initialising them) the probe's classes, JavaCPP's core classes and the
 * JavaCPP classes of the NVML and CUDA runtime bindings (the JNI libraries' {@code JNI_OnLoad} loads
 * them all in a real run); with {@code -Dorg.bytedeco.javacpp.cachedir} it extracts the JNI
 * libraries there; it then goes through the cold probe's own JavaCPP path (choosing and verifying
 * the native cache, {@code Loader.load} of the CUDA binding from a second thread as the warm-up
 * does, then of NVML), which ends before any JNI library is linked and never calls into the
 * driver; and finally runs the probe's own code paths (a readiness and a liveness run, the JSON and the human
 * report, judging a heartbeat file) against a simulated healthy GPU, which loads the JDK classes
 * those paths use.
 *
 * <p>The class list of such a run ({@code -XX:DumpLoadedClassList}) feeds a static archive
 * ({@code -Xshare:dump}), which works on any Java 17 runtime, including a jlink'ed one without a
 * default CDS archive, where {@code -XX:ArchiveClassesAtExit} refuses to run.
 */
final class CdsTraining {

  static final String FLAG = "--cds-training";

  private CdsTraining() {}

  static GpuProbe.Exit run(PrintStream out) {
    // Whatever happens below, JavaCPP must not extract into ~/.javacpp at image build time.
    System.setProperty(NativeCache.CACHE_LIBRARIES_PROPERTY, "false");
    int loaded = 0;
    int failed = 0;
    ClassLoader loader = CdsTraining.class.getClassLoader();
    for (String name : classNames()) {
      try {
        Class.forName(name, false, loader);
        loaded++;
      } catch (ClassNotFoundException | LinkageError e) {
        failed++;
      }
    }
    try {
      // What JavaCPP's Loader does before it loads a library: read the presets' annotations
      // (through reflection proxies) and the platform properties. No native code is touched.
      org.bytedeco.javacpp.Loader.loadProperties(
          Class.forName("org.bytedeco.cuda.global.nvml", false, loader),
          org.bytedeco.javacpp.Loader.loadProperties(), true);
    } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
      failed++;
    }
    List<String> extracted = extractNatives();
    String linked = linkAsTheColdProbeDoes();
    PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true,
        StandardCharsets.UTF_8);
    int[] codes = new int[4];
    codes[0] = GpuProbe.run(new String[] {"--json"}, Map.of(), sink, sink, TrainingGpu.SUPPLIER,
        Clock.systemUTC()).code();
    codes[1] = GpuProbe.run(new String[] {"--mode", "liveness"}, Map.of(), sink, sink,
        TrainingGpu.SUPPLIER, Clock.systemUTC()).code();
    try {
      Path dir = Files.createTempDirectory("gpukit-probe-cds-");
      Path file = dir.resolve("heartbeat.json");
      try (GpuHeartbeat heartbeat = GpuHeartbeat.builder().file(file).gpu(TrainingGpu.SUPPLIER)
          .build()) {
        heartbeat.beat();
      }
      codes[2] = GpuProbe.run(new String[] {"--heartbeat", file.toString(), "--max-age", "15s",
          "--json"}, Map.of(), sink, sink, TrainingGpu.SUPPLIER, Clock.systemUTC()).code();
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    } catch (IOException | RuntimeException e) {
      codes[2] = -1;
    }
    codes[3] = GpuProbe.run(new String[] {"--mode", "warm"}, Map.of(), sink, sink,
        TrainingGpu.SUPPLIER, Clock.systemUTC()).code();
    boolean ok = codes[0] == 0 && codes[1] == 0 && codes[2] == 0 && codes[3] == 64
        && !extracted.contains("failed");
    out.println(Json.write(Map.of("cdsTraining", ok, "classesLoaded", loaded,
        "classesNotLoadable", failed, "codes", List.of(codes[0], codes[1], codes[2], codes[3]),
        "nativesExtracted", extracted, "bindings", linked)));
    return new GpuProbe.Exit(ok ? 0 : ProbeExitCode.INTERNAL.code(), false);
  }

  /**
   * With {@code -Dorg.bytedeco.javacpp.cachedir=DIR}, extracts the JNI libraries of this platform
   * into DIR the way JavaCPP's {@code Loader} caches them (same layout, size and time stamp), so
   * that an image can ship them in a read-only folder and the probe writes nothing at run time,
   * and links {@code DIR/libgpukitprobe.so} to the probe's own library for {@code -agentpath} (see
   * {@link #agentLink}). Without the property nothing is extracted.
   */
  static List<String> extractNatives() {
    List<String> done = new java.util.ArrayList<>();
    if (System.getProperty(NativeCache.CACHEDIR_PROPERTY) == null) {
      return done;
    }
    String platform = org.bytedeco.javacpp.Loader.getPlatform();
    String[] libraries = {
      "org/bytedeco/javacpp/" + platform + "/libjnijavacpp.so",
      "org/bytedeco/cuda/" + platform + "/libjnicudart.so",
      "org/bytedeco/cuda/" + platform + "/libjninvml.so",
      "org/bytedeco/cuda/" + platform + "/libjnicublas.so",
    };
    // The probe's own library, where the build had a C compiler for this platform (optional).
    java.net.URL own = CdsTraining.class.getClassLoader().getResource(NativeWarmUp.entry(platform));
    if (own != null) {
      try {
        java.io.File file = org.bytedeco.javacpp.Loader.cacheResource(own);
        done.add(file.toString());
        done.add(agentLink(Path.of(System.getProperty(NativeCache.CACHEDIR_PROPERTY)),
            file.toPath()).toString());
      } catch (IOException | RuntimeException e) {
        done.add("failed");
        done.add(NativeWarmUp.LIBRARY + ": " + e);
      }
    }
    for (String name : libraries) {
      java.net.URL url = CdsTraining.class.getClassLoader().getResource(name);
      try {
        if (url == null) {
          done.add("failed");
          done.add(name + " is not in the jar");
          continue;
        }
        done.add(org.bytedeco.javacpp.Loader.cacheResource(url).toString());
      } catch (IOException | RuntimeException e) {
        done.add("failed");
        done.add(name + ": " + e);
      }
    }
    return done;
  }

  /**
   * Links {@code DIR/libgpukitprobe.so} to the extracted {@code library} below {@code DIR} (a
   * relative link, so that the folder can be copied elsewhere whole), replacing what was there:
   * the stable path for {@code -agentpath}, whatever the jar's file name and the platform. Returns
   * the link.
   */
  static Path agentLink(Path dir, Path library) throws IOException {
    Path link = dir.resolve(NativeWarmUp.LIBRARY);
    Files.deleteIfExists(link);
    // Both real paths: a folder reached through a link of its own would otherwise get a relative
    // link that points elsewhere.
    Path target = dir.toRealPath().relativize(library.toRealPath());
    Files.createSymbolicLink(link, target);
    if (!Files.isSameFile(link, library)) {
      throw new IOException(link + " -> " + target + " does not lead to " + library);
    }
    return link;
  }

  /**
   * The cold probe's JavaCPP path up to linking: the native cache (and verifying the libraries just
   * extracted, as the probe does before loading them in place), {@code Loader.load} of the CUDA
   * binding on a second thread and of NVML on this one. JavaCPP is not allowed to extract here
   * ({@code cacheLibraries=false}), so the JNI libraries are not linked; the NVIDIA libraries they
   * preload may be, where present, but no function in them is called. Returns what happened, for
   * the training's JSON line.
   */
  static String linkAsTheColdProbeDoes() {
    String cache = System.getProperty(NativeCache.CACHEDIR_PROPERTY);
    Path jar = NativeCache.jarOfThisClass();
    String platform = NativeCache.platform();
    String verified = "not extracted";
    if (cache != null && jar != null && platform != null) {
      // What the cold probe checks before it loads them in place.
      verified = NativeCache.loadInPlace(new NativeCache.Choice(Path.of(cache), "training"), jar,
          platform).reason().contains("in place") ? "verified" : "not verified";
    }
    final JavaCppGpuApi api = new JavaCppGpuApi(false);
    try {
      api.prepareNatives();
    } catch (GpuException e) {
      return "native cache: " + e.getMessage();
    }
    final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    final String[] cuda = new String[1];
    Thread t = new Thread(new Runnable() {
      @Override
      public void run() {
        try {
          api.loadCuda();
          cuda[0] = "linked";
        } catch (GpuException | RuntimeException | LinkageError e) {
          cuda[0] = "not linked";
        } finally {
          done.countDown();
        }
      }
    }, "gpukit-probe-warmup");
    t.setDaemon(true);
    t.start();
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String nvml;
    try {
      api.loadNvml();
      nvml = "linked";
    } catch (GpuException | RuntimeException | LinkageError e) {
      nvml = "not linked";
    }
    return "natives " + verified + "; CUDA binding " + cuda[0] + ", NVML binding " + nvml;
  }

  /** The classes of the probe, JavaCPP's core, and the NVML and CUDA runtime bindings. */
  static List<String> classNames() {
    List<String> names = new java.util.ArrayList<>();
    Path jar = jar();
    if (jar == null) {
      return names;
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      Enumeration<JarEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        String n = entries.nextElement().getName();
        if (n.endsWith(".class") && !n.endsWith("module-info.class") && wanted(n)) {
          names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.'));
        }
      }
    } catch (IOException e) {
      // Only what the simulated runs load is recorded then.
    }
    return names;
  }

  private static boolean wanted(String entry) {
    if (entry.startsWith("io/gpukit/probe/")) {
      return true;
    }
    if (entry.startsWith("org/bytedeco/javacpp/")) {
      // The core and the annotations; not the build-time tools (but their logger), indexers, chrono.
      String rest = entry.substring("org/bytedeco/javacpp/".length());
      // chrono: libjnijavacpp's JNI_OnLoad loads those.
      return !rest.contains("/") || rest.startsWith("annotation/") || rest.startsWith("chrono/")
          || rest.startsWith("presets/") || rest.startsWith("tools/Logger");
    }
    return entry.startsWith("org/bytedeco/cuda/cudart/") || entry.startsWith("org/bytedeco/cuda/nvml/")
        || entry.equals("org/bytedeco/cuda/global/cudart.class")
        || entry.equals("org/bytedeco/cuda/global/nvml.class")
        || entry.equals("org/bytedeco/cuda/presets/cudart.class")
        || entry.equals("org/bytedeco/cuda/presets/nvml.class");
  }

  private static Path jar() {
    try {
      var source = CdsTraining.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      Path p = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(p) ? p : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /** A healthy single-GPU machine, for the training runs only. */
  static final class TrainingGpu implements GpuApi {

    static final java.util.function.Supplier<GpuApi> SUPPLIER =
        new java.util.function.Supplier<GpuApi>() {
          @Override
          public GpuApi get() {
            return new TrainingGpu();
          }
        };

    private static final String UUID = "GPU-00000000-0000-0000-0000-000000000000";

    @Override
    public String prepareNatives() {
      return "training";
    }

    @Override
    public void loadNvml() {}

    @Override
    public void nvmlInit() {}

    @Override
    public String driverVersion() {
      return "0.0";
    }

    @Override
    public String nvmlVersion() {
      return "0.0";
    }

    @Override
    public int nvmlCudaDriverVersion() {
      return 13000;
    }

    @Override
    public int nvmlDeviceCount() {
      return 1;
    }

    @Override
    public NvmlDevice nvmlDevice(int index) {
      return new NvmlDevice(index, "training", UUID, 1L << 34, 1L << 33, 1L << 33, 30, 1L, 0L,
          false, false, false);
    }

    @Override
    public void loadCuda() {}

    @Override
    public void cudaInit() {}

    @Override
    public int cudaDeviceCount() {
      return 1;
    }

    @Override
    public String cudaDeviceUuid(int device) {
      return UUID;
    }

    @Override
    public int cudaRuntimeVersion() {
      return 13000;
    }

    @Override
    public int cudaDriverVersion() {
      return 13000;
    }

    @Override
    public byte[] roundTrip(int device, byte[] data) {
      return data.clone();
    }

    @Override
    public float[] saxpy(int device, String ptx, byte[] fatbin, float a, float[] x, float[] y) {
      float[] out = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        out[i] = Math.fma(x[i], a, y[i]);
      }
      return out;
    }

    @Override
    public void loadCublas() {}

    @Override
    public float[] sgemm(int device, int m, int n, int k, float[] a, float[] b) {
      return new float[m * n];
    }

    @Override
    public long[] memoryInfo(int device) {
      return new long[] {1L << 33, 1L << 34};
    }

    @Override
    public boolean tryAllocate(int device, long bytes) {
      return false;
    }

    @Override
    public List<String> pollXidErrors() {
      return List.of();
    }
  }
}

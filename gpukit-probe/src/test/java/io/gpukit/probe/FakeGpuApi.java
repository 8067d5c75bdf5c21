package io.gpukit.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A scriptable GPU: healthy by default, with failures and hangs injected per call. */
class FakeGpuApi implements GpuApi {

  final List<String> calls = new CopyOnWriteArrayList<>();
  final Map<String, GpuException> failures = new ConcurrentHashMap<>();
  final Map<String, CountDownLatch> hangs = new ConcurrentHashMap<>();
  final List<NvmlDevice> devices = new ArrayList<>();
  int cudaCount = 2;
  long allocatableBytes = 10L << 30;
  boolean corruptRoundTrip;
  boolean wrongSaxpy;
  /** The fatbin the last saxpy was given. */
  volatile byte[] lastFatbin;
  boolean wrongSgemm;
  List<String> xids = new ArrayList<>();

  FakeGpuApi() {
    devices.add(device(0, 80_000L << 20, 60));
    devices.add(device(1, 80_000L << 20, 61));
  }

  static NvmlDevice device(int index, long free, int temp) {
    return new NvmlDevice(index, "NVIDIA H200", uuid(index), 143_771L << 20, free,
        (143_771L << 20) - free, temp, 0x1L, 0L, false, false, false);
  }

  static String uuid(int index) {
    return "GPU-0000000" + index + "-1111-2222-3333-444444444444";
  }

  FakeGpuApi fail(String call, GpuException.Kind kind) {
    failures.put(call, new GpuException(kind, call + " failed: injected"));
    return this;
  }

  CountDownLatch hang(String call) {
    CountDownLatch latch = new CountDownLatch(1);
    hangs.put(call, latch);
    return latch;
  }

  private void enter(String call) throws GpuException {
    calls.add(call);
    CountDownLatch latch = hangs.get(call);
    if (latch != null) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    GpuException failure = failures.get(call);
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String prepareNatives() throws GpuException {
    enter("prepareNatives");
    return "cachedir=/fake";
  }

  @Override
  public void loadNvml() throws GpuException {
    enter("loadNvml");
  }

  @Override
  public void nvmlInit() throws GpuException {
    enter("nvmlInit");
  }

  @Override
  public String driverVersion() throws GpuException {
    enter("driverVersion");
    return "580.95.05";
  }

  @Override
  public String nvmlVersion() throws GpuException {
    enter("nvmlVersion");
    return "13.580.95.05";
  }

  @Override
  public int nvmlCudaDriverVersion() throws GpuException {
    enter("nvmlCudaDriverVersion");
    return 13000;
  }

  @Override
  public int nvmlDeviceCount() throws GpuException {
    enter("nvmlDeviceCount");
    return devices.size();
  }

  @Override
  public NvmlDevice nvmlDevice(int index) throws GpuException {
    enter("nvmlDevice");
    return devices.get(index);
  }

  @Override
  public void loadCuda() throws GpuException {
    enter("loadCuda");
  }

  @Override
  public void cudaInit() throws GpuException {
    enter("cudaInit");
  }

  @Override
  public int cudaDeviceCount() throws GpuException {
    enter("cudaDeviceCount");
    return cudaCount;
  }

  @Override
  public String cudaDeviceUuid(int device) throws GpuException {
    enter("cudaDeviceUuid");
    return uuid(device);
  }

  @Override
  public int cudaRuntimeVersion() throws GpuException {
    enter("cudaRuntimeVersion");
    return 13000;
  }

  @Override
  public int cudaDriverVersion() throws GpuException {
    enter("cudaDriverVersion");
    return 13000;
  }

  @Override
  public byte[] roundTrip(int device, byte[] data) throws GpuException {
    enter("roundTrip");
    byte[] copy = data.clone();
    if (corruptRoundTrip) {
      copy[1234] ^= 0x10;
    }
    return copy;
  }

  @Override
  public float[] saxpy(int device, String ptx, byte[] fatbin, float a, float[] x, float[] y)
      throws GpuException {
    enter("saxpy");
    lastFatbin = fatbin;
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = wrongSaxpy ? a * x[i] : Math.fma(x[i], a, y[i]);
    }
    return out;
  }

  @Override
  public void loadCublas() throws GpuException {
    enter("loadCublas");
  }

  @Override
  public float[] sgemm(int device, int m, int n, int k, float[] a, float[] b)
      throws GpuException {
    enter("sgemm");
    float[] c = new float[m * n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        float sum = 0;
        for (int p = 0; p < k; p++) {
          sum += a[i + p * m] * b[p + j * k];
        }
        c[i + j * m] = wrongSgemm && i == 3 ? sum + 1 : sum;
      }
    }
    return c;
  }

  @Override
  public long[] memoryInfo(int device) throws GpuException {
    enter("memoryInfo");
    return new long[] {80_000L << 20, 143_771L << 20};
  }

  @Override
  public boolean tryAllocate(int device, long bytes) throws GpuException {
    enter("tryAllocate");
    return bytes <= allocatableBytes;
  }

  @Override
  public List<String> pollXidErrors() throws GpuException {
    enter("pollXidErrors");
    List<String> out = new ArrayList<>(xids);
    xids.clear();
    return out;
  }
}

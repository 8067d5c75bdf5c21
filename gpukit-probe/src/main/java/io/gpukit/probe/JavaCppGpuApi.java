package io.gpukit.probe;

import static org.bytedeco.cuda.global.cudart.CUDA_ERROR_NO_DEVICE;
import static org.bytedeco.cuda.global.cudart.CUDA_SUCCESS;
import static org.bytedeco.cuda.global.cudart.cuCtxSynchronize;
import static org.bytedeco.cuda.global.cudart.cuDeviceGet;
import static org.bytedeco.cuda.global.cudart.cuDeviceGetCount;
import static org.bytedeco.cuda.global.cudart.cuDeviceGetUuid;
import static org.bytedeco.cuda.global.cudart.cuDevicePrimaryCtxRetain;
import static org.bytedeco.cuda.global.cudart.cuDriverGetVersion;
import static org.bytedeco.cuda.global.cudart.cuGetErrorString;
import static org.bytedeco.cuda.global.cudart.cuInit;
import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.cudart.cuModuleUnload;
import static org.bytedeco.cuda.global.cudart.cudaErrorMemoryAllocation;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaGetLastError;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMemGetInfo;
import static org.bytedeco.cuda.global.cudart.cudaMemcpy;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaRuntimeGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.nvml.NVML_AGGREGATE_ECC;
import static org.bytedeco.cuda.global.nvml.NVML_DEVICE_NAME_V2_BUFFER_SIZE;
import static org.bytedeco.cuda.global.nvml.NVML_DEVICE_UUID_V2_BUFFER_SIZE;
import static org.bytedeco.cuda.global.nvml.NVML_ERROR_NOT_SUPPORTED;
import static org.bytedeco.cuda.global.nvml.NVML_ERROR_TIMEOUT;
import static org.bytedeco.cuda.global.nvml.NVML_MEMORY_ERROR_TYPE_UNCORRECTED;
import static org.bytedeco.cuda.global.nvml.NVML_SUCCESS;
import static org.bytedeco.cuda.global.nvml.NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE;
import static org.bytedeco.cuda.global.nvml.NVML_TEMPERATURE_GPU;
import static org.bytedeco.cuda.global.nvml.NVML_VOLATILE_ECC;
import static org.bytedeco.cuda.global.nvml.nvmlDeviceGetCount_v2;
import static org.bytedeco.cuda.global.nvml.nvmlDeviceGetCurrentClocksEventReasons;
import static org.bytedeco.cuda.global.nvml.nvmlDeviceGetHandleByIndex_v2;
import static org.bytedeco.cuda.global.nvml.nvmlDeviceGetMemoryInfo;
import static org.bytedeco.cuda.global.nvml.nvmlDeviceGetName;
import static org.bytedeco.cuda.global.nvml.nvmlDeviceGetRemappedRows;
import static org.bytedeco.cuda.global.nvml.nvmlDeviceGetRetiredPagesPendingStatus;
import static org.bytedeco.cuda.global.nvml.nvmlDeviceGetTemperature;
import static org.bytedeco.cuda.global.nvml.nvmlDeviceGetTotalEccErrors;
import static org.bytedeco.cuda.global.nvml.nvmlDeviceGetUUID;
import static org.bytedeco.cuda.global.nvml.nvmlDeviceRegisterEvents;
import static org.bytedeco.cuda.global.nvml.nvmlErrorString;
import static org.bytedeco.cuda.global.nvml.nvmlEventSetCreate;
import static org.bytedeco.cuda.global.nvml.nvmlEventSetWait_v2;
import static org.bytedeco.cuda.global.nvml.nvmlEventTypeXidCriticalError;
import static org.bytedeco.cuda.global.nvml.nvmlInit_v2;
import static org.bytedeco.cuda.global.nvml.nvmlSystemGetCudaDriverVersion_v2;
import static org.bytedeco.cuda.global.nvml.nvmlSystemGetDriverVersion;
import static org.bytedeco.cuda.global.nvml.nvmlSystemGetNVMLVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cudart.CUuuid;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvml;
import org.bytedeco.cuda.nvml.nvmlDevice_st;
import org.bytedeco.cuda.nvml.nvmlEventData_t;
import org.bytedeco.cuda.nvml.nvmlEventSet_st;
import org.bytedeco.cuda.nvml.nvmlMemory_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * {@link GpuApi} over JavaCPP's CUDA presets: NVML ({@code libnvidia-ml.so.1} from the driver), the
 * CUDA runtime ({@code libcudart.so.13} from the image) with the driver API ({@code libcuda.so.1}
 * from the driver), and cuBLAS ({@code libcublas.so.13} from the image). Only this class touches
 * JavaCPP, so nothing native is loaded until one of its methods runs.
 */
final class JavaCppGpuApi implements GpuApi {

  /** The cold probe's own process: JavaCPP's process-wide settings are ours to choose. */
  private final boolean ownProcess;
  private boolean nvmlInitialised;
  private boolean cudaInitialised;
  private nvmlEventSet_st xidEvents;
  private final Set<Integer> currentDevices = new LinkedHashSet<>();
  /** Set by {@link #startWarmUp}; counted down once the warm-up thread has linked the CUDA binding. */
  private java.util.concurrent.CountDownLatch cudaLinked;
  private volatile Throwable cudaLinkFailure;
  /**
   * With {@code -Dgpukit.probe.warmup=late}: opened once {@code nvmlInit_v2} has returned, and the
   * warm-up waits for it before {@code cuInit}, so that the two initialisations do not contend in
   * the driver (an experiment for {@code gpu/startup.sh}; the default starts {@code cuInit} at once).
   */
  private final java.util.concurrent.CountDownLatch nvmlInitReturned =
      new java.util.concurrent.CountDownLatch(1);
  private boolean lateCuInit;

  /** For a service's process (the heartbeat): JavaCPP's settings are left as they are. */
  JavaCppGpuApi() {
    this(false);
  }

  JavaCppGpuApi(boolean ownProcess) {
    this.ownProcess = ownProcess;
  }

  @Override
  public void startWarmUp(boolean context, Integer device) {
    if (cudaLinked != null) {
      return;
    }
    cudaLinked = new java.util.concurrent.CountDownLatch(1);
    String how = System.getProperty(GpuProbe.WARM_UP_PROPERTY);
    lateCuInit = "late".equals(how);
    Thread t = new Thread(new WarmUp(context, device), "gpukit-probe-warmup");
    t.setDaemon(true);
    Path cacheDirectory = NativeCache.configuredDirectory();
    if (ownProcess && NativeWarmUp.startedEarly()) {
      // main started the driver before parsing the arguments; link once its library is loaded.
      NativeWarmUp.whenLoaded(new Starter(t));
    } else if (ownProcess && !lateCuInit && !"javacpp".equals(how) && cacheDirectory != null) {
      // The JavaCPP warm-up starts once the probe's own library is loaded (or not): see there.
      NativeWarmUp.start(cacheDirectory, context, device, new Starter(t));
    } else {
      t.start();
    }
  }

  /** Starts a thread; an anonymous class rather than a method reference (start-up time). */
  private static final class Starter implements Runnable {
    private final Thread thread;

    Starter(Thread thread) {
      this.thread = thread;
    }

    @Override
    public void run() {
      thread.start();
    }
  }

  /**
   * Links the CUDA binding (JavaCPP's NVML preset inherits it, so this is most of linking NVML
   * too), then runs {@code cuInit} and retains the primary contexts while the checks thread links
   * and queries NVML (in the cold probe {@link NativeWarmUp} has started those two already, unless
   * {@code -Dgpukit.probe.warmup=javacpp} or {@code late}; then these calls find them done). Only this thread calls JavaCPP's {@code Loader} until the latch opens, so the
   * two threads never load native libraries at the same time. The driver serialises the rest: the
   * checks' own {@code cuInit} and {@code cudaSetDevice} wait for these calls and then find their
   * work done.
   */
  private final class WarmUp implements Runnable {
    private final boolean context;
    private final Integer device;

    WarmUp(boolean context, Integer device) {
      this.context = context;
      this.device = device;
    }

    @Override
    public void run() {
      try {
        Loader.load(cudart.class);
      } catch (Throwable e) {
        cudaLinkFailure = e;
        return;
      } finally {
        cudaLinked.countDown();
      }
      try {
        if (lateCuInit) {
          nvmlInitReturned.await();
        }
        if (cuInit(0) != CUDA_SUCCESS || !context) {
          return;
        }
        int[] count = new int[1];
        if (cuDeviceGetCount(count) != CUDA_SUCCESS) {
          return;
        }
        for (int i = 0; i < count[0]; i++) {
          int[] dev = new int[1];
          if ((device == null || device == i) && cuDeviceGet(dev, i) == CUDA_SUCCESS) {
            // Released when the process ends; the runtime's cudaSetDevice uses the same context.
            cuDevicePrimaryCtxRetain(new CUctx_st(), dev[0]);
          }
        }
      } catch (Throwable e) {
        // The checks make the same calls and report what fails.
      }
    }
  }

  /** Waits for the warm-up thread to link the CUDA binding, if one was started. */
  private void awaitWarmUpLink(String what, String needs) throws GpuException {
    if (cudaLinked == null) {
      return;
    }
    try {
      cudaLinked.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GpuException(GpuException.Kind.LIBRARY_MISSING, "interrupted while linking " + what,
          e);
    }
    Throwable failure = cudaLinkFailure;
    if (failure != null) {
      throw loadFailure(failure, what, needs);
    }
  }

  @Override
  public String prepareNatives() throws GpuException {
    try {
      return NativeCache.configure(ownProcess).describe();
    } catch (IOException | RuntimeException e) {
      throw new GpuException(GpuException.Kind.LIBRARY_MISSING,
          "no writable directory to extract native libraries to (set -D"
              + NativeCache.CACHEDIR_PROPERTY + "=DIR): " + e, e);
    }
  }

  @Override
  public boolean startedAtJvmStart() {
    return ownProcess && NativeWarmUp.startedByAgent();
  }

  @Override
  public void loadNvml() throws GpuException {
    // JavaCPP's NVML preset inherits the CUDA runtime one, so this links libcudart and libcuda too.
    String needs = "libnvidia-ml.so.1 and libcuda.so.1 from the driver (is it mounted into the "
        + "container?) and libcudart.so.13 from the image";
    awaitWarmUpLink("NVML", needs);
    load(nvml.class, "NVML", needs);
  }

  @Override
  public void loadCuda() throws GpuException {
    String needs = "libcudart.so.13 (from the image) and libcuda.so.1 (from the driver)";
    awaitWarmUpLink("the CUDA runtime and driver API", needs);
    load(cudart.class, "the CUDA runtime and driver API", needs);
  }

  @Override
  public void loadCublas() throws GpuException {
    load(cublas.class, "cuBLAS", "libcublas.so.13 and libcublasLt.so.13 (from the image)");
  }

  private static void load(Class<?> preset, String what, String needs) throws GpuException {
    try {
      Loader.load(preset);
    } catch (Throwable e) { // UnsatisfiedLinkError, ExceptionInInitializerError, NoClassDefFoundError
      throw loadFailure(e, what, needs);
    }
  }

  private static GpuException loadFailure(Throwable e, String what, String needs) {
    if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError)) {
      throw (VirtualMachineError) e;
    }
    return new GpuException(GpuException.Kind.LIBRARY_MISSING,
        "cannot load " + what + "; it needs " + needs + ": " + causes(e), e);
  }

  private static String causes(Throwable e) {
    StringBuilder sb = new StringBuilder();
    Set<Throwable> seen = new LinkedHashSet<>();
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      if (sb.length() > 0) {
        sb.append(" <- ");
      }
      sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
    }
    return sb.toString();
  }

  // ---- NVML ----

  @Override
  public void nvmlInit() throws GpuException {
    if (nvmlInitialised) {
      return;
    }
    int rc;
    try {
      rc = nvmlInit_v2();
    } finally {
      nvmlInitReturned.countDown();
    }
    if (rc != NVML_SUCCESS) {
      throw new GpuException(GpuException.Kind.INIT_FAILED, nvmlError("nvmlInit_v2", rc));
    }
    nvmlInitialised = true;
  }

  @Override
  public String driverVersion() throws GpuException {
    byte[] buf = new byte[NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE];
    nvmlCheck("nvmlSystemGetDriverVersion", nvmlSystemGetDriverVersion(buf, buf.length));
    return cString(buf);
  }

  @Override
  public String nvmlVersion() throws GpuException {
    byte[] buf = new byte[NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE];
    nvmlCheck("nvmlSystemGetNVMLVersion", nvmlSystemGetNVMLVersion(buf, buf.length));
    return cString(buf);
  }

  @Override
  public int nvmlCudaDriverVersion() throws GpuException {
    int[] v = new int[1];
    nvmlCheck("nvmlSystemGetCudaDriverVersion_v2", nvmlSystemGetCudaDriverVersion_v2(v));
    return v[0];
  }

  @Override
  public int nvmlDeviceCount() throws GpuException {
    int[] n = new int[1];
    nvmlCheck("nvmlDeviceGetCount_v2", nvmlDeviceGetCount_v2(n));
    return n[0];
  }

  @Override
  public NvmlDevice nvmlDevice(int index) throws GpuException {
    nvmlDevice_st dev = handle(index);
    byte[] name = new byte[NVML_DEVICE_NAME_V2_BUFFER_SIZE];
    nvmlCheck("nvmlDeviceGetName", nvmlDeviceGetName(dev, name, name.length));
    byte[] uuid = new byte[NVML_DEVICE_UUID_V2_BUFFER_SIZE];
    nvmlCheck("nvmlDeviceGetUUID", nvmlDeviceGetUUID(dev, uuid, uuid.length));

    Long total = null;
    Long free = null;
    Long used = null;
    try (nvmlMemory_t mem = new nvmlMemory_t()) {
      if (optional("nvmlDeviceGetMemoryInfo", nvmlDeviceGetMemoryInfo(dev, mem))) {
        total = mem.total();
        free = mem._free();
        used = mem.used();
      }
    }
    int[] temp = new int[1];
    Integer temperature = optional("nvmlDeviceGetTemperature",
        nvmlDeviceGetTemperature(dev, NVML_TEMPERATURE_GPU, temp)) ? temp[0] : null;
    long[] reasons = new long[1];
    Long throttle = optional("nvmlDeviceGetCurrentClocksEventReasons",
        nvmlDeviceGetCurrentClocksEventReasons(dev, reasons)) ? reasons[0] : null;
    long[] ecc = new long[1];
    Long eccVolatile = optional("nvmlDeviceGetTotalEccErrors", nvmlDeviceGetTotalEccErrors(dev,
        NVML_MEMORY_ERROR_TYPE_UNCORRECTED, NVML_VOLATILE_ECC, ecc)) ? ecc[0] : null;
    int[] pending = new int[1];
    Boolean retiredPending = optional("nvmlDeviceGetRetiredPagesPendingStatus",
        nvmlDeviceGetRetiredPagesPendingStatus(dev, pending)) ? pending[0] != 0 : null;
    int[] corr = new int[1];
    int[] unc = new int[1];
    int[] remapPending = new int[1];
    int[] remapFailure = new int[1];
    boolean remap = optional("nvmlDeviceGetRemappedRows",
        nvmlDeviceGetRemappedRows(dev, corr, unc, remapPending, remapFailure));
    return new NvmlDevice(index, cString(name), cString(uuid), total, free, used, temperature,
        throttle, eccVolatile, retiredPending, remap ? remapPending[0] != 0 : null,
        remap ? remapFailure[0] != 0 : null);
  }

  private static nvmlDevice_st handle(int index) throws GpuException {
    nvmlDevice_st dev = new nvmlDevice_st();
    nvmlCheck("nvmlDeviceGetHandleByIndex_v2(" + index + ")",
        nvmlDeviceGetHandleByIndex_v2(index, dev));
    return dev;
  }

  @Override
  public List<String> pollXidErrors() throws GpuException {
    List<String> found = new ArrayList<>();
    if (xidEvents == null) {
      nvmlEventSet_st set = new nvmlEventSet_st();
      nvmlCheck("nvmlEventSetCreate", nvmlEventSetCreate(set));
      int count = nvmlDeviceCount();
      for (int i = 0; i < count; i++) {
        // Not every device or virtualised GPU supports XID events; those are skipped.
        optional("nvmlDeviceRegisterEvents",
            nvmlDeviceRegisterEvents(handle(i), nvmlEventTypeXidCriticalError, set));
      }
      xidEvents = set;
      return found;
    }
    try (nvmlEventData_t data = new nvmlEventData_t()) {
      for (int i = 0; i < 64; i++) {
        int rc = nvmlEventSetWait_v2(xidEvents, data, 0);
        if (rc == NVML_ERROR_TIMEOUT) {
          break;
        }
        nvmlCheck("nvmlEventSetWait_v2", rc);
        if ((data.eventType() & nvmlEventTypeXidCriticalError) != 0) {
          found.add("XID " + data.eventData());
        }
      }
    }
    return found;
  }

  // ---- CUDA runtime and driver API ----

  @Override
  public void cudaInit() throws GpuException {
    if (cudaInitialised) {
      return;
    }
    int rc = cuInit(0);
    if (rc == CUDA_ERROR_NO_DEVICE) {
      throw new GpuException(GpuException.Kind.NO_DEVICE, cuError("cuInit", rc));
    }
    if (rc != CUDA_SUCCESS) {
      throw new GpuException(GpuException.Kind.INIT_FAILED, cuError("cuInit", rc));
    }
    cudaInitialised = true;
  }

  @Override
  public int cudaDeviceCount() throws GpuException {
    int[] n = new int[1];
    cuCheck("cuDeviceGetCount", cuDeviceGetCount(n));
    return n[0];
  }

  @Override
  public String cudaDeviceUuid(int device) throws GpuException {
    int[] dev = new int[1];
    cuCheck("cuDeviceGet(" + device + ")", cuDeviceGet(dev, device));
    try (CUuuid uuid = new CUuuid()) {
      cuCheck("cuDeviceGetUuid", cuDeviceGetUuid(uuid, dev[0]));
      byte[] b = new byte[16];
      for (int i = 0; i < 16; i++) {
        b[i] = uuid.bytes(i);
      }
      return formatUuid(b);
    }
  }

  static String formatUuid(byte[] b) {
    StringBuilder sb = new StringBuilder("GPU-");
    for (int i = 0; i < 16; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        sb.append('-');
      }
      sb.append(String.format("%02x", b[i] & 0xff));
    }
    return sb.toString();
  }

  @Override
  public int cudaRuntimeVersion() throws GpuException {
    int[] v = new int[1];
    cudaCheck("cudaRuntimeGetVersion", cudaRuntimeGetVersion(v));
    return v[0];
  }

  @Override
  public int cudaDriverVersion() throws GpuException {
    int[] v = new int[1];
    cuCheck("cuDriverGetVersion", cuDriverGetVersion(v));
    return v[0];
  }

  /** Binds the device's primary context to the calling thread (what the service itself uses). */
  private void useDevice(int device) throws GpuException {
    cudaCheck("cudaSetDevice(" + device + ")", cudaSetDevice(device));
    currentDevices.add(device);
  }

  @Override
  public byte[] roundTrip(int device, byte[] data) throws GpuException {
    useDevice(device);
    try (PointerScope scope = new PointerScope()) {
      BytePointer host = new BytePointer(data);
      BytePointer back = new BytePointer((long) data.length);
      Pointer dev = new Pointer();
      cudaCheck("cudaMalloc(" + data.length + ")", cudaMalloc(dev, data.length));
      try {
        cudaCheck("cudaMemcpy host to device",
            cudaMemcpy(dev, host, data.length, cudaMemcpyHostToDevice));
        cudaCheck("cudaMemcpy device to host",
            cudaMemcpy(back, dev, data.length, cudaMemcpyDeviceToHost));
      } finally {
        cudaFree(dev);
      }
      byte[] out = new byte[data.length];
      back.get(out);
      return out;
    }
  }

  @Override
  public float[] saxpy(int device, String ptx, byte[] fatbin, float a, float[] x, float[] y)
      throws GpuException {
    useDevice(device);
    int n = x.length;
    long bytes = 4L * n;
    try (PointerScope scope = new PointerScope()) {
      CUmod_st module = new CUmod_st();
      // SASS for this GPU from the fatbin needs no JIT; a GPU it has none for JIT-compiles the PTX
      // inside it, and a driver that rejects the fatbin gets the plain PTX.
      if (fatbin == null || cuModuleLoadData(module, new BytePointer(fatbin)) != CUDA_SUCCESS) {
        cuCheck("cuModuleLoadData (JIT of the embedded PTX)",
            cuModuleLoadData(module, new BytePointer(ptx)));
      }
      Pointer dx = new Pointer();
      Pointer dy = new Pointer();
      try {
        CUfunc_st function = new CUfunc_st();
        cuCheck("cuModuleGetFunction(saxpy)", cuModuleGetFunction(function, module, "saxpy"));
        cudaCheck("cudaMalloc x", cudaMalloc(dx, bytes));
        cudaCheck("cudaMalloc y", cudaMalloc(dy, bytes));
        cudaCheck("cudaMemcpy x", cudaMemcpy(dx, new FloatPointer(x), bytes, cudaMemcpyHostToDevice));
        cudaCheck("cudaMemcpy y", cudaMemcpy(dy, new FloatPointer(y), bytes, cudaMemcpyHostToDevice));
        PointerPointer<Pointer> params = new PointerPointer<>(
            new FloatPointer(a),
            new LongPointer(1).put(dx.address()),
            new LongPointer(1).put(dy.address()),
            new IntPointer(1).put(n));
        int threads = 256;
        int blocks = (n + threads - 1) / threads;
        cuCheck("cuLaunchKernel(saxpy)", cuLaunchKernel(function, blocks, 1, 1, threads, 1, 1, 0,
            (CUstream_st) null, params, (PointerPointer<?>) null));
        cuCheck("cuCtxSynchronize after saxpy", cuCtxSynchronize());
        FloatPointer result = new FloatPointer(n);
        cudaCheck("cudaMemcpy result", cudaMemcpy(result, dy, bytes, cudaMemcpyDeviceToHost));
        float[] out = new float[n];
        result.get(out);
        return out;
      } finally {
        if (!dx.isNull()) {
          cudaFree(dx);
        }
        if (!dy.isNull()) {
          cudaFree(dy);
        }
        cuModuleUnload(module);
      }
    }
  }

  @Override
  public float[] sgemm(int device, int m, int n, int k, float[] a, float[] b)
      throws GpuException {
    useDevice(device);
    try (PointerScope scope = new PointerScope()) {
      cublasContext handle = new cublasContext();
      int status = cublas.cublasCreate_v2(handle);
      if (status != cublas.CUBLAS_STATUS_SUCCESS) {
        throw new GpuException(GpuException.Kind.CALL_FAILED,
            "cublasCreate_v2 failed with status " + status);
      }
      FloatPointer da = new FloatPointer();
      FloatPointer db = new FloatPointer();
      FloatPointer dc = new FloatPointer();
      try {
        cudaCheck("cudaMalloc A", cudaMalloc(da, 4L * m * k));
        cudaCheck("cudaMalloc B", cudaMalloc(db, 4L * k * n));
        cudaCheck("cudaMalloc C", cudaMalloc(dc, 4L * m * n));
        cudaCheck("cudaMemcpy A", cudaMemcpy(da, new FloatPointer(a), 4L * m * k,
            cudaMemcpyHostToDevice));
        cudaCheck("cudaMemcpy B", cudaMemcpy(db, new FloatPointer(b), 4L * k * n,
            cudaMemcpyHostToDevice));
        status = cublas.cublasSgemm_v2(handle, cublas.CUBLAS_OP_N, cublas.CUBLAS_OP_N, m, n, k,
            new FloatPointer(1f), da, m, db, k, new FloatPointer(0f), dc, m);
        if (status != cublas.CUBLAS_STATUS_SUCCESS) {
          throw new GpuException(GpuException.Kind.CALL_FAILED,
              "cublasSgemm_v2 failed with status " + status);
        }
        cuCheck("cuCtxSynchronize after SGEMM", cuCtxSynchronize());
        FloatPointer c = new FloatPointer((long) m * n);
        cudaCheck("cudaMemcpy C", cudaMemcpy(c, dc, 4L * m * n, cudaMemcpyDeviceToHost));
        float[] out = new float[m * n];
        c.get(out);
        return out;
      } finally {
        for (FloatPointer p : new FloatPointer[] {da, db, dc}) {
          if (!p.isNull()) {
            cudaFree(p);
          }
        }
        cublas.cublasDestroy_v2(handle);
      }
    }
  }

  @Override
  public long[] memoryInfo(int device) throws GpuException {
    useDevice(device);
    try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
      cudaCheck("cudaMemGetInfo", cudaMemGetInfo(free, total));
      return new long[] {free.get(), total.get()};
    }
  }

  @Override
  public boolean tryAllocate(int device, long bytes) throws GpuException {
    useDevice(device);
    Pointer p = new Pointer();
    int rc = cudaMalloc(p, bytes);
    if (rc == cudaErrorMemoryAllocation) {
      cudaGetLastError(); // clear the (non-sticky) error
      return false;
    }
    cudaCheck("cudaMalloc(" + bytes + ")", rc);
    cudaCheck("cudaFree", cudaFree(p));
    return true;
  }

  // ---- errors ----

  private static void nvmlCheck(String call, int rc) throws GpuException {
    if (rc != NVML_SUCCESS) {
      throw new GpuException(GpuException.Kind.CALL_FAILED, nvmlError(call, rc));
    }
  }

  /** {@code true} on success, {@code false} when not supported; anything else is a failure. */
  private static boolean optional(String call, int rc) throws GpuException {
    if (rc == NVML_SUCCESS) {
      return true;
    }
    if (rc == NVML_ERROR_NOT_SUPPORTED || rc == nvml.NVML_ERROR_NO_PERMISSION
        || rc == nvml.NVML_ERROR_FUNCTION_NOT_FOUND) {
      return false;
    }
    throw new GpuException(GpuException.Kind.CALL_FAILED, nvmlError(call, rc));
  }

  private static String nvmlError(String call, int rc) {
    BytePointer s = nvmlErrorString(rc);
    return call + " failed: " + (s == null || s.isNull() ? "error" : s.getString()) + " (" + rc + ")";
  }

  private static void cuCheck(String call, int rc) throws GpuException {
    if (rc != CUDA_SUCCESS) {
      throw new GpuException(GpuException.Kind.CALL_FAILED, cuError(call, rc));
    }
  }

  private static String cuError(String call, int rc) {
    String text = "error";
    try (PointerPointer<BytePointer> out = new PointerPointer<>(1)) {
      if (cuGetErrorString(rc, out) == CUDA_SUCCESS) {
        BytePointer s = out.get(BytePointer.class, 0);
        if (s != null && !s.isNull()) {
          text = s.getString();
        }
      }
    }
    return call + " failed: " + text + " (" + rc + ")";
  }

  private static void cudaCheck(String call, int rc) throws GpuException {
    if (rc != 0) {
      BytePointer s = cudaGetErrorString(rc);
      throw new GpuException(GpuException.Kind.CALL_FAILED, call + " failed: "
          + (s == null || s.isNull() ? "error" : s.getString()) + " (" + rc + ")");
    }
  }

  private static String cString(byte[] buf) {
    int len = 0;
    while (len < buf.length && buf[len] != 0) {
      len++;
    }
    return new String(buf, 0, len, StandardCharsets.UTF_8);
  }
}

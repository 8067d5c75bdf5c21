package io.gpukit.probe;

import java.util.List;

/**
 * The seam between the checks and the GPU. {@link JavaCppGpuApi} calls NVML, the CUDA runtime and
 * driver API and cuBLAS through JavaCPP; tests use fakes. Every method may block in native code,
 * which is why the checks run under a watchdog. Device arguments are CUDA ordinals unless named
 * otherwise. Implementations are used from one thread at a time.
 */
interface GpuApi {

  /**
   * Makes sure JavaCPP can extract its native libraries (a writable cache directory) before
   * anything is loaded; returns a description of the choice.
   */
  String prepareNatives() throws GpuException;

  /**
   * Starts, on a background thread, the driver work the later checks will need (linking the CUDA
   * binding, {@code cuInit}, and with {@code context} the primary context of the device, or of
   * every device when {@code device} is null), so that it overlaps with the NVML checks. Errors are
   * not reported here: the checks make the same calls and report them. Called at most once, after
   * {@link #prepareNatives()} succeeded. The default does nothing.
   */
  default void startWarmUp(boolean context, Integer device) {}

  /**
   * Whether the driver was started before {@code main}, by the probe's library loaded as a JVM
   * agent ({@code -agentpath}); only the cold probe's own process can say yes. The default says no.
   */
  default boolean startedAtJvmStart() {
    return false;
  }

  /** Extracts (if needed) and links the NVML binding. */
  void loadNvml() throws GpuException;

  void nvmlInit() throws GpuException;

  String driverVersion() throws GpuException;

  String nvmlVersion() throws GpuException;

  /** The CUDA version the driver supports, as NVML reports it (13000 for 13.0). */
  int nvmlCudaDriverVersion() throws GpuException;

  int nvmlDeviceCount() throws GpuException;

  NvmlDevice nvmlDevice(int nvmlIndex) throws GpuException;

  /** Extracts (if needed) and links the CUDA runtime and driver API binding. */
  void loadCuda() throws GpuException;

  /** {@code cuInit(0)}; a {@link GpuException.Kind#NO_DEVICE} when the driver sees none. */
  void cudaInit() throws GpuException;

  int cudaDeviceCount() throws GpuException;

  /** The device's UUID in NVML's form, {@code GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}. */
  String cudaDeviceUuid(int device) throws GpuException;

  int cudaRuntimeVersion() throws GpuException;

  int cudaDriverVersion() throws GpuException;

  /** Copies the bytes to a fresh device buffer and back; returns what came back. */
  byte[] roundTrip(int device, byte[] data) throws GpuException;

  /**
   * Loads the kernel with {@code cuModuleLoadData}, the fatbin when there is one and the driver
   * takes it (SASS for the GPU needs no JIT), else the PTX; runs {@code saxpy(a, x, y, n)} over the
   * arrays and returns the new {@code y}.
   *
   * @param fatbin the same kernel as {@code ptx} in a fatbin, or {@code null}
   */
  float[] saxpy(int device, String ptx, byte[] fatbin, float a, float[] x, float[] y)
      throws GpuException;

  /** Extracts (if needed) and links the cuBLAS binding. */
  void loadCublas() throws GpuException;

  /** {@code C = A * B} with cuBLAS SGEMM; column-major {@code m x k} times {@code k x n}. */
  float[] sgemm(int device, int m, int n, int k, float[] a, float[] b) throws GpuException;

  /** {@code {free, total}} bytes as the CUDA runtime sees them. */
  long[] memoryInfo(int device) throws GpuException;

  /** Tries to allocate the bytes and frees them at once; {@code false} when it does not fit. */
  boolean tryAllocate(int device, long bytes) throws GpuException;

  /**
   * Returns the critical XID errors reported since the previous call (the first call registers
   * for them and returns none). Used by the heartbeat, which lives long enough to see them.
   */
  List<String> pollXidErrors() throws GpuException;
}

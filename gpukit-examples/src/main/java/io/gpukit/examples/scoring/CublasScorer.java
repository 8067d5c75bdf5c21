package io.gpukit.examples.scoring;

import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_N;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_T;
import static org.bytedeco.cuda.global.cublas.CUBLAS_STATUS_SUCCESS;
import static org.bytedeco.cuda.global.cublas.cublasCreate_v2;
import static org.bytedeco.cuda.global.cublas.cublasDestroy_v2;
import static org.bytedeco.cuda.global.cublas.cublasGetStatusString;
import static org.bytedeco.cuda.global.cublas.cublasGetVersion_v2;
import static org.bytedeco.cuda.global.cublas.cublasSgemm_v2;
import static org.bytedeco.cuda.global.cublas.cublasSgemv_v2;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceProperties;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMemcpy;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaRuntimeGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerScope;

/**
 * Cosine scores on the GPU with cuBLAS, through JavaCPP: the rows are normalised on the CPU, then
 * one SGEMV (a single query) or SGEMM (a batch) computes every dot product on the device.
 *
 * <p>Row-major {@code m × d} queries are, to column-major cuBLAS, the {@code d × m} matrix
 * {@code Qᵀ}; likewise the documents are {@code Dᵀ}. {@code D · Qᵀ} ({@code n × m}, column-major)
 * is then exactly the row-major {@code m × n} score matrix, with no transposing copy.
 *
 * <p>The CUDA runtime ({@code libcudart.so.13}) and cuBLAS ({@code libcublas.so.13}) come from the
 * image, {@code libcuda.so.1} from the driver. One cuBLAS handle serves every request, one request
 * at a time.
 *
 * @since 0.1.0
 */
public final class CublasScorer implements Scorer, AutoCloseable {

  private final int device;
  private final String description;
  private cublasContext handle;

  private CublasScorer(int device, String description, cublasContext handle) {
    this.device = device;
    this.description = description;
    this.handle = handle;
  }

  /**
   * Loads the CUDA runtime and cuBLAS, selects the device and creates a cuBLAS handle.
   *
   * @param device the CUDA ordinal
   * @return the scorer
   * @throws ScorerUnavailableException when a library cannot be loaded, CUDA sees no such device,
   *     or cuBLAS cannot start; the message says which and what is needed
   * @since 0.1.0
   */
  public static CublasScorer open(int device) throws ScorerUnavailableException {
    try {
      Loader.load(cudart.class);
      Loader.load(cublas.class);
    } catch (Throwable e) { // UnsatisfiedLinkError, ExceptionInInitializerError, NoClassDefFoundError
      if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError)) {
        throw (VirtualMachineError) e;
      }
      throw new ScorerUnavailableException("cannot load the CUDA runtime and cuBLAS: they need libcudart.so.13 and"
          + " libcublas.so.13 from the image and libcuda.so.1 from the driver (is the GPU attached to the"
          + " container?): " + causes(e), e);
    }
    int[] count = new int[1];
    cudaCheck("cudaGetDeviceCount", cudaGetDeviceCount(count));
    if (device < 0 || device >= count[0]) {
      throw new ScorerUnavailableException("CUDA sees " + count[0] + " device(s), so there is no device " + device
          + " (check CUDA_VISIBLE_DEVICES and the pod's nvidia.com/gpu limit)", null);
    }
    cudaCheck("cudaSetDevice(" + device + ")", cudaSetDevice(device));
    String name;
    try (cudaDeviceProp props = new cudaDeviceProp()) {
      cudaCheck("cudaGetDeviceProperties", cudaGetDeviceProperties(props, device));
      name = props.name().getString() + " (sm_" + props.major() + props.minor() + ")";
    }
    int[] runtime = new int[1];
    cudaCheck("cudaRuntimeGetVersion", cudaRuntimeGetVersion(runtime));
    cublasContext handle = new cublasContext();
    cublasCheck("cublasCreate_v2", cublasCreate_v2(handle));
    int[] version = new int[1];
    cublasGetVersion_v2(handle, version);
    String description = "gpu " + device + ": " + name + ", CUDA runtime " + runtime[0] / 1000 + "."
        + runtime[0] % 1000 / 10 + ", cuBLAS " + version[0] / 10000 + "." + version[0] / 100 % 100 + "."
        + version[0] % 100;
    return new CublasScorer(device, description, handle);
  }

  @Override
  @SuppressWarnings("try") // the scope is never read: it frees the host buffers made inside it
  public synchronized float[][] score(ScoreRequest request) throws ScorerUnavailableException {
    if (handle == null) {
      throw new ScorerUnavailableException("the cuBLAS scorer is closed", null);
    }
    int m = request.queries().length;
    int n = request.documents().length;
    int d = request.dimensions();
    float[] queries = Vectors.flattened(Vectors.normalised(request.queries()));
    float[] documents = Vectors.flattened(Vectors.normalised(request.documents()));
    float[] flat = new float[m * n];
    try (PointerScope scope = new PointerScope()) {
      // The runtime's current device is per thread, and requests come on pool threads.
      cudaCheck("cudaSetDevice(" + device + ")", cudaSetDevice(device));
      FloatPointer dq = new FloatPointer();
      FloatPointer dd = new FloatPointer();
      FloatPointer ds = new FloatPointer();
      try {
        cudaCheck("cudaMalloc(queries)", cudaMalloc(dq, 4L * m * d));
        cudaCheck("cudaMalloc(documents)", cudaMalloc(dd, 4L * n * d));
        cudaCheck("cudaMalloc(scores)", cudaMalloc(ds, 4L * m * n));
        cudaCheck("cudaMemcpy(queries)", cudaMemcpy(dq, new FloatPointer(queries), 4L * m * d, cudaMemcpyHostToDevice));
        cudaCheck("cudaMemcpy(documents)", cudaMemcpy(dd, new FloatPointer(documents), 4L * n * d,
            cudaMemcpyHostToDevice));
        FloatPointer one = new FloatPointer(1f);
        FloatPointer zero = new FloatPointer(0f);
        if (m == 1) {
          // scores (n) = D (n × d) · q: A is Dᵀ as stored (d × n, lda d), transposed.
          cublasCheck("cublasSgemv_v2", cublasSgemv_v2(handle, CUBLAS_OP_T, d, n, one, dd, d, dq, 1, zero, ds, 1));
        } else {
          // scoresᵀ (n × m) = D (n × d) · Qᵀ (d × m): A is Dᵀ as stored, transposed; B is Qᵀ as stored.
          cublasCheck("cublasSgemm_v2", cublasSgemm_v2(handle, CUBLAS_OP_T, CUBLAS_OP_N, n, m, d, one, dd, d, dq, d,
              zero, ds, n));
        }
        FloatPointer scores = new FloatPointer((long) m * n);
        // Synchronous on the default stream: it waits for the product.
        cudaCheck("cudaMemcpy(scores)", cudaMemcpy(scores, ds, 4L * m * n, cudaMemcpyDeviceToHost));
        scores.get(flat);
      } finally {
        for (FloatPointer p : new FloatPointer[] {dq, dd, ds}) {
          if (!p.isNull()) {
            cudaFree(p);
          }
        }
      }
    }
    float[][] out = new float[m][n];
    for (int i = 0; i < m; i++) {
      System.arraycopy(flat, i * n, out[i], 0, n);
    }
    return out;
  }

  @Override
  public String backend() {
    return "gpu";
  }

  @Override
  public String describe() {
    return description;
  }

  /**
   * Destroys the cuBLAS handle; later requests fail as unavailable.
   *
   * @since 0.1.0
   */
  @Override
  public synchronized void close() {
    if (handle != null) {
      cudaSetDevice(device);
      cublasDestroy_v2(handle);
      handle = null;
    }
  }

  private static void cudaCheck(String call, int status) throws ScorerUnavailableException {
    if (status != cudaSuccess) {
      throw new ScorerUnavailableException(call + " failed: " + status + " " + cudaGetErrorString(status).getString(),
          null);
    }
  }

  private static void cublasCheck(String call, int status) throws ScorerUnavailableException {
    if (status != CUBLAS_STATUS_SUCCESS) {
      throw new ScorerUnavailableException(call + " failed: " + status + " " + cublasGetStatusString(status).getString(),
          null);
    }
  }

  private static String causes(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < 1000; t = t.getCause() == t ? null : t.getCause()) {
      sb.append(sb.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
    }
    return sb.toString();
  }
}

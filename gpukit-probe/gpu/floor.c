/*
 * The floor for gpukit-probe's readiness check: the same work in C with no runtime around it.
 * NVML init and device count, a CUDA context on device 0, and a 4 MiB host -> device -> host round
 * trip compared with memcmp. Exit codes follow the probe's contract (10 driver, 11 no device,
 * 12 round trip).
 *
 *   floor            the CUDA runtime API (cudaGetDeviceCount, cudaSetDevice + cudaFree(0),
 *                    cudaMalloc, cudaMemcpy), as the probe's round trip does
 *   floor --driver   the driver API alone (cuInit, cuDevicePrimaryCtxRetain, cuMemAlloc,
 *                    cuMemcpyHtoD/DtoH), no libcudart
 *   --fast-exit      (with either) ends with _exit(2) once stdout is flushed: no C exit handlers,
 *                    so the CUDA runtime's and driver's teardown of the context in them is skipped
 *                    and the kernel reclaims the context when the process's files are closed
 *
 * Every library is opened with dlopen (libnvidia-ml.so.1 and libcuda.so.1 from the driver,
 * libcudart.so.13/.12 from the CUDA toolkit), so the build needs no CUDA header and no link path:
 *
 *   cc -O2 -o floor floor.c -ldl
 *
 * Every failing call is named on stderr with its error string. stdout gets one JSON line with the
 * microseconds of each step.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BYTES (4u << 20)

static double t0;

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void *open_first(const char *what, const char *const *names) {
  char tried[2048] = "";
  for (int i = 0; names[i]; i++) {
    void *h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (h) {
      return h;
    }
    size_t len = strlen(tried);
    snprintf(tried + len, sizeof tried - len, "\n  %s: %s", names[i], dlerror());
  }
  fprintf(stderr, "floor: cannot dlopen %s; tried:%s\n", what, tried);
  return NULL;
}

static void *sym(void *lib, const char *name) {
  void *f = dlsym(lib, name);
  if (!f) {
    fprintf(stderr, "floor: dlsym(%s) failed: %s\n", name, dlerror());
    exit(10);
  }
  return f;
}

typedef const char *(*err_fn)(int);

/* NVML */
static err_fn nvml_err;
static int nvml_check(const char *call, int rc) {
  if (rc != 0) {
    fprintf(stderr, "floor: %s failed: %s (%d)\n", call, nvml_err ? nvml_err(rc) : "?", rc);
  }
  return rc;
}

/* CUDA driver API */
typedef int (*cu_err_fn)(int, const char **);
static cu_err_fn cu_err;
static int cu_check(const char *call, int rc) {
  if (rc != 0) {
    const char *s = "?";
    if (cu_err) {
      cu_err(rc, &s);
    }
    fprintf(stderr, "floor: %s failed: %s (%d)\n", call, s ? s : "?", rc);
  }
  return rc;
}

/* CUDA runtime API */
static err_fn cuda_err;
static int cuda_check(const char *call, int rc) {
  if (rc != 0) {
    fprintf(stderr, "floor: %s failed: %s (%d)\n", call, cuda_err ? cuda_err(rc) : "?", rc);
  }
  return rc;
}

int main(int argc, char **argv) {
  int driver = 0, fast_exit = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--driver") == 0) {
      driver = 1;
    } else if (strcmp(argv[i], "--fast-exit") == 0) {
      fast_exit = 1;
    } else {
      fprintf(stderr, "usage: floor [--driver] [--fast-exit]\n");
      return 64;
    }
  }
  t0 = now_us();
  double t_nvml, t_init, t_ctx, t_copy;

  static const char *const nvml_names[] = {"libnvidia-ml.so.1", NULL};
  void *nvml = open_first("NVML", nvml_names);
  if (!nvml) {
    return 10;
  }
  nvml_err = (err_fn) sym(nvml, "nvmlErrorString");
  int (*nvmlInit_v2)(void) = (int (*)(void)) sym(nvml, "nvmlInit_v2");
  int (*nvmlDeviceGetCount_v2)(unsigned *) = (int (*)(unsigned *)) sym(nvml, "nvmlDeviceGetCount_v2");
  int (*nvmlShutdown)(void) = (int (*)(void)) sym(nvml, "nvmlShutdown");
  if (nvml_check("nvmlInit_v2", nvmlInit_v2()) != 0) {
    return 10;
  }
  unsigned nvml_count = 0;
  if (nvml_check("nvmlDeviceGetCount_v2", nvmlDeviceGetCount_v2(&nvml_count)) != 0) {
    return 10;
  }
  t_nvml = now_us();

  unsigned char *host = malloc(BYTES), *back = malloc(BYTES);
  for (unsigned i = 0; i < BYTES; i++) {
    host[i] = (unsigned char) (i * 2654435761u >> 24);
  }
  memset(back, 0, BYTES);
  int count = 0;

  if (driver) {
    static const char *const cuda_names[] = {"libcuda.so.1", NULL};
    void *cu = open_first("the CUDA driver (libcuda.so.1)", cuda_names);
    if (!cu) {
      return 10;
    }
    cu_err = (cu_err_fn) sym(cu, "cuGetErrorString");
    int (*cuInit)(unsigned) = (int (*)(unsigned)) sym(cu, "cuInit");
    int (*cuDeviceGetCount)(int *) = (int (*)(int *)) sym(cu, "cuDeviceGetCount");
    int (*cuDeviceGet)(int *, int) = (int (*)(int *, int)) sym(cu, "cuDeviceGet");
    int (*cuDevicePrimaryCtxRetain)(void **, int) =
        (int (*)(void **, int)) sym(cu, "cuDevicePrimaryCtxRetain");
    int (*cuCtxSetCurrent)(void *) = (int (*)(void *)) sym(cu, "cuCtxSetCurrent");
    int (*cuMemAlloc)(unsigned long long *, size_t) =
        (int (*)(unsigned long long *, size_t)) sym(cu, "cuMemAlloc_v2");
    int (*cuMemFree)(unsigned long long) = (int (*)(unsigned long long)) sym(cu, "cuMemFree_v2");
    int (*cuMemcpyHtoD)(unsigned long long, const void *, size_t) =
        (int (*)(unsigned long long, const void *, size_t)) sym(cu, "cuMemcpyHtoD_v2");
    int (*cuMemcpyDtoH)(void *, unsigned long long, size_t) =
        (int (*)(void *, unsigned long long, size_t)) sym(cu, "cuMemcpyDtoH_v2");

    int rc = cuInit(0);
    if (rc == 100) { /* CUDA_ERROR_NO_DEVICE */
      cu_check("cuInit", rc);
      return 11;
    }
    if (cu_check("cuInit", rc) != 0) {
      return 10;
    }
    if (cu_check("cuDeviceGetCount", cuDeviceGetCount(&count)) != 0) {
      return 10;
    }
    if (count == 0) {
      fprintf(stderr, "floor: the CUDA driver sees no device\n");
      return 11;
    }
    t_init = now_us();
    int dev = 0;
    void *ctx = NULL;
    if (cu_check("cuDeviceGet(0)", cuDeviceGet(&dev, 0)) != 0
        || cu_check("cuDevicePrimaryCtxRetain", cuDevicePrimaryCtxRetain(&ctx, dev)) != 0
        || cu_check("cuCtxSetCurrent", cuCtxSetCurrent(ctx)) != 0) {
      return 10;
    }
    t_ctx = now_us();
    unsigned long long d = 0;
    if (cu_check("cuMemAlloc", cuMemAlloc(&d, BYTES)) != 0
        || cu_check("cuMemcpyHtoD", cuMemcpyHtoD(d, host, BYTES)) != 0
        || cu_check("cuMemcpyDtoH", cuMemcpyDtoH(back, d, BYTES)) != 0) {
      return 12;
    }
    cuMemFree(d);
  } else {
    static const char *const cudart_names[] = {
        "libcudart.so.13", "/usr/local/cuda/lib64/libcudart.so.13",
        "/usr/local/cuda/lib/libcudart.so.13", "libcudart.so.12",
        "/usr/local/cuda/lib64/libcudart.so.12", "libcudart.so", NULL};
    void *rt = open_first("the CUDA runtime (libcudart)", cudart_names);
    if (!rt) {
      return 10;
    }
    cuda_err = (err_fn) sym(rt, "cudaGetErrorString");
    int (*cudaGetDeviceCount)(int *) = (int (*)(int *)) sym(rt, "cudaGetDeviceCount");
    int (*cudaSetDevice)(int) = (int (*)(int)) sym(rt, "cudaSetDevice");
    int (*cudaFree)(void *) = (int (*)(void *)) sym(rt, "cudaFree");
    int (*cudaMalloc)(void **, size_t) = (int (*)(void **, size_t)) sym(rt, "cudaMalloc");
    int (*cudaMemcpy)(void *, const void *, size_t, int) =
        (int (*)(void *, const void *, size_t, int)) sym(rt, "cudaMemcpy");

    int rc = cudaGetDeviceCount(&count);
    if (rc == 100) { /* cudaErrorNoDevice */
      cuda_check("cudaGetDeviceCount", rc);
      return 11;
    }
    if (cuda_check("cudaGetDeviceCount", rc) != 0) {
      return 10;
    }
    if (count == 0) {
      fprintf(stderr, "floor: the CUDA runtime sees no device\n");
      return 11;
    }
    t_init = now_us();
    if (cuda_check("cudaSetDevice(0)", cudaSetDevice(0)) != 0
        || cuda_check("cudaFree(0) (context creation)", cudaFree(0)) != 0) {
      return 10;
    }
    t_ctx = now_us();
    void *d = NULL;
    if (cuda_check("cudaMalloc", cudaMalloc(&d, BYTES)) != 0
        || cuda_check("cudaMemcpy host to device", cudaMemcpy(d, host, BYTES, 1)) != 0
        || cuda_check("cudaMemcpy device to host", cudaMemcpy(back, d, BYTES, 2)) != 0) {
      return 12;
    }
    cudaFree(d);
  }
  int ok = memcmp(host, back, BYTES) == 0;
  if (!ok) {
    fprintf(stderr, "floor: the bytes came back different\n");
  }
  t_copy = now_us();
  nvmlShutdown();
  printf("{\"ok\":%s,\"api\":\"%s\",\"exit\":\"%s\",\"nvmlDevices\":%u,\"cudaDevices\":%d,"
         "\"micros\":{\"nvml\":%.0f,\"init\":%.0f,\"context\":%.0f,\"roundtrip\":%.0f}}\n",
         ok ? "true" : "false", driver ? "driver" : "runtime", fast_exit ? "_exit" : "exit",
         nvml_count, count, t_nvml - t0, t_init - t_nvml, t_ctx - t_init, t_copy - t_ctx);
  if (fast_exit) {
    fflush(stdout);
    fflush(stderr);
    _exit(ok ? 0 : 12);
  }
  return ok ? 0 : 12;
}

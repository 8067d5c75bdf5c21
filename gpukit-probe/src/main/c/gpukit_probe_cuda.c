/*
 * The cold probe's early CUDA start: cuInit and the primary contexts, called straight through
 * libcuda.so.1 so that the driver's initialisation starts at once, while JavaCPP is still linking
 * its CUDA binding (which links libcudart and libcuda, then loads some 500 classes in its
 * JNI_OnLoad) on another thread. The checks then make the same calls through JavaCPP and find the
 * work done: the driver's state and the primary contexts are per process.
 *
 * libcuda.so.1 is opened with dlopen, so that this library links against nothing but libc and
 * loads on a machine without a driver, where cudaWarmUp reports that and does nothing.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <stddef.h>

typedef int (*cu_init_fn)(unsigned int);
typedef int (*cu_count_fn)(int *);
typedef int (*cu_get_fn)(int *, int);
typedef int (*cu_retain_fn)(void **, int);

/*
 * Returns -1 when libcuda.so.1 or one of its functions cannot be found, else the result of
 * cuInit(0) when it failed, else 0 after retaining the primary context of device (every device
 * when device < 0) when context is true. The contexts are released when the process ends.
 */
JNIEXPORT jint JNICALL Java_io_gpukit_probe_NativeWarmUp_cudaWarmUp(JNIEnv *env, jclass cls,
                                                                    jint device,
                                                                    jboolean context) {
  (void) env;
  (void) cls;
  void *cuda = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
  if (cuda == NULL) {
    return -1;
  }
  cu_init_fn cu_init = (cu_init_fn) dlsym(cuda, "cuInit");
  cu_count_fn cu_count = (cu_count_fn) dlsym(cuda, "cuDeviceGetCount");
  cu_get_fn cu_get = (cu_get_fn) dlsym(cuda, "cuDeviceGet");
  cu_retain_fn cu_retain = (cu_retain_fn) dlsym(cuda, "cuDevicePrimaryCtxRetain");
  if (cu_init == NULL || cu_count == NULL || cu_get == NULL || cu_retain == NULL) {
    return -1;
  }
  int rc = cu_init(0);
  if (rc != 0 || !context) {
    return rc;
  }
  int count = 0;
  if (cu_count(&count) != 0) {
    return 0;
  }
  for (int i = 0; i < count; i++) {
    int dev = 0;
    void *ctx = NULL;
    if ((device < 0 || device == i) && cu_get(&dev, i) == 0) {
      cu_retain(&ctx, dev);
    }
  }
  return 0;
}

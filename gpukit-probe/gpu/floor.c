/*
 * The floor for gpukit-probe's readiness check: the same work in C with no runtime around it.
 * NVML init and device count, a CUDA context (cudaSetDevice + cudaFree(0)), and a 4 MiB
 * host -> device -> host round trip compared with memcmp. Exit codes follow the probe's contract.
 *
 * Built by bench.sh:
 *   nvcc -O2 -o floor floor.c -L/usr/local/cuda/lib64 -L<driver dir> -lcudart -lnvidia-ml
 */
#include <cuda_runtime_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BYTES (4u << 20)

/* The three NVML calls used, declared here: nvml.h is not part of every CUDA toolkit install. */
#define NVML_SUCCESS 0
int nvmlInit_v2(void);
int nvmlDeviceGetCount_v2(unsigned int *count);
int nvmlShutdown(void);

int main(void) {
  if (nvmlInit_v2() != NVML_SUCCESS) {
    fprintf(stderr, "nvmlInit_v2 failed\n");
    return 10;
  }
  unsigned int nvml_count = 0;
  nvmlDeviceGetCount_v2(&nvml_count);

  int count = 0;
  cudaError_t rc = cudaGetDeviceCount(&count);
  if (rc != cudaSuccess || count == 0) {
    fprintf(stderr, "no CUDA device: %s\n", cudaGetErrorString(rc));
    return 11;
  }
  if (cudaSetDevice(0) != cudaSuccess || cudaFree(0) != cudaSuccess) {
    fprintf(stderr, "no CUDA context\n");
    return 10;
  }
  unsigned char *host = malloc(BYTES), *back = malloc(BYTES);
  for (unsigned i = 0; i < BYTES; i++) host[i] = (unsigned char) (i * 2654435761u >> 24);
  void *dev = NULL;
  if (cudaMalloc(&dev, BYTES) != cudaSuccess
      || cudaMemcpy(dev, host, BYTES, cudaMemcpyHostToDevice) != cudaSuccess
      || cudaMemcpy(back, dev, BYTES, cudaMemcpyDeviceToHost) != cudaSuccess) {
    fprintf(stderr, "round trip failed\n");
    return 12;
  }
  int ok = memcmp(host, back, BYTES) == 0;
  cudaFree(dev);
  printf("{\"ok\":%s,\"nvmlDevices\":%u,\"cudaDevices\":%d}\n", ok ? "true" : "false",
         nvml_count, count);
  nvmlShutdown();
  return ok ? 0 : 12;
}

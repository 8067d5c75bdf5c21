# NCCL all-reduce benchmarks for cluster acceptance; MPI launched by the scheduler.
ARG CUDA_VERSION=12.4.1
ARG NCCL_TESTS_REF=v2.13.10
FROM nvidia/cuda:${CUDA_VERSION}-devel-ubuntu22.04 AS build
ARG NCCL_TESTS_REF
RUN apt-get update && apt-get install -y --no-install-recommends \
      git openmpi-bin libopenmpi-dev \
 && rm -rf /var/lib/apt/lists/*
RUN git clone --depth 1 --branch ${NCCL_TESTS_REF} https://github.com/NVIDIA/nccl-tests.git /src/nccl-tests \
 && make -C /src/nccl-tests -j"$(nproc)" MPI=1 MPI_HOME=/usr/lib/x86_64-linux-gnu/openmpi \
      NVCC_GENCODE="-gencode=arch=compute_80,code=sm_80 -gencode=arch=compute_90,code=sm_90"

FROM nvidia/cuda:${CUDA_VERSION}-runtime-ubuntu22.04
RUN apt-get update && apt-get install -y --no-install-recommends openmpi-bin libopenmpi3 openssh-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --create-home mpiuser
COPY --from=build /src/nccl-tests/build/ /opt/nccl-tests/bin/
ENV PATH=/opt/nccl-tests/bin:$PATH \
    NCCL_IB_DISABLE=0 \
    NCCL_SOCKET_IFNAME=^lo,docker0
USER 10001
HEALTHCHECK --interval=5m --timeout=60s \
  CMD ["/opt/nccl-tests/bin/all_reduce_perf", "-b", "8", "-e", "8M", "-f", "2", "-g", "1"]
ENTRYPOINT ["mpirun", "--allow-run-as-root", "--bind-to", "none"]
CMD ["all_reduce_perf", "-b", "8", "-e", "8G", "-f", "2", "-g", "1"]

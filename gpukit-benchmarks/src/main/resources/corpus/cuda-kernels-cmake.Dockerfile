# Custom CUDA kernels compiled once, tested in the build, shipped as a small runtime image.
ARG CUDA=12.4.1
ARG DISTRO=ubuntu22.04
FROM nvidia/cuda:${CUDA}-devel-${DISTRO} AS build
RUN apt-get update && apt-get install -y --no-install-recommends cmake ninja-build g++ libgtest-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY include/ include/
COPY kernels/ kernels/
COPY tests/ tests/
RUN cmake -S . -B build -G Ninja \
      -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CUDA_ARCHITECTURES="80;90" \
      -DCMAKE_INSTALL_PREFIX=/opt/kernels \
 && cmake --build build \
 && ctest --test-dir build --output-on-failure -L cpu \
 && cmake --install build

FROM nvidia/cuda:${CUDA}-runtime-${DISTRO}
COPY --from=build /opt/kernels /opt/kernels
COPY --from=build /src/build/bin/kernel-selftest /opt/kernels/bin/kernel-selftest
RUN echo /opt/kernels/lib > /etc/ld.so.conf.d/kernels.conf && ldconfig \
 && useradd -u 10001 -M kernels
USER 10001
HEALTHCHECK --interval=1m --timeout=30s --start-period=30s \
  CMD ["/opt/kernels/bin/kernel-selftest", "--quick"]
ENTRYPOINT ["/opt/kernels/bin/kernel-worker"]

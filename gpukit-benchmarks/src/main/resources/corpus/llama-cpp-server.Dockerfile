# llama.cpp's HTTP server compiled for the GPUs we run on.
ARG CUDA_VERSION=12.6.2
ARG UBUNTU_VERSION=24.04
FROM nvidia/cuda:${CUDA_VERSION}-devel-ubuntu${UBUNTU_VERSION} AS build
ARG CUDA_ARCHITECTURES="80;86;89;90"
ARG LLAMA_CPP_REF=b3995
RUN apt-get update && apt-get install -y --no-install-recommends \
        build-essential cmake git libcurl4-openssl-dev ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
RUN git clone --depth 1 --branch ${LLAMA_CPP_REF} https://github.com/ggerganov/llama.cpp.git . \
    && cmake -B build \
        -DGGML_CUDA=ON \
        -DLLAMA_CURL=ON \
        -DCMAKE_CUDA_ARCHITECTURES="${CUDA_ARCHITECTURES}" \
        -DCMAKE_BUILD_TYPE=Release \
    && cmake --build build --config Release --target llama-server -j"$(nproc)" \
    && mkdir -p /out/lib \
    && cp build/bin/llama-server /out/ \
    && find build -name "*.so" -exec cp {} /out/lib \;

FROM nvidia/cuda:${CUDA_VERSION}-runtime-ubuntu${UBUNTU_VERSION}
RUN apt-get update && apt-get install -y --no-install-recommends libcurl4 libgomp1 curl \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/lib/ /usr/local/lib/
COPY --from=build /out/llama-server /usr/local/bin/llama-server
RUN ldconfig && useradd --uid 10001 --no-create-home llama
USER 10001
ENV LLAMA_ARG_HOST=0.0.0.0 \
    LLAMA_ARG_PORT=8080 \
    LLAMA_ARG_N_GPU_LAYERS=999
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
  CMD curl -fsS http://localhost:8080/health || exit 1
ENTRYPOINT ["/usr/local/bin/llama-server"]
CMD ["--model", "/models/model.gguf", "--ctx-size", "8192"]

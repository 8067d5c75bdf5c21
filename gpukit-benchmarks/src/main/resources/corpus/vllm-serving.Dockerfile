# syntax=docker/dockerfile:1
# An OpenAI-compatible LLM server on vLLM; the model is mounted, never baked in.
ARG BASE_IMAGE=nvidia/cuda:12.4.1-devel-ubuntu22.04
ARG RUNTIME_IMAGE=nvidia/cuda:12.4.1-runtime-ubuntu22.04
ARG VLLM_VERSION=0.6.3

FROM ${BASE_IMAGE} AS build
ARG VLLM_VERSION
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip python3-venv git \
 && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/vllm \
 && /opt/vllm/bin/pip install --no-cache-dir "vllm==${VLLM_VERSION}" "huggingface_hub[hf_transfer]"

FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="llm-gateway" \
      org.opencontainers.image.description="vLLM OpenAI-compatible server" \
      org.opencontainers.image.source="https://github.com/example/llm-gateway"
RUN apt-get update && apt-get install -y --no-install-recommends python3 curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --create-home --home-dir /home/vllm vllm
COPY --from=build /opt/vllm /opt/vllm
ENV PATH=/opt/vllm/bin:$PATH \
    HF_HOME=/models/.cache \
    HF_HUB_ENABLE_HF_TRANSFER=1 \
    VLLM_WORKER_MULTIPROC_METHOD=spawn
VOLUME ["/models"]
EXPOSE 8000
USER 10001
HEALTHCHECK --interval=30s --timeout=15s --start-period=300s --retries=5 \
  CMD ["python3", "-c", "import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)"]
ENTRYPOINT ["python3", "-m", "vllm.entrypoints.openai.api_server"]
CMD ["--model", "/models/current", "--host", "0.0.0.0", "--port", "8000", "--gpu-memory-utilization", "0.90"]

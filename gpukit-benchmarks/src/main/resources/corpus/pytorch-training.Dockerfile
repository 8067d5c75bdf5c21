# syntax=docker/dockerfile:1.7
# Distributed PyTorch training image: wheels built against the devel toolkit, trained on runtime.
ARG CUDA_VERSION=12.4.1
ARG UBUNTU_VERSION=22.04
ARG PYTHON_VERSION=3.11

FROM nvidia/cuda:${CUDA_VERSION}-cudnn-devel-ubuntu${UBUNTU_VERSION} AS toolchain
ARG PYTHON_VERSION
ENV DEBIAN_FRONTEND=noninteractive \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential \
      ca-certificates \
      git \
      ninja-build \
      python${PYTHON_VERSION} \
      python${PYTHON_VERSION}-dev \
      python${PYTHON_VERSION}-venv \
 && rm -rf /var/lib/apt/lists/*
RUN python${PYTHON_VERSION} -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

FROM toolchain AS wheels
WORKDIR /build
COPY requirements/train.txt requirements/constraints.txt ./
ENV TORCH_CUDA_ARCH_LIST="8.0;8.6;8.9;9.0" \
    MAX_JOBS=8
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install --upgrade pip wheel setuptools \
 && pip wheel --wheel-dir /wheels \
      --constraint constraints.txt \
      --requirement train.txt
RUN --mount=type=cache,target=/root/.cache/pip \
    pip wheel --no-build-isolation --wheel-dir /wheels flash-attn==2.6.3

FROM nvidia/cuda:${CUDA_VERSION}-cudnn-runtime-ubuntu${UBUNTU_VERSION} AS runtime
ARG PYTHON_VERSION
ENV DEBIAN_FRONTEND=noninteractive \
    PYTHONUNBUFFERED=1 \
    NCCL_DEBUG=WARN \
    PATH=/opt/venv/bin:$PATH
RUN apt-get update \
 && apt-get install -y --no-install-recommends python${PYTHON_VERSION} python${PYTHON_VERSION}-venv libgomp1 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 trainer \
 && useradd --uid 10001 --gid 10001 --create-home --shell /usr/sbin/nologin trainer
COPY --from=toolchain /opt/venv /opt/venv
RUN --mount=type=bind,from=wheels,source=/wheels,target=/wheels \
    pip install --no-index --find-links /wheels /wheels/*.whl
COPY --chown=10001:10001 src/ /workspace/src/
COPY --chown=10001:10001 configs/ /workspace/configs/
COPY <<'EOF' /usr/local/bin/gpu-smoke.py
import sys
import torch

if not torch.cuda.is_available():
    sys.exit("CUDA is not available")
x = torch.randn(1024, 1024, device="cuda")
torch.cuda.synchronize()
print(f"ok: {torch.cuda.get_device_name(0)} {float((x @ x).sum()):.3f}")
EOF
WORKDIR /workspace
USER 10001:10001
HEALTHCHECK --interval=60s --timeout=20s --start-period=120s --retries=3 \
  CMD ["python", "/usr/local/bin/gpu-smoke.py"]
ENTRYPOINT ["torchrun", "--nnodes=1", "--nproc-per-node=gpu", "src/train.py"]
CMD ["--config", "configs/default.yaml"]

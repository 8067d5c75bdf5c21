# syntax=docker/dockerfile:1
# FastAPI embedding service on ONNX Runtime's CUDA execution provider.
ARG PYTHON_VERSION=3.11
FROM nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04 AS base
ARG PYTHON_VERSION
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends software-properties-common \
 && add-apt-repository -y ppa:deadsnakes/ppa \
 && apt-get install -y --no-install-recommends python${PYTHON_VERSION} python${PYTHON_VERSION}-venv \
 && rm -rf /var/lib/apt/lists/*

FROM base AS deps
RUN python${PYTHON_VERSION} -m venv /venv
COPY pyproject.toml poetry.lock ./
RUN /venv/bin/pip install --no-cache-dir poetry==1.8.3 \
 && /venv/bin/poetry export --without dev --format requirements.txt --output /tmp/req.txt \
 && /venv/bin/pip install --no-cache-dir -r /tmp/req.txt \
 && /venv/bin/pip uninstall -y poetry

FROM base
COPY --from=deps /venv /venv
COPY app/ /srv/app/
COPY --chmod=0755 <<'EOF' /usr/local/bin/ort-smoke
#!/venv/bin/python
import onnxruntime as ort, sys
providers = ort.get_available_providers()
sys.exit(0 if "CUDAExecutionProvider" in providers else f"no CUDA provider: {providers}")
EOF
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin api
USER 10001
WORKDIR /srv
ENV PATH=/venv/bin:$PATH
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=45s --retries=3 CMD ["/usr/local/bin/ort-smoke"]
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8080", "--workers", "1"]

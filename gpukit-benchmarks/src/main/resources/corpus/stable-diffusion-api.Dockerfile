# syntax=docker/dockerfile:1.6
# Image generation API: diffusers + xformers, weights mounted read-only at run time.
ARG BASE=pytorch/pytorch:2.4.1-cuda12.4-cudnn9-devel
ARG RUNTIME=pytorch/pytorch:2.4.1-cuda12.4-cudnn9-runtime

FROM ${BASE} AS builder
ENV PIP_NO_CACHE_DIR=1
WORKDIR /build
COPY requirements.lock ./
RUN pip install --prefix=/install -r requirements.lock \
 && pip install --prefix=/install --no-deps xformers==0.0.28.post1

FROM ${RUNTIME}
ARG APP_UID=10001
ARG APP_GID=10001
RUN groupadd -g ${APP_GID} sd && useradd -u ${APP_UID} -g ${APP_GID} -M -s /sbin/nologin sd
COPY --from=builder /install /opt/conda
COPY --chown=${APP_UID}:${APP_GID} api/ /srv/api/
RUN cat <<'EOF' > /srv/healthcheck.py
import sys, torch
try:
    torch.zeros(1, device="cuda").add_(1)
except Exception as exc:  # noqa: BLE001
    print(f"GPU check failed: {exc}", file=sys.stderr)
    sys.exit(1)
EOF
ENV HF_HUB_OFFLINE=1 \
    DIFFUSERS_CACHE=/weights \
    PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
VOLUME /weights
USER ${APP_UID}:${APP_GID}
WORKDIR /srv
EXPOSE 7860
HEALTHCHECK --interval=45s --timeout=20s --start-period=180s CMD ["python", "/srv/healthcheck.py"]
ENTRYPOINT ["python", "-m", "api.server"]
CMD ["--port", "7860", "--enable-xformers"]

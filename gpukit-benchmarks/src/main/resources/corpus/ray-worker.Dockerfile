# A Ray worker image for GPU batch inference jobs.
FROM rayproject/ray:2.35.0-py311-cu121 AS base

FROM base AS deps
USER root
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg libsndfile1 \
 && rm -rf /var/lib/apt/lists/*
USER ray
COPY --chown=ray:users requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir --user -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

FROM deps AS runtime
WORKDIR /home/ray/jobs
COPY --chown=ray:users jobs/ ./
COPY --chown=ray:users --chmod=0755 scripts/gpu_smoke_test.sh /home/ray/bin/gpu_smoke_test.sh
ENV RAY_USAGE_STATS_ENABLED=0 \
    RAY_DEDUP_LOGS=1 \
    OMP_NUM_THREADS=1
USER 1000:100
HEALTHCHECK --interval=30s --timeout=15s --start-period=60s --retries=3 \
  CMD ["/home/ray/bin/gpu_smoke_test.sh"]
CMD ["ray", "start", "--address=ray-head:6379", "--block", "--num-gpus=1"]

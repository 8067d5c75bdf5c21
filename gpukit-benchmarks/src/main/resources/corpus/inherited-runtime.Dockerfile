# USER and HEALTHCHECK set in a runtime base stage are inherited by the final stage built FROM it.
# Lower-case keywords, ARG-built references and a digest-pinned base are fine.
ARG CUDA=13.0.1
FROM nvidia/cuda:${CUDA}-devel-ubuntu24.04 AS build
RUN --mount=type=cache,target=/root/.cache make -C /src

from nvidia/cuda:${CUDA}-runtime-ubuntu24.04@sha256:0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a as runtime-base
user 10001:10001
healthcheck --interval=10s CMD ["/opt/gpukit/bin/gpukit-probe", "--mode", "readiness"]

FROM runtime-base
COPY --from=build --chown=10001:10001 /src/bin/server /app/server
ENTRYPOINT ["/app/server"]

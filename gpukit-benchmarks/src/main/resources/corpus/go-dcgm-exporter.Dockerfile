# syntax=docker/dockerfile:1
# A Go sidecar that exports DCGM GPU metrics; built static, shipped on the CUDA base for libdcgm.
ARG GO_VERSION=1.22.5
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download -x
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags="-s -w -X main.version=$(git describe --tags --always)" \
      -o /out/gpu-exporter ./cmd/gpu-exporter

FROM nvcr.io/nvidia/cloud-native/dcgm:3.3.7-1-ubuntu22.04 AS runtime
COPY --from=build /out/gpu-exporter /usr/local/bin/gpu-exporter
COPY deploy/default-counters.csv /etc/gpu-exporter/counters.csv
USER 65532:65532
EXPOSE 9400
HEALTHCHECK --interval=20s --timeout=3s --retries=3 \
  CMD ["/usr/local/bin/gpu-exporter", "--self-check", "--require-gpu"]
ENTRYPOINT ["/usr/local/bin/gpu-exporter"]
CMD ["--collectors", "/etc/gpu-exporter/counters.csv", "--address", ":9400"]

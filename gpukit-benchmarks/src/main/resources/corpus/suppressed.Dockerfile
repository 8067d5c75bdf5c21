# Inline ignores with reasons silence a rule on their own line or the next.
FROM golang:1.22.5 AS build
RUN go build -o /out/probe ./cmd/probe

# gpukit:ignore dockerfile/base-image-pinned -- the platform team rebuilds this base nightly
FROM internal-registry.example.com/gpu/runtime
COPY --from=build /out/probe /usr/local/bin/gpu_check.sh
USER 10001
HEALTHCHECK CMD ["/usr/local/bin/gpu_check.sh"]

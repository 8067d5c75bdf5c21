# Triton Inference Server with a model repository assembled at build time.
ARG TRITON_VERSION=24.08
FROM nvcr.io/nvidia/tritonserver:${TRITON_VERSION}-py3-sdk AS export
WORKDIR /export
COPY export/ ./
RUN python3 export_onnx.py --output /repository/encoder/1/model.onnx \
 && python3 build_trt.py \
      --onnx /repository/encoder/1/model.onnx \
      --engine /repository/encoder_trt/1/model.plan \
      --fp16 \
      --workspace 4096

FROM nvcr.io/nvidia/tritonserver:${TRITON_VERSION}-py3
COPY --from=export /repository /models
COPY model_repository/ /models/
RUN <<EOF
set -eu
for model in /models/*/; do
  test -f "${model}config.pbtxt" || { echo "missing config in ${model}" >&2; exit 1; }
done
chown -R 1000:1000 /models
EOF
USER 1000:1000
EXPOSE 8000 8001 8002
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s \
  CMD ["/opt/tritonserver/bin/gpu-smoke", "--model", "encoder_trt"]
ENTRYPOINT ["tritonserver"]
CMD ["--model-repository=/models", "--strict-model-config=false", "--log-verbose=0"]

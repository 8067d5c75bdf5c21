# TensorFlow Serving with a SavedModel pulled from the model registry by a build stage.
FROM python:3.11.9-slim-bookworm AS fetch
ARG MODEL_NAME=ranker
ARG MODEL_VERSION=17
RUN pip install --no-cache-dir mlflow-skinny==2.16.2
COPY scripts/fetch_model.py /fetch_model.py
RUN --mount=type=secret,id=mlflow_token,env=MLFLOW_TRACKING_TOKEN \
    python /fetch_model.py --name "${MODEL_NAME}" --version "${MODEL_VERSION}" --out /models/${MODEL_NAME}/${MODEL_VERSION}

FROM tensorflow/serving:2.17.0-gpu
ARG MODEL_NAME=ranker
ENV MODEL_NAME=${MODEL_NAME} \
    TF_FORCE_GPU_ALLOW_GROWTH=true
COPY --from=fetch /models /models
COPY serving/batching.conf /etc/tfserving/batching.conf
COPY serving/monitoring.conf /etc/tfserving/monitoring.conf
USER 10001
EXPOSE 8500 8501
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s \
  CMD ["/usr/local/bin/gpu_check.sh"]
ENTRYPOINT ["tensorflow_model_server", "--port=8500", "--rest_api_port=8501", \
            "--model_base_path=/models/ranker", "--enable_batching", \
            "--batching_parameters_file=/etc/tfserving/batching.conf", \
            "--monitoring_config_file=/etc/tfserving/monitoring.conf"]

# A shared JupyterLab image for the GPU notebooks cluster.
FROM quay.io/jupyter/pytorch-notebook:cuda12-2024-10-07
USER root
RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz htop nvtop \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/*
COPY --chown=${NB_UID}:${NB_GID} environment.yml /tmp/environment.yml
USER ${NB_UID}
RUN mamba env update --name base --file /tmp/environment.yml \
    && mamba clean --all -f -y \
    && fix-permissions "${CONDA_DIR}" \
    && fix-permissions "/home/${NB_USER}"
COPY --chown=${NB_UID}:${NB_GID} jupyter_server_config.py /etc/jupyter/
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import torch; assert torch.cuda.is_available()"]

FROM nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04 AS kernels
RUN nvcc -o /out/kernels.so kernels.cu

FROM pytorch/pytorch:2.3.0-cuda12.1-cudnn8-devel AS wheels
RUN pip wheel -w /wheels flash-attn

FROM nvidia/cuda:12.6.0-devel-ubuntu22.04 AS unused
RUN echo "not copied into the image, so it does not drift"

FROM nvidia/cuda:12.1.1-runtime-ubuntu22.04
COPY --from=kernels /out/kernels.so /app/
COPY --from=wheels /wheels /wheels
USER 10001
HEALTHCHECK CMD ["python3", "/app/smoke_test.py"]

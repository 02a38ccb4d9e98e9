# foodcam on a desktop / server NVIDIA GPU, from NVIDIA's TensorRT container (CUDA, cuDNN, TensorRT and its Python
# bindings inside; the host needs only the driver and the NVIDIA Container Toolkit). See docs/gpu-server.md.
#
#   docker build -f docker/gpu.Dockerfile -t foodcam:gpu .
#   docker run --rm --gpus all -v $PWD/models:/models -v foodcam-data:/data -p 127.0.0.1:8080:8080 foodcam:gpu
#   docker run --rm --gpus all -v $PWD/models:/models foodcam:gpu foodcam build /models/model.onnx --out /models/model.engine
#   docker run --rm --gpus all -v $PWD/models:/models foodcam:gpu foodcam doctor --model /models/model.engine
#
# The tag fixes TensorRT, CUDA and the driver it needs (NVIDIA's TensorRT container release notes list them per
# tag): an engine built in this image runs only with the same TensorRT on the same GPU model. CUDA 12 driver:
# a 24.xx/25.xx tag built on CUDA 12 and the `gpu` extra (cuda-python 12); CUDA 13 driver (R580+): a CUDA 13 tag
# and GPU_EXTRA=gpu-cuda13.
ARG BASE=nvcr.io/nvidia/tensorrt:24.08-py3
FROM ${BASE}
ARG GPU_EXTRA=gpu

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1
COPY . /src
# foodcam's own dependencies name the CPU onnxruntime; here onnxruntime-gpu replaces it (both provide the same
# module and must not be installed together), and TensorRT stays the container's own
RUN python3 -m pip install "/src[opencv,${GPU_EXTRA}]" \
    && python3 -m pip uninstall -y onnxruntime \
    && python3 -m pip install onnxruntime-gpu \
    && rm -rf /src \
    && useradd --system --create-home --groups video foodcam \
    && install -d -o foodcam /data /etc/foodcam
COPY docker/run.yaml /etc/foodcam/run.yaml

USER foodcam
WORKDIR /home/foodcam
EXPOSE 8080
STOPSIGNAL SIGTERM
CMD ["foodcam", "run", "--config", "/etc/foodcam/run.yaml"]

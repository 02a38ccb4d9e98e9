# foodcam on a Jetson with JetPack 6 (Jetson Linux r36): NVIDIA's l4t-jetpack base carries CUDA 12.6, cuDNN 9.3 and
# TensorRT 10.3 with its Python bindings for Ubuntu 22.04 / Python 3.10. OpenCV is Ubuntu's python3-opencv (built
# with GStreamer): the PyPI wheel is NOT installed, it has no GStreamer and would break csi://. See docs/jetson.md.
# Build it on the Jetson (arm64) itself:
#
#   docker build -f docker/jetson.Dockerfile -t foodcam:jetson .
#   docker run --rm --runtime nvidia -v $PWD/models:/models -v foodcam-data:/data -p 127.0.0.1:8080:8080 \
#       --device /dev/video0 foodcam:jetson                                   # USB camera: source 0
#   docker run --rm --runtime nvidia -v /tmp/argus_socket:/tmp/argus_socket -v $PWD/models:/models \
#       foodcam:jetson foodcam run --config /etc/foodcam/run.yaml --source csi://0   # CSI camera through Argus
#   docker run --rm --runtime nvidia -v $PWD/models:/models foodcam:jetson \
#       foodcam build /models/model.onnx --out /models/model.engine       # engines are built on the Jetson itself
#
# --runtime nvidia gives the container the Jetson's GPU (NVIDIA Container Toolkit, part of JetPack); a CSI camera
# also needs the host's Argus socket (/tmp/argus_socket), GPIO needs --privileged or the gpio devices.
ARG BASE=nvcr.io/nvidia/l4t-jetpack:r36.4.0
FROM ${BASE}

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1 DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends \
        python3-pip python3-opencv gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad ffmpeg \
    && rm -rf /var/lib/apt/lists/*

COPY . /src
# without the opencv extra (the apt cv2 stays the one imported); numpy < 2 because Ubuntu 22.04's cv2 is built against
# numpy 1.x; cuda-python 12 (the `gpu` extra) because JetPack 6's driver is CUDA 12
RUN python3 -m pip install "numpy<2" "/src[gpu,actuators]" \
    && rm -rf /src \
    && useradd --system --create-home --groups video,dialout foodcam \
    && install -d -o foodcam /data /etc/foodcam
COPY docker/run.yaml /etc/foodcam/run.yaml

USER foodcam
WORKDIR /home/foodcam
EXPOSE 8080
STOPSIGNAL SIGTERM
CMD ["foodcam", "run", "--config", "/etc/foodcam/run.yaml"]

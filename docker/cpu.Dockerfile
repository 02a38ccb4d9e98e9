# foodcam on a plain CPU: ONNX Runtime (CPU) and OpenCV from PyPI, no GPU, no PyTorch.
#
#   docker build -f docker/cpu.Dockerfile -t foodcam:cpu .
#   docker run --rm -v $PWD/models:/models -v foodcam-data:/data -p 127.0.0.1:8080:8080 foodcam:cpu
#   docker run --rm -v $PWD/models:/models foodcam:cpu foodcam run --config /etc/foodcam/run.yaml --max-frames 100
#
# A USB camera: add --device /dev/video0 and `source: 0` (or --source 0). Outputs go to /data (a volume).
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1
# libglib2.0-0: needed by the OpenCV wheels' video I/O on slim images; ffmpeg: H.264 for --save out.mp4 / rtsp:// / rtp://
RUN apt-get update && apt-get install -y --no-install-recommends libglib2.0-0 ffmpeg \
    && rm -rf /var/lib/apt/lists/*

COPY . /src
RUN pip install "/src[opencv]" && rm -rf /src \
    && useradd --system --create-home --groups video foodcam \
    && install -d -o foodcam /data /etc/foodcam
COPY docker/run.yaml /etc/foodcam/run.yaml

USER foodcam
WORKDIR /home/foodcam
EXPOSE 8080
# `docker stop` sends SIGTERM: foodcam finishes the frames in hand and closes its outputs
STOPSIGNAL SIGTERM
CMD ["foodcam", "run", "--config", "/etc/foodcam/run.yaml"]

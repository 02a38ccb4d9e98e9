"""Grabbers over cv2.VideoCapture: V4L2 cameras, Jetson CSI cameras, RTSP, GStreamer pipelines, video files."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import lru_cache

import cv2

from foodcam.camera.sources.base import Grab
from foodcam.runtime.errors import FoodcamError

log = logging.getLogger("foodcam.camera")

APPSINK = "appsink drop=true max-buffers=1 sync=false"
NET_TIMEOUT_MS = 5000  # FFmpeg open/read timeout for network streams: a hung stream fails and is reopened


@lru_cache(maxsize=1)
def has_gstreamer() -> bool:
    """Whether this OpenCV build can run GStreamer pipelines (JetPack's can, pip's cannot)."""
    for line in cv2.getBuildInformation().splitlines():
        if line.strip().startswith("GStreamer:"):
            return "YES" in line.split(":", 1)[1]
    return False


def require_gstreamer(uri: str) -> None:
    if not has_gstreamer():
        raise FoodcamError(
            f"{uri}: needs OpenCV built with GStreamer; this one (pip's opencv-python) has none. "
            "Use the OpenCV that comes with JetPack (python3-opencv), or another source"
        )


def csi_pipeline(sensor: int, width: int, height: int, fps: float, flip: int = 0) -> str:
    """Jetson CSI camera via nvarguscamerasrc, converted to BGR for OpenCV."""
    return (
        f"nvarguscamerasrc sensor-id={sensor} ! "
        f"video/x-raw(memory:NVMM), width={width}, height={height}, framerate={int(round(fps))}/1, format=NV12 ! "
        f"nvvidconv flip-method={flip} ! video/x-raw, format=BGRx ! "
        f"videoconvert ! video/x-raw, format=BGR ! {APPSINK}"
    )


def rtsp_pipeline(url: str) -> str:
    """RTSP with no jitter buffer (latency=0), decoded to BGR, the appsink keeping only the newest frame."""
    return f"rtspsrc location={url} latency=0 ! decodebin ! videoconvert ! video/x-raw, format=BGR ! {APPSINK}"


def finish_pipeline(pipeline: str) -> str:
    """A user pipeline without an appsink gets a BGR conversion and a latest-frame appsink appended."""
    return pipeline if "appsink" in pipeline else f"{pipeline} ! videoconvert ! video/x-raw, format=BGR ! {APPSINK}"


class CaptureGrabber:
    """One cv2.VideoCapture, made by `factory` on every (re)open."""

    def __init__(self, name: str, factory: Callable[[], cv2.VideoCapture], fps: float | None = None,
                 is_file: bool = False) -> None:
        self.name, self.factory, self._fps, self.is_file = name, factory, fps, is_file
        self.cap: cv2.VideoCapture | None = None
        self.skipped = 0

    @property
    def fps(self) -> float | None:
        return self._fps

    def open(self) -> None:
        cap = self.factory()
        if cap is None or not cap.isOpened():
            what = "not a readable video file" if self.is_file else "cannot open this capture device or stream"
            raise FoodcamError(f"{self.name}: {what}")
        self.cap = cap
        native = cap.get(cv2.CAP_PROP_FPS)
        if not self._fps and native and 0 < native < 1000:
            self._fps = float(native)

    def grab(self) -> Grab | None:
        if self.cap is None:
            return None
        for _ in range(8):  # a few undecodable frames inside a file are skipped, not taken as its end
            ok, img = self.cap.read()
            if ok and img is not None:
                return img, None
            if not self.is_file or not self._inside_file():
                return None
            self.skipped += 1
            log.debug("%s: skipped an unreadable frame", self.name)
        return None

    def _inside_file(self) -> bool:
        count = self.cap.get(cv2.CAP_PROP_FRAME_COUNT)
        pos = self.cap.get(cv2.CAP_PROP_POS_FRAMES)
        return bool(count > 0 and pos < count - 1)

    def close(self) -> None:
        if self.cap is not None:
            self.cap.release()
            self.cap = None


def _props(size: tuple[int, int] | None, fps: float | None) -> list[int]:
    params: list[int] = []
    if size:
        params += [cv2.CAP_PROP_FRAME_WIDTH, int(size[0]), cv2.CAP_PROP_FRAME_HEIGHT, int(size[1])]
    if fps:
        params += [cv2.CAP_PROP_FPS, int(round(fps))]
    return params


def v4l2(device: int | str, size: tuple[int, int] | None = None, fps: float | None = None) -> CaptureGrabber:
    """A USB/V4L2 camera by index (0) or device path (/dev/video0)."""
    def factory() -> cv2.VideoCapture:
        cap = cv2.VideoCapture(device, cv2.CAP_V4L2, _props(size, fps))
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        return cap

    return CaptureGrabber(f"v4l2://{device}", factory, fps)


def csi(sensor: int, size: tuple[int, int] | None = None, fps: float | None = None, flip: int = 0) -> CaptureGrabber:
    uri = f"csi://{sensor}"
    require_gstreamer(uri)
    w, h = size or (1280, 720)
    pipeline = csi_pipeline(sensor, w, h, fps or 30, flip)
    return CaptureGrabber(uri, lambda: cv2.VideoCapture(pipeline, cv2.CAP_GSTREAMER), fps or 30)


def rtsp(url: str) -> CaptureGrabber:
    """GStreamer with latency=0 when this OpenCV has it, else FFmpeg over TCP with a one-frame buffer."""
    if has_gstreamer():
        pipeline = rtsp_pipeline(url)
        return CaptureGrabber(url, lambda: cv2.VideoCapture(pipeline, cv2.CAP_GSTREAMER))

    def factory() -> cv2.VideoCapture:
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, NET_TIMEOUT_MS, cv2.CAP_PROP_READ_TIMEOUT_MSEC, NET_TIMEOUT_MS]
        # OpenCV reads these options at open time from the environment: set them for this open only,
        # or every video file opened later in the process would be decoded with low-delay flags too.
        key, before = "OPENCV_FFMPEG_CAPTURE_OPTIONS", os.environ.get("OPENCV_FFMPEG_CAPTURE_OPTIONS")
        os.environ[key] = before or "rtsp_transport;tcp|fflags;nobuffer|flags;low_delay"
        try:
            cap = cv2.VideoCapture(url, cv2.CAP_FFMPEG, params)
        finally:
            if before is None:
                os.environ.pop(key, None)
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        return cap

    return CaptureGrabber(url, factory)


def gstreamer(pipeline: str) -> CaptureGrabber:
    uri = f"gst://{pipeline}"
    require_gstreamer(uri)
    full = finish_pipeline(pipeline)
    return CaptureGrabber(uri, lambda: cv2.VideoCapture(full, cv2.CAP_GSTREAMER))


def video_file(path: str, fps: float | None = None) -> CaptureGrabber:
    return CaptureGrabber(str(path), lambda: cv2.VideoCapture(str(path)), fps, is_file=True)

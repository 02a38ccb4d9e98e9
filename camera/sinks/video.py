"""Annotated frames to a video file, written under a temporary name and renamed when finalised.

.mp4/.m4v/.mov/.mkv are H.264 (what browsers and phones play) from the first encoder this machine has
(camera/sinks/encoders.py); without one, MPEG-4 Part 2 (mp4v) with one warning per process. .avi is MJPEG.
The codec chosen is logged when the file opens and reported in the run's summary.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path

import cv2

from foodcam.camera.sinks import encoders
from foodcam.camera.sinks.base import Rendered, Sink
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import atomic_path

log = logging.getLogger("foodcam.camera")

VIDEO_EXTS = {".mp4": "mp4v", ".m4v": "mp4v", ".mov": "mp4v", ".avi": "MJPG", ".mkv": "mp4v"}  # OpenCV fallbacks
H264_CONTAINERS = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mov", ".mkv": "matroska"}  # ffmpeg format names
FALLBACK_CODECS = {"mp4v": "MPEG-4 Part 2 (mp4v)", "MJPG": "Motion JPEG (MJPG)"}
_warned_no_h264 = False


def _warn_no_h264(path: Path) -> None:
    global _warned_no_h264
    if not _warned_no_h264:
        _warned_no_h264 = True
        log.warning("%s: no H.264 encoder here (ffmpeg with libx264/libopenh264, OpenCV avc1 or GStreamer x264enc): "
                    "writing MPEG-4 Part 2 (mp4v), which browsers and phones may not play; apt install ffmpeg", path)


class VideoSink(Sink):
    """A video writer opened on the first frame (its size); `close` releases it and renames it into place."""

    def __init__(self, path: str | Path, fps: float | None = None, h264: bool = True) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        if self.path.suffix.lower() not in VIDEO_EXTS:
            raise FoodcamError(f"{path}: unknown video extension (expected {', '.join(VIDEO_EXTS)})")
        self.fps = float(fps) if fps and fps > 0 else 15.0
        self.h264 = h264  # False: the OpenCV fallback codec, as when no H.264 encoder exists
        self.frames = 0
        self.codec: str | None = None
        self.size: tuple[int, int] | None = None
        self._writer = None
        self._tmp: Path | None = None
        self._stack = contextlib.ExitStack()

    def _open(self, tmp: Path):
        container = H264_CONTAINERS.get(self.path.suffix.lower())
        if container is not None and self.h264:
            writer = encoders.open_h264(str(tmp), self.fps, self.size, container)
            if writer is not None:
                return writer
            _warn_no_h264(self.path)
        fourcc = VIDEO_EXTS[self.path.suffix.lower()]
        w = cv2.VideoWriter(str(tmp), cv2.VideoWriter_fourcc(*fourcc), self.fps, self.size)
        if not w.isOpened():
            raise FoodcamError(f"{self.path}: cannot open a video writer ({self.size[0]}x{self.size[1]})")
        return encoders.OpenCVWriter(w, FALLBACK_CODECS[fourcc])

    def write(self, out: Rendered) -> None:
        img = out.image
        if self._writer is None:
            tmp = self._tmp = self._stack.enter_context(atomic_path(self.path))
            self.size = (img.shape[1], img.shape[0])
            self._writer = self._open(tmp)
            self.codec = self._writer.codec
            log.info("%s: %s, %dx%d at %g fps", self.path, self.codec, *self.size, self.fps)
        if (img.shape[1], img.shape[0]) != self.size:  # a camera reopened at another resolution
            img = cv2.resize(img, self.size, interpolation=cv2.INTER_AREA)
        self._writer.write(img)
        self.frames += 1

    @property
    def bytes_written(self) -> int:
        """Size of the file being written (what --rotate 100MB measures)."""
        try:
            return os.path.getsize(self._tmp) if self._writer is not None and self._tmp else 0
        except OSError:
            return 0

    def close(self) -> None:
        writer, self._writer = self._writer, None
        try:
            if writer is not None:
                writer.release()
        except Exception:
            self._stack.__exit__(*sys.exc_info())  # an unfinished file is removed, never renamed into place
            raise
        self._stack.close()  # renames the finished file into place

    def summary(self) -> dict:
        return {"video": {"path": str(self.path), "frames": self.frames, "codec": self.codec}}

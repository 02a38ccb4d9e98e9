"""Annotated frames to an .mp4 (or .avi) file, written under a temporary name and renamed when finalised."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import cv2
from foodcam.camera.sinks.base import Rendered, Sink
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import atomic_path

VIDEO_EXTS = {".mp4": "mp4v", ".m4v": "mp4v", ".mov": "mp4v", ".avi": "MJPG", ".mkv": "mp4v"}


class VideoSink(Sink):
    """cv2.VideoWriter opened on the first frame (its size); `close` releases it and renames it into place."""

    def __init__(self, path: str | Path, fps: float | None = None) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        if self.path.suffix.lower() not in VIDEO_EXTS:
            raise FoodcamError(f"{path}: unknown video extension (expected {', '.join(VIDEO_EXTS)})")
        self.fps = float(fps) if fps and fps > 0 else 15.0
        self.frames = 0
        self.size: tuple[int, int] | None = None
        self._writer: cv2.VideoWriter | None = None
        self._tmp: Path | None = None
        self._stack = contextlib.ExitStack()

    def write(self, out: Rendered) -> None:
        img = out.image
        if self._writer is None:
            tmp = self._tmp = self._stack.enter_context(atomic_path(self.path))
            self.size = (img.shape[1], img.shape[0])
            fourcc = cv2.VideoWriter_fourcc(*VIDEO_EXTS[self.path.suffix.lower()])
            self._writer = cv2.VideoWriter(str(tmp), fourcc, self.fps, self.size)
            if not self._writer.isOpened():
                raise FoodcamError(f"{self.path}: cannot open a video writer ({self.size[0]}x{self.size[1]})")
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
        if self._writer is not None:
            self._writer.release()
            self._writer = None
        self._stack.close()  # renames the finished file into place

    def summary(self) -> dict:
        return {"video": {"path": str(self.path), "frames": self.frames}}

"""Image sequences: one image file, a directory of images, or a glob; unreadable images are skipped and counted."""

from __future__ import annotations

import logging
from pathlib import Path

from foodcam.camera.sources.base import Grab
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import list_images, read_image

log = logging.getLogger("foodcam.camera")


class ImageGrabber:
    def __init__(self, spec: str, fps: float | None = None) -> None:
        self.name, self.fps = spec, fps
        self.paths: list[Path] = []
        self.skipped = 0
        self._next = 0

    def open(self) -> None:
        self.paths = list_images(self.name)
        if not self.paths:
            raise FoodcamError(f"{self.name}: no images found (expected {', '.join(('.jpg', '.png', '...'))})")
        self._next = 0

    def grab(self) -> Grab | None:
        while self._next < len(self.paths):
            path = self.paths[self._next]
            self._next += 1
            try:
                return read_image(path), None
            except FoodcamError as e:
                self.skipped += 1
                log.warning("skipped: %s", e)
        return None

    def close(self) -> None:
        self._next = len(self.paths)

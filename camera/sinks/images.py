"""Annotated frames as an image sequence: 'out/%06d.jpg' numbered by frame index, each written atomically."""

from __future__ import annotations

from pathlib import Path

from foodcam.camera.sinks.base import Rendered, Sink
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import is_image, write_image


class ImageSequenceSink(Sink):
    def __init__(self, pattern: str) -> None:
        self.pattern = self.name = str(pattern)
        try:
            probe = self.pattern % 0
        except (TypeError, ValueError):
            raise FoodcamError(f"{pattern}: expected one printf-style number, e.g. out/%06d.jpg") from None
        if probe == self.pattern or not is_image(probe):
            raise FoodcamError(f"{pattern}: expected one printf-style number and an image extension, e.g. out/%06d.jpg")
        self.frames = 0

    def write(self, out: Rendered) -> None:
        write_image(Path(self.pattern % out.frame.index), out.image)
        self.frames += 1

    def summary(self) -> dict:
        return {"images": {"pattern": self.pattern, "frames": self.frames}}

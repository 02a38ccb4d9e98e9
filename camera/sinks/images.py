"""Annotated frames as an image sequence: 'out/%06d.jpg' numbered by frame index, each written atomically."""

from __future__ import annotations

from collections import deque
from pathlib import Path

from foodcam.camera.sinks.base import Rendered, Sink
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import is_image, write_image


class ImageSequenceSink(Sink):
    """keep: only the newest `keep` images this run wrote stay on disk (--keep N)."""

    def __init__(self, pattern: str, keep: int | None = None) -> None:
        self.pattern = self.name = str(pattern)
        try:
            probe = self.pattern % 0
        except (TypeError, ValueError):
            raise FoodcamError(f"{pattern}: expected one printf-style number, e.g. out/%06d.jpg") from None
        if probe == self.pattern or not is_image(probe):
            raise FoodcamError(f"{pattern}: expected one printf-style number and an image extension, e.g. out/%06d.jpg")
        self.frames = 0
        self.keep, self.deleted = keep, 0
        self._written: deque[Path] = deque()

    def write(self, out: Rendered) -> None:
        path = Path(self.pattern % out.frame.index)
        write_image(path, out.image)
        self.frames += 1
        if self.keep is not None:
            if not self._written or self._written[-1] != path:
                self._written.append(path)
            while len(self._written) > self.keep:
                self._written.popleft().unlink(missing_ok=True)
                self.deleted += 1

    def summary(self) -> dict:
        out = {"pattern": self.pattern, "frames": self.frames}
        if self.keep is not None:
            out["deleted"] = self.deleted
        return {"images": out}

"""What the sorter asks of an item and of the tracker that finds it, whichever tracker that is.

Two trackers implement it: `tracker.Tracker` (items as foreground blobs against the belt, followed across
frames) and `trigger_tracker.TriggerTracker` (items as blocked..clear intervals of a photo-eye). Both work in a
*lane view* of the frame, turned so the belt moves along +x; boxes are mapped back to frame pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from foodcam.camera.sorting.decide import Votes

CROP_PAD = 0.2  # context around an item's box, as a fraction of its size (the item fills ~70% of the crop)


class LaneView:
    """Turns a frame so the belt moves along +x, and maps boxes back."""

    def __init__(self, direction: str, shape: tuple[int, int]) -> None:
        self.direction, self.h, self.w = direction, int(shape[0]), int(shape[1])

    def __call__(self, img: np.ndarray) -> np.ndarray:
        d = self.direction
        if d == "right_to_left":
            img = img[:, ::-1]
        elif d == "top_to_bottom":
            img = img.swapaxes(0, 1)
        elif d == "bottom_to_top":
            img = img[::-1].swapaxes(0, 1)
        return np.ascontiguousarray(img)

    def along(self, v: float) -> float:
        """A frame coordinate along the motion axis (x, or y for vertical belts) -> lane-view x."""
        d = self.direction
        return {"left_to_right": v, "right_to_left": self.w - v, "top_to_bottom": v, "bottom_to_top": self.h - v}[d]

    def to_frame(self, box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
        """A lane-view box (x0, y0, x1, y1), x1/y1 exclusive -> the same box in frame pixels."""
        x0, y0, x1, y1 = box
        d = self.direction
        if d == "right_to_left":
            x0, x1 = self.w - x1, self.w - x0
        elif d == "top_to_bottom":
            x0, y0, x1, y1 = y0, x0, y1, x1
        elif d == "bottom_to_top":
            x0, y0, x1, y1 = y0, self.h - x1, y1, self.h - x0
        return int(x0), int(y0), int(x1), int(y1)

    def frame_point(self, x: float) -> tuple[float | None, float | None]:
        """Lane-view x as a frame point with the cross-motion coordinate left open (None)."""
        d = self.direction
        v = {"left_to_right": x, "right_to_left": self.w - x, "top_to_bottom": x, "bottom_to_top": self.h - x}[d]
        return (v, None) if d in ("left_to_right", "right_to_left") else (None, v)


@dataclass
class Blob:
    box: tuple[int, int, int, int]  # lane view, x1/y1 exclusive
    frame_box: tuple[int, int, int, int]  # frame pixels
    area: int
    partial: bool  # touching the lane's entry or exit edge: cut off, so its centre is not the item's

    @property
    def cx(self) -> float:
        return (self.box[0] + self.box[2]) / 2.0

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2.0


def crop(image: np.ndarray, box: tuple[int, int, int, int], pad: float = CROP_PAD) -> np.ndarray:
    """A square crop centred on the box, `pad` larger on every side, clipped to the frame."""
    x0, y0, x1, y1 = box
    side = max(x1 - x0, y1 - y0) * (1 + 2 * pad)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    h, w = image.shape[:2]
    a0, b0 = int(max(0, round(cx - side / 2))), int(max(0, round(cy - side / 2)))
    a1, b1 = int(min(w, round(cx + side / 2))), int(min(h, round(cy + side / 2)))
    return image[b0:b1, a0:a1]


@dataclass
class ItemTrack:
    """One item as the sorter sees it: where to classify it this frame, when it crossed the camera line."""

    id: int
    first_seen: float
    last_seen: float
    blob: Blob | None = None  # where it is in the current frame (None: not seen in this frame)
    decided: bool = False
    votes: Votes = field(default_factory=Votes)  # one per frame it was classified in

    @property
    def frames(self) -> int:
        """Frames it was seen in."""
        raise NotImplementedError

    @property
    def speed(self) -> float | None:
        """Its image speed (px/s), when known."""
        raise NotImplementedError

    def crossed(self, x: float) -> bool:
        """Whether its centre has crossed lane-view x (the camera line)."""
        raise NotImplementedError

    def cross_time(self, x: float, speed: float | None = None) -> float | None:
        """When its centre crossed (or will cross) lane-view x: the reference time of its command."""
        raise NotImplementedError

    @property
    def vote_span(self) -> tuple[float, float] | None:
        """The frame times whose votes decide it (None: all of them)."""
        return None

    @property
    def anchor(self) -> tuple[float | None, float | None] | None:
        """The frame point that lies on the item this frame (None: unseen; a None coordinate: anywhere)."""
        if self.blob is None:
            return None
        x0, y0, x1, y1 = self.blob.frame_box
        return (x0 + x1) / 2, (y0 + y1) / 2

    def crop(self, image: np.ndarray) -> np.ndarray:
        """What the model classifies in this frame."""
        return crop(image, self.blob.frame_box)

    def record(self) -> dict:
        """Fields this kind of track adds to the item's audit record."""
        return {}


class ItemTracker(Protocol):
    """`update(frame, t)` -> (tracks seen or waiting, tracks that ended); `flush()` ends them all."""

    view: LaneView
    camera_x: float  # the camera line in lane-view x
    window: Blob | None  # a fixed classification window (photo-eye), or None: each item's own box

    def update(self, frame: np.ndarray, t: float) -> tuple[list[ItemTrack], list[ItemTrack]]: ...

    def flush(self) -> list[ItemTrack]: ...

    @property
    def speed(self) -> float | None: ...  # the belt's, known or measured

    def feed_truth(self, truth: list, t: float, truth_t: float | None = None) -> None: ...  # simulated sensors

    def stats(self) -> dict: ...  # counters for the summary

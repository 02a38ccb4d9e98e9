"""One captured frame and what the source knows about it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np


class TrueItem(Protocol):
    """One true item of a simulated sorting line (scenes/conveyor.py's ConveyorItem): what it is, how fast it
    moves and when its centre crosses a line; camera/sorting/score.py scores decisions against it."""

    @property
    def id(self) -> int: ...
    @property
    def fruit(self) -> str: ...
    @property
    def rotten(self) -> bool: ...
    @property
    def speed(self) -> float: ...
    def time_at_x(self, x: float) -> float: ...


class ItemInView(Protocol):
    """A true item in view in one frame (scenes/conveyor.py's TruthItem): its identity and its box in the frame
    (x0, y0, x1, y1; x1/y1 exclusive)."""

    @property
    def id(self) -> int: ...
    @property
    def bbox(self) -> tuple[int, int, int, int]: ...
    @property
    def item(self) -> TrueItem: ...


# What a source knows about a frame: the class mask (synth://kitchen) or the items in view (synth://conveyor).
GroundTruth = np.ndarray | list[ItemInView]


@dataclass
class Frame:
    """A BGR uint8 image with its place in the stream.

    index counts every frame the source produced (dropped ones included, so gaps show drops);
    timestamp is wall-clock seconds at capture, t0 the perf_counter at capture (for latency);
    truth is what the source knows of it (GroundTruth: a class mask from synth://kitchen, the items in view from
    synth://conveyor), else None.
    """

    image: np.ndarray
    index: int
    timestamp: float = field(default_factory=time.time)
    t0: float = field(default_factory=time.perf_counter)
    truth: GroundTruth | None = None

    @property
    def shape(self) -> tuple[int, int]:
        """(H, W) of the image."""
        return int(self.image.shape[0]), int(self.image.shape[1])

"""One captured frame and what the source knows about it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Frame:
    """A BGR uint8 image with its place in the stream.

    index counts every frame the source produced (dropped ones included, so gaps show drops);
    timestamp is wall-clock seconds at capture, t0 the perf_counter at capture (for latency);
    truth is the ground-truth class mask when the source knows it (synth://).
    """

    image: np.ndarray
    index: int
    timestamp: float = field(default_factory=time.time)
    t0: float = field(default_factory=time.perf_counter)
    truth: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, int]:
        """(H, W) of the image."""
        return int(self.image.shape[0]), int(self.image.shape[1])

"""A class mask coloured and blended over its frame at the frame's size, without a full-size label map.

The picture is that of cv2.resize INTER_NEAREST of the coloured mask to the frame, blended with cv2.addWeighted,
made in steps that each touch as little memory as they can:

1. the mask is coloured at its own resolution (a uint8 lookup table);
2. the coloured mask is widened to the frame's width at the mask's own height (one cv2.resize INTER_NEAREST);
3. its rows are repeated to the frame's height as cv2.resize INTER_NEAREST picks them (`nearest_rows`: a copy per
   row), which from a 320x240 mask to 1080p takes less than half the CPU of one three-channel resize;
4. one cv2.addWeighted of the frame and that colour layer.

The buffers of steps 1-3 are kept per (mask size, frame size) and reused every frame; a lock keeps them to one
drawing at a time (the app's request threads share one visualizer).
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field

import cv2
import numpy as np

MAX_PLANS = 4  # a camera keeps one size: buffers for sizes long gone are dropped


@functools.lru_cache(maxsize=32)
def nearest_rows(src_h: int, dst_h: int) -> np.ndarray:
    """The source row of each of `dst_h` rows as cv2.resize INTER_NEAREST picks it (asked of OpenCV itself, so the
    two-step upsampling draws its picture exactly)."""
    index = np.repeat(np.arange(src_h, dtype=np.uint16)[:, None], 2, axis=1)
    return cv2.resize(index, (2, dst_h), interpolation=cv2.INTER_NEAREST)[:, 0].astype(np.intp)


@dataclass
class _Plan:
    """Row map and buffers for one (mask size, frame size)."""

    rows: np.ndarray
    gray: np.ndarray  # (mh, mw, 3) the mask's class index in every channel
    small: np.ndarray  # (mh, mw, 3) coloured at the mask's resolution
    across: np.ndarray  # (mh, w, 3) widened to the frame's width
    full: np.ndarray | None = field(default=None)  # (h, w, 3) the colour layer, made when first needed


class MaskPainter:
    """Colours class masks with a (256, 1, 3) BGR lookup table and blends them over frames."""

    def __init__(self, lut: np.ndarray) -> None:
        self.lut = lut
        self._lock = threading.Lock()
        self._plans: dict[tuple[tuple[int, ...], tuple[int, ...]], _Plan] = {}

    def colour(self, mask: np.ndarray, frame_shape: tuple[int, int]) -> np.ndarray:
        """The colour-coded mask at the frame's resolution (a new array)."""
        with self._lock:
            plan = self._across(mask, frame_shape)
            return plan.across.copy() if len(plan.rows) == len(plan.across) else plan.across[plan.rows]

    def blend(self, image: np.ndarray, mask: np.ndarray, alpha: float, dst: np.ndarray) -> np.ndarray:
        """dst = image * (1 - alpha) + colour(mask) * alpha, as cv2.addWeighted rounds it; returns dst."""
        with self._lock:
            plan = self._across(mask, image.shape[:2])
            colour = plan.across
            if len(plan.rows) != len(colour):
                if plan.full is None:
                    plan.full = np.empty((len(plan.rows), *colour.shape[1:]), np.uint8)
                colour = np.take(colour, plan.rows, axis=0, out=plan.full, mode="clip")  # "clip": unbuffered
            got = cv2.addWeighted(image, 1.0 - alpha, colour, alpha, 0.0, dst=dst)
        if not np.may_share_memory(got, dst):  # OpenCV could not write into this view: copy its answer over
            dst[...] = got
        return dst

    def _across(self, mask: np.ndarray, frame_shape: tuple[int, ...]) -> _Plan:
        """Colour `mask` and widen it to the frame's width, into the reused buffers of its plan."""
        mask = np.ascontiguousarray(mask, dtype=np.uint8)
        plan = self._plan(mask.shape[:2], tuple(frame_shape[:2]))
        cv2.cvtColor(mask, cv2.COLOR_GRAY2BGR, dst=plan.gray)
        cv2.LUT(plan.gray, self.lut, dst=plan.small)
        if plan.across.shape == plan.small.shape:
            plan.across[...] = plan.small
        else:
            cv2.resize(plan.small, plan.across.shape[1::-1], dst=plan.across, interpolation=cv2.INTER_NEAREST)
        return plan

    def _plan(self, mask_shape: tuple[int, ...], frame_shape: tuple[int, ...]) -> _Plan:
        plan = self._plans.get((mask_shape, frame_shape))
        if plan is None:
            (mh, mw), (h, w) = mask_shape, frame_shape
            if len(self._plans) >= MAX_PLANS:
                self._plans.clear()
            plan = self._plans[(mask_shape, frame_shape)] = _Plan(
                nearest_rows(mh, h), np.empty((mh, mw, 3), np.uint8), np.empty((mh, mw, 3), np.uint8),
                np.empty((mh, w, 3), np.uint8))
        return plan

"""Run-time checks that what the sorter sees agrees with line.yaml: one warning each, naming the key to look at.

    watch = LineWatch(line)
    watch.frame(t, image, new_items, blobs)   # per frame: items started, items seen (with a blob) this frame

- far more items than blobs: a track that is not followed from frame to frame (a wrong belt.speed_px_s, a lane
  drawn across the motion) starts a new item, and an ejector command, on every frame;
- no items for QUIET_S seconds while the view inside the lane keeps changing: detection misses what passes
  (detection.min_area_px or threshold too high, the lane in the wrong place).
"""

from __future__ import annotations

import logging

import cv2
import numpy as np

log = logging.getLogger("foodcam.sorting")

MIN_BLOBS = 60  # blob sightings before the items-per-blob ratio means anything
NEW_SHARE = 0.5  # more than this share of sightings starting a new item: the tracker does not follow them
QUIET_S = 30.0  # seconds without an item while the view changes
CHANGE = 8.0  # mean absolute grey-level change between looks (of 255) that counts as "the view changes"


class LineWatch:
    def __init__(self, line) -> None:
        self.line = line
        self.blobs = self.new = 0
        self.warned: set[str] = set()
        self.last_item_t: float | None = None
        self.changes = 0
        self._prev: np.ndarray | None = None
        self._prev_t: float | None = None

    def frame(self, t: float, image: np.ndarray, new_items: int, blobs: int) -> None:
        self.blobs += blobs
        self.new += new_items
        if self.last_item_t is None or new_items:
            self.last_item_t, self.changes = t, 0
        if "items" not in self.warned and self.blobs >= MIN_BLOBS and self.new > NEW_SHARE * self.blobs:
            self.warned.add("items")
            speed = self.line.belt.speed_px_s
            log.warning("line %s: %d items started from %d sightings: items are not followed from frame to frame; "
                        "check belt.speed_px_s (%s) and direction (%s) in %s", self.line.name, self.new, self.blobs,
                        "measured" if speed is None else f"{speed:g} px/s", self.line.direction, self.line.source)
        self._look(t, image)

    def _look(self, t: float, image: np.ndarray) -> None:
        if "quiet" in self.warned or (self._prev_t is not None and t - self._prev_t < 1.0):
            return
        small = cv2.resize(image, (64, 48), interpolation=cv2.INTER_AREA).astype(np.int16)
        if self._prev is not None and float(np.abs(small - self._prev).mean()) > CHANGE:
            self.changes += 1
        self._prev, self._prev_t = small, t
        if self.last_item_t is not None and t - self.last_item_t > QUIET_S and self.changes >= 3:
            self.warned.add("quiet")
            det = self.line.detection
            log.warning("line %s: no item for %.0f s while the view keeps changing; check the lane and detection "
                        "(%s) in %s", self.line.name, t - self.last_item_t,
                        ", ".join(f"{k}={v}" for k, v in det.model_dump().items() if k != "trigger"), self.line.source)

"""Foods on the plate, from a foodseg model's mask (and its ingredient-list head when it has one).

Per frame: the area share of every food in the frame (background left out). A food counts as present
once it covers at least `presence_share` of the frame on `on_frames` frames in a row, and as gone after
`off_frames` frames without it (debounced, so a flickering sliver does not raise events). Whenever the
debounced set changes, a "foods_present" event lists the foods now present with their area shares and
what was added and removed. The ingredient head's decisions (classes over its threshold) ride along in
the state as "labels".
"""

from __future__ import annotations

import numpy as np

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec

BACKGROUND = "background"


class FoodAnalytics:
    def __init__(self, task: TaskSpec, presence_share: float = 0.005, on_frames: int = 3, off_frames: int = 3) -> None:
        if not self.supports(task):
            raise FoodcamError(f"task {task.name!r}: food analytics need a mask head whose class 0 is background")
        self.task = task
        self.names = task.seg_head.classes
        self.presence_share, self.on_frames, self.off_frames = presence_share, on_frames, off_frames
        self.present: set[str] = set()
        self._streak: dict[str, int] = {}
        self.state: dict = {}

    @staticmethod
    def supports(task: TaskSpec) -> bool:
        return task.has_segmentation and task.seg_head.classes[:1] == (BACKGROUND,)

    def update(self, mask: np.ndarray, frame: int, timestamp: float,
               probs: dict[str, np.ndarray] | None = None) -> tuple[dict, list[dict]]:
        n = len(self.names)
        shares = np.bincount(mask.ravel(), minlength=n)[:n] / max(1, mask.size)
        seen = {self.names[i] for i in range(1, n) if shares[i] >= self.presence_share}
        changed = False
        for name in seen | self.present | set(self._streak):
            disagrees = (name in seen) != (name in self.present)
            self._streak[name] = self._streak.get(name, 0) + 1 if disagrees else 0
            if disagrees and self._streak[name] >= (self.on_frames if name in seen else self.off_frames):
                (self.present.add if name in seen else self.present.discard)(name)
                self._streak[name] = 0
                changed = True
            if not self._streak.get(name) and name not in self.present:
                self._streak.pop(name, None)
        foods = {self.names[i]: round(float(shares[i]), 4) for i in np.argsort(-shares) if i > 0 and shares[i] > 0}
        labels = {}
        for h in self.task.image_heads:
            if probs is not None and h.name in probs:
                p = np.asarray(probs[h.name])
                t = h.decision_threshold if h.kind == "multilabel" else float(p.max())
                labels[h.name] = [h.classes[i] for i in np.argsort(-p) if p[i] >= t]
        events = []
        if changed:
            before = set(self.state.get("present", []))
            now = sorted(self.present, key=lambda c: -foods.get(c, 0.0))
            events.append({"event": "foods_present", "frame": frame, "time": round(timestamp, 3),
                           "foods": [{"name": c, "share": foods.get(c, 0.0)} for c in now],
                           "added": sorted(self.present - before), "removed": sorted(before - self.present)})
        self.state = {"frame": frame, "present": sorted(self.present, key=lambda c: -foods.get(c, 0.0)),
                      "shares": foods, "labels": labels}
        return self.state, events

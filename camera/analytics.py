"""Kitchen analytics from the class mask: class shares, food coverage of the pan, the stirrer, and events.

Per frame, smoothed over time with an exponential moving average:
- shares: fraction of the frame per class.
- coverage: food / (food + visible pan) inside the pan region. The "pan" class is pan *and* background,
  so the pan region is a prior: an ellipse (cx, cy, rx, ry) in fractions of the frame's width and height
  (default: centred, 0.4 x 0.4, as for a camera looking down into the pan; set it to the real pan). Stirrer pixels hide what is under them and count
  for neither side.
- stirrer: present (debounced: it must be seen, or missed, on `on_frames`/`off_frames` frames in a row
  before the state flips), centroid and bounding box in normalised coordinates.
Events: stirrer_appeared / stirrer_left when the debounced state flips; coverage_changed when the smoothed
coverage moves more than `coverage_step` away from the last reported value.
"""

from __future__ import annotations

import cv2
import numpy as np

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec

CLASSES = ("stirrer", "pan", "food")


class KitchenAnalytics:
    def __init__(self, task: TaskSpec, smoothing: float = 0.3, presence_share: float = 0.002, on_frames: int = 3,
                 off_frames: int = 3, coverage_step: float = 0.1,
                 pan_roi: tuple[float, float, float, float] = (0.5, 0.5, 0.4, 0.4)) -> None:
        if not self.supports(task):
            raise FoodcamError(f"task {task.name!r}: kitchen analytics need a mask head with classes {CLASSES}")
        classes = task.seg_head.classes
        self.names = classes
        self.idx = {c: classes.index(c) for c in CLASSES}
        self.smoothing, self.presence_share = smoothing, presence_share
        self.on_frames, self.off_frames, self.coverage_step = on_frames, off_frames, coverage_step
        self.pan_roi = pan_roi  # (cx, cy, rx, ry), fractions of width/height
        self.shares: dict[str, float] | None = None
        self.coverage: float | None = None
        self.present = False
        self._streak = 0  # consecutive frames disagreeing with `present`
        self._reported: float | None = None
        self._since: float | None = None
        self._roi: np.ndarray | None = None
        self.state: dict = {}

    @staticmethod
    def supports(task: TaskSpec) -> bool:
        return task.kind == "segmentation" and all(c in task.seg_head.classes for c in CLASSES)

    def update(self, mask: np.ndarray, frame: int, timestamp: float) -> tuple[dict, list[dict]]:
        """One class mask (any resolution) -> (the current state, events raised by this frame)."""
        events: list[dict] = []
        n = len(self.names)
        counts = np.bincount(mask.ravel(), minlength=n)[:n].astype(np.float64)
        raw_shares = counts / max(1, mask.size)
        self.shares = dict(zip(self.names, self._ema_vec(self.shares, raw_shares)))

        roi = self._roi_mask(mask.shape)
        food = int(np.count_nonzero((mask == self.idx["food"]) & roi))
        pan = int(np.count_nonzero((mask == self.idx["pan"]) & roi))
        if food + pan:
            raw_cov = food / (food + pan)
            self.coverage = raw_cov if self.coverage is None else self._ema(self.coverage, raw_cov)
        if self.coverage is not None:
            if self._reported is None:
                self._reported = self.coverage
            elif abs(self.coverage - self._reported) > self.coverage_step:
                events.append(self._event("coverage_changed", frame, timestamp,
                                          **{"from": round(self._reported, 4), "to": round(self.coverage, 4)}))
                self._reported = self.coverage

        stirrer = (mask == self.idx["stirrer"]).view(np.uint8)
        raw_share = float(raw_shares[self.idx["stirrer"]])
        seen = raw_share > self.presence_share
        centroid, bbox = _geometry(stirrer, mask.shape) if seen else (None, None)
        self._streak = self._streak + 1 if seen != self.present else 0
        if seen != self.present and self._streak >= (self.on_frames if seen else self.off_frames):
            self.present, self._streak = seen, 0
            if seen:
                self._since = timestamp
                events.append(self._event("stirrer_appeared", frame, timestamp, centroid=centroid, bbox=bbox))
            else:
                duration = None if self._since is None else round(timestamp - self._since, 3)
                events.append(self._event("stirrer_left", frame, timestamp, duration_s=duration))
        self.state = {
            "frame": frame,
            "shares": {k: round(v, 4) for k, v in self.shares.items()},
            "coverage": None if self.coverage is None else round(self.coverage, 4),
            "stirrer": {"present": self.present, "share": round(raw_share, 4), "centroid": centroid, "bbox": bbox},
        }
        return self.state, events

    def _ema(self, old: float, new: float) -> float:
        return (1.0 - self.smoothing) * old + self.smoothing * new

    def _ema_vec(self, old: dict | None, new: np.ndarray) -> list[float]:
        if old is None:
            return [float(v) for v in new]
        return [self._ema(o, float(v)) for o, v in zip(old.values(), new)]

    def _roi_mask(self, shape: tuple[int, int]) -> np.ndarray:
        if self._roi is None or self._roi.shape != shape:
            h, w = shape
            cx, cy, rx, ry = self.pan_roi
            roi = np.zeros((h, w), np.uint8)
            cv2.ellipse(roi, (round(cx * w), round(cy * h)), (max(1, round(rx * w)), max(1, round(ry * h))),
                        0, 0, 360, 1, -1)
            self._roi = roi.astype(bool)
        return self._roi

    @staticmethod
    def _event(name: str, frame: int, timestamp: float, **fields) -> dict:
        return {"event": name, "frame": frame, "time": round(timestamp, 3), **fields}


def _geometry(binary: np.ndarray, shape: tuple[int, int]) -> tuple[list[float], list[float]]:
    """Centroid (x, y) and bounding box (x0, y0, x1, y1) of the non-zero pixels, as fractions of the frame."""
    h, w = shape
    m = cv2.moments(binary, binaryImage=True)
    cx, cy = m["m10"] / m["m00"], m["m01"] / m["m00"]
    x, y, bw, bh = cv2.boundingRect(binary)
    return [round(cx / w, 4), round(cy / h, 4)], [round(x / w, 4), round(y / h, 4), round((x + bw) / w, 4),
                                                  round((y + bh) / h, 4)]

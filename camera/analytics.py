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
        mask = np.asarray(mask)
        per_class = _class_pixels(mask, n)  # (class -> bool image) for the few classes of a kitchen head
        counts = _counts(mask, n, per_class).astype(np.float64)
        raw_shares = counts / max(1, mask.size)
        self.shares = dict(zip(self.names, self._ema_vec(self.shares, raw_shares)))

        roi = self._roi_mask(mask.shape)
        food = int(np.count_nonzero(self._is(mask, per_class, "food") & roi))
        pan = int(np.count_nonzero(self._is(mask, per_class, "pan") & roi))
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

        raw_share = float(raw_shares[self.idx["stirrer"]])
        seen = raw_share > self.presence_share
        stirrer = self._is(mask, per_class, "stirrer").view(np.uint8) if seen else None
        centroid, bbox = _geometry(stirrer, mask.shape) if stirrer is not None else (None, None)
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

    def _is(self, mask: np.ndarray, per_class: list[np.ndarray] | None, name: str) -> np.ndarray:
        k = self.idx[name]
        return per_class[k] if per_class is not None else mask == k

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


MAX_PER_CLASS = 8  # heads with more classes count them with one bincount instead of one comparison each


def _class_pixels(mask: np.ndarray, n: int) -> list[np.ndarray] | None:
    """`mask == k` for every class k (reused for the counts, the pan region and the stirrer), or None when the
    head has too many classes for that to pay."""
    return [mask == k for k in range(n)] if n <= MAX_PER_CLASS else None


def _counts(mask: np.ndarray, n: int, per_class: list[np.ndarray] | None) -> np.ndarray:
    """Pixels of each class 0..n-1 (other values are not counted)."""
    if per_class is not None:
        return np.array([np.count_nonzero(m) for m in per_class], np.int64)
    return np.bincount(mask.ravel(), minlength=n)[:n]


def _geometry(binary: np.ndarray, shape: tuple[int, int]) -> tuple[list[float], list[float]]:
    """Centroid (x, y) and bounding box (x0, y0, x1, y1) of the non-zero pixels of a 0/1 image, as fractions of
    the frame: from its row and column sums (exact integers, so the values of cv2.moments and cv2.boundingRect)."""
    h, w = shape
    rows = cv2.reduce(binary, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel().astype(np.int64)
    cols = cv2.reduce(binary, 0, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel().astype(np.int64)
    m00 = int(rows.sum())
    cx, cy = int(cols @ np.arange(w)) / m00, int(rows @ np.arange(h)) / m00
    ys, xs = np.flatnonzero(rows), np.flatnonzero(cols)
    x0, y0, x1, y1 = int(xs[0]), int(ys[0]), int(xs[-1]) + 1, int(ys[-1]) + 1
    return [round(cx / w, 4), round(cy / h, 4)], [round(x0 / w, 4), round(y0 / h, 4), round(x1 / w, 4),
                                                  round(y1 / h, 4)]

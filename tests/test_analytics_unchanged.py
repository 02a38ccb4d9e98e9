"""Kitchen analytics count with one comparison per class and take the stirrer's geometry from row and column sums:
every state and event equals that of the straightforward counting (bincount, a comparison per use, cv2.moments and
cv2.boundingRect), kept here as the reference, on live kitchen masks, odd sizes, empty and full masks."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from foodcam.camera.analytics import KitchenAnalytics, _geometry
from foodcam.runtime.tasks import KITCHEN, Head, TaskSpec
from foodcam.scenes import KitchenFeed

STIRRER, PAN, FOOD = (KITCHEN.seg_head.classes.index(c) for c in ("stirrer", "pan", "food"))
# a kitchen head with more classes than are counted one comparison each: the bincount path
WIDE = TaskSpec(name="kitchen-wide", heads=(Head(name="mask", kind="segmentation",
                                                 classes=("stirrer", "pan", "food", *(f"c{i}" for i in range(9)))),),
                input_size=(64, 64))


class ReferenceAnalytics(KitchenAnalytics):
    """The straightforward update: bincount shares, a comparison per use, cv2.moments + cv2.boundingRect."""

    def update(self, mask, frame, timestamp):
        events = []
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
        centroid, bbox = reference_geometry(stirrer, mask.shape) if seen else (None, None)
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


def reference_geometry(binary, shape):
    h, w = shape
    m = cv2.moments(binary, binaryImage=True)
    cx, cy = m["m10"] / m["m00"], m["m01"] / m["m00"]
    x, y, bw, bh = cv2.boundingRect(binary)
    return [round(cx / w, 4), round(cy / h, 4)], [round(x / w, 4), round(y / h, 4), round((x + bw) / w, 4),
                                                  round((y + bh) / h, 4)]


def both_agree(task, masks, **options):
    new, ref = KitchenAnalytics(task, **options), ReferenceAnalytics(task, **options)
    n_events = 0
    for i, mask in enumerate(masks):
        got, want = new.update(mask, i, i / 15), ref.update(mask, i, i / 15)
        assert got == want, i
        n_events += len(got[1])
    return n_events


def test_live_kitchen_masks_give_the_same_states_and_events():
    feed = KitchenFeed(size=(320, 240), seed=2, prefetch=False)
    masks = [feed.next()[1] for _ in range(160)]  # the stirrer leaves and comes back (test_camera_analytics)
    assert both_agree(KITCHEN, masks, on_frames=3, off_frames=3) >= 2
    assert both_agree(KITCHEN, masks, smoothing=1.0, coverage_step=0.01) >= 2


@pytest.mark.parametrize("shape", [(240, 320), (37, 53), (1, 7), (7, 1), (255, 256)])
def test_random_and_uniform_masks_give_the_same_states(shape):
    rng = np.random.default_rng(shape[0] * 1000 + shape[1])
    coarse = [cv2.resize(rng.integers(0, 3, (4, 5), dtype=np.uint8), shape[::-1], interpolation=cv2.INTER_NEAREST)
              for _ in range(12)]
    uniform = [np.full(shape, k, np.uint8) for k in (PAN, FOOD, STIRRER, PAN)]  # no foreground; all foreground
    specks = [(rng.random(shape) < 0.01).astype(np.uint8) * STIRRER + PAN * (rng.random(shape) < 0.99)
              for _ in range(4)]
    both_agree(KITCHEN, coarse + uniform + specks + coarse[::-1], on_frames=1, off_frames=1, smoothing=0.7)


def test_many_classes_and_other_dtypes_give_the_same_states():
    rng = np.random.default_rng(5)
    masks = [rng.integers(0, 12, (48, 64)).astype(np.uint8) for _ in range(6)]
    both_agree(WIDE, masks, on_frames=1)
    both_agree(KITCHEN, [m.astype(np.int64) % 3 for m in masks], on_frames=1)
    both_agree(KITCHEN, [np.asfortranarray(m % 3) for m in masks], on_frames=1)  # a non-contiguous layout


def test_geometry_equals_moments_and_bounding_rect():
    rng = np.random.default_rng(0)
    for shape in ((240, 320), (13, 17), (1, 9), (9, 1)):
        for density in (0.001, 0.05, 0.5, 1.0):
            binary = (rng.random(shape) < density).astype(np.uint8)
            binary[rng.integers(0, shape[0]), rng.integers(0, shape[1])] = 1  # never empty
            assert _geometry(binary, shape) == reference_geometry(binary, shape)

"""Items on the belt: foreground against the belt, blobs in the lane, tracks across frames.

Everything is computed in a *lane view* of the frame, turned so the belt moves along +x (left to right);
bounding boxes are mapped back to frame pixels for cropping and overlays.

Foreground (method "belt"): a belt scrolls, so a static background model sees its texture move; but along
any row (across the motion) the belt looks the same at every x. Each row keeps a running colour mean and
spread, learnt from the pixels that were belt in the previous frames. Pixels farther than `threshold`
spreads from their row's belt colour seed items; pixels farther than half that grow them (hysteresis:
dark stems and rotten patches stay attached to the fruit). Thin seams and marks are removed by openings,
holes filled, and connected components of at least `min_area_px` inside the lane are items. Method "mog2" uses OpenCV's Gaussian
mixture subtractor instead (for a plain, untextured belt or a fixed tray).

Tracks: a blob is matched to the track whose box, moved on by the track's speed, overlaps it best;
unmatched blobs start tracks, tracks unseen for `max_missed` frames (or gone past the exit) end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from foodcam.camera.sorting.items import Blob, ItemTrack, LaneView
from foodcam.camera.sorting.line import LineConfig

__all__ = ["BeltModel", "Blob", "LaneView", "Track", "Tracker"]

LEARN_RATE = 0.1  # running belt-colour update per frame
MIN_SIGMA = 3.0  # floor of a row's colour spread (8-bit units)
SAMPLE_STEP = 3  # belt statistics are learnt from every third column


@dataclass
class Track(ItemTrack):
    """A blob followed across frames."""

    obs: list[tuple[float, float, float, bool]] = field(default_factory=list)  # (t, cx, cy, whole)
    box: tuple[int, int, int, int] = (0, 0, 0, 0)  # last lane-view box
    missed: int = 0
    at_exit: bool = False  # its box has reached the lane's exit edge

    @property
    def frames(self) -> int:
        return len(self.obs)

    def fit(self) -> tuple[float, float, float] | None:
        """(t_mean, x_mean, speed px/s) of a least-squares line through the whole-item observations."""
        pts = [(t, x) for t, x, _, whole in self.obs if whole]
        if len(pts) < 2:
            pts = [(t, x) for t, x, _, _ in self.obs]
        if len(pts) < 2:
            return None
        t, x = np.asarray(pts, np.float64).T
        tm, xm = t.mean(), x.mean()
        var = ((t - tm) ** 2).sum()
        if var <= 0:
            return None
        return float(tm), float(xm), float(((t - tm) * (x - xm)).sum() / var)

    @property
    def speed(self) -> float | None:
        f = self.fit()
        return f[2] if f else None

    def cross_time(self, x: float, speed: float | None = None) -> float | None:
        """When its centre crossed (or will cross) lane-view x; `speed` replaces the fitted one when known."""
        f = self.fit()
        if f is None:
            if not self.obs or not speed:
                return None
            t0, x0 = self.obs[-1][0], self.obs[-1][1]
            return t0 + (x - x0) / speed
        tm, xm, v = f
        v = speed or v
        if v <= 1e-6:
            return None
        return tm + (x - xm) / v

    def crossed(self, x: float) -> bool:
        return any(cx >= x for _, cx, _, whole in self.obs if whole)


class BeltModel:
    """Running per-row belt colour (mean, spread) in the lane view; `foreground(img)` -> 0/255 mask."""

    def __init__(self, lane: np.ndarray, threshold: float) -> None:
        self.lane = lane > 0
        self.k = float(threshold)
        self.mean: np.ndarray | None = None  # (H, 3)
        self.sigma: np.ndarray | None = None  # (H,)

    def distance(self, img: np.ndarray) -> np.ndarray:
        """Colour distance of every pixel from its row's belt colour, in units of the row's spread."""
        f = img.astype(np.float32)
        if self.mean is None:
            self._start(f)
        diff = f - self.mean[:, None, :]
        return np.sqrt(np.einsum("hwc,hwc->hw", diff, diff)) / self.sigma[:, None]

    def update(self, img: np.ndarray, fg: np.ndarray) -> None:
        """Learn from the lane pixels away from anything unlike the belt (masked row means and RMS spreads)."""
        grown = cv2.dilate(fg, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (15, 15)))
        step = SAMPLE_STEP  # every few columns is plenty for a row's statistics
        use = (self.lane[:, ::step] & (grown[:, ::step] == 0)).astype(np.float32)
        n = use.sum(1)
        ok = n >= 8
        if not ok.any():
            return
        f = img[:, ::step].astype(np.float32)
        m = np.einsum("hwc,hw->hc", f, use) / np.maximum(n, 1)[:, None]
        diff = f - m[:, None, :]
        d2 = np.einsum("hwc,hwc,hw->h", diff, diff, use) / np.maximum(n, 1)
        s = np.maximum(np.sqrt(d2), MIN_SIGMA)
        self.mean[ok] += LEARN_RATE * (m[ok] - self.mean[ok])
        self.sigma[ok] += LEARN_RATE * (s[ok] - self.sigma[ok])

    def _start(self, f: np.ndarray) -> None:
        """First frame: per-row median colour and a robust spread (items may already be in view)."""
        h = f.shape[0]
        self.mean = np.zeros((h, 3), np.float32)
        self.sigma = np.full(h, 8.0, np.float32)
        for y in np.nonzero(self.lane.sum(1) >= 8)[0]:
            px = f[y][self.lane[y]]
            m = np.median(px, axis=0)
            self.mean[y] = m
            # median distance of 3-channel Gaussian noise is ~0.89 of its RMS
            self.sigma[y] = max(MIN_SIGMA, 1.13 * float(np.median(np.linalg.norm(px - m, axis=1))))


class Tracker:
    """`update(frame, t)` -> (tracks seen or coasting, tracks that ended this frame)."""

    def __init__(self, line: LineConfig, shape: tuple[int, int]) -> None:
        self.line = line
        self.view = LaneView(line.direction, shape)
        self.lane = self.view(line.lane_mask(shape))
        cols = np.nonzero(self.lane.any(0))[0]
        self.x_min, self.x_max = int(cols.min()), int(cols.max()) + 1  # lane extent along the motion
        self.camera_x = (self.view.along(line.camera_line) if line.camera_line is not None
                         else (self.x_min + self.x_max) / 2.0)
        self.window = None  # every item is classified on its own box
        det = line.detection
        self.min_area, self.max_missed = det.min_area_px, det.max_missed
        if det.method == "mog2":
            self.mog = cv2.createBackgroundSubtractorMOG2(history=300, varThreshold=25, detectShadows=False)
            self.belt = None
        else:
            self.mog, self.belt = None, BeltModel(self.lane, det.threshold)
        self.tracks: list[Track] = []
        self.next_id = 0
        self.speed_hint = line.speed_px_s  # known belt speed, else a running median of measured ones
        self._speeds: list[float] = []
        self._k_open = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7))
        self._k_close = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
        self._k_seam = np.ones((1, 5), np.uint8)

    # --- detection -------------------------------------------------------------------------------------
    def detect(self, frame: np.ndarray) -> list[Blob]:
        img = self.view(frame)
        if self.belt is not None:
            d = self.belt.distance(img)
            strong = ((d > self.belt.k) & self.belt.lane).astype(np.uint8)
            weak = ((d > 0.5 * self.belt.k) & self.belt.lane).astype(np.uint8)
            strong = cv2.morphologyEx(strong, cv2.MORPH_OPEN, self._k_open)
            weak = cv2.morphologyEx(weak, cv2.MORPH_OPEN, self._k_seam)  # seams cross the belt: thin in x
            n, labels = cv2.connectedComponents(weak | strong, connectivity=8)
            keep = np.zeros(n, np.uint8)
            keep[np.unique(labels[strong > 0])] = 255
            keep[0] = 0
            fg = keep[labels]
        else:
            fg = cv2.morphologyEx(self.mog.apply(img) & self.lane, cv2.MORPH_OPEN, self._k_open)
        fg = cv2.morphologyEx(fg, cv2.MORPH_CLOSE, self._k_close)
        contours, _ = cv2.findContours(fg, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        filled = np.zeros_like(fg)
        cv2.drawContours(filled, contours, -1, 255, cv2.FILLED)  # rotten spots make holes: fill them
        if self.belt is not None:
            self.belt.update(img, filled | (weak * 255))
        n, _, stats, _ = cv2.connectedComponentsWithStats(filled, connectivity=8)
        blobs = []
        for i in range(1, n):
            x, y, w, h, area = (int(v) for v in stats[i])
            if area < self.min_area:
                continue
            box = (x, y, x + w, y + h)
            partial = x <= self.x_min + 1 or x + w >= self.x_max - 1
            blobs.append(Blob(box=box, frame_box=self.view.to_frame(box), area=area, partial=partial))
        return blobs

    # --- tracking --------------------------------------------------------------------------------------
    def update(self, frame: np.ndarray, t: float) -> tuple[list[Track], list[Track]]:
        blobs = self.detect(frame)
        for tr in self.tracks:
            tr.blob = None
        pairs = []
        for ti, tr in enumerate(self.tracks):
            pred = self._predict(tr, t)
            for bi, b in enumerate(blobs):
                score = _overlap(pred, b.box)
                if score > 0.2:
                    pairs.append((score, ti, bi))
        used_t, used_b = set(), set()
        for _, ti, bi in sorted(pairs, reverse=True):
            if ti in used_t or bi in used_b:
                continue
            used_t.add(ti)
            used_b.add(bi)
            self._observe(self.tracks[ti], blobs[bi], t)
        for bi, b in enumerate(blobs):
            if bi not in used_b:
                tr = Track(id=self.next_id, first_seen=t, last_seen=t)
                self.next_id += 1
                self.tracks.append(tr)
                self._observe(tr, b, t)
        ended, active = [], []
        for tr in self.tracks:
            if tr.blob is None:
                tr.missed += 1
                if tr.at_exit or tr.missed > self.max_missed:
                    ended.append(tr)
                    continue
            active.append(tr)
        self.tracks = active
        for tr in ended:
            v = tr.speed
            if v and v > 0 and tr.frames >= 3:
                self._speeds = (self._speeds + [v])[-15:]
        return active, ended

    def flush(self) -> list[Track]:
        """End every track (the stream is over)."""
        ended, self.tracks = self.tracks, []
        return ended

    def feed_truth(self, truth: list, t: float, truth_t: float | None = None) -> None:
        """Foreground needs no ground truth."""

    def stats(self) -> dict:
        return {}

    @property
    def speed(self) -> float | None:
        """Known belt speed, or the median measured over recent items."""
        if self.speed_hint:
            return self.speed_hint
        return float(np.median(self._speeds)) if self._speeds else None

    def _observe(self, tr: Track, b: Blob, t: float) -> None:
        tr.blob, tr.box, tr.missed, tr.last_seen = b, b.box, 0, t
        tr.obs.append((t, b.cx, b.cy, not b.partial))
        if b.box[2] >= self.x_max - 1 and tr.frames > 1:
            tr.at_exit = True

    def _predict(self, tr: Track, t: float) -> tuple[float, float, float, float]:
        v = tr.speed if tr.frames >= 3 else None
        v = v if v and v > 0 else self.speed
        dx = (v or 0.0) * (t - tr.last_seen)
        x0, y0, x1, y1 = tr.box
        return x0 + dx, y0, x1 + dx, y1


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """Intersection over the smaller box: robust to a box growing as an item enters the lane."""
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    area = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return float(iw * ih) / max(float(area), 1.0)

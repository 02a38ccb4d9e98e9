"""The plate scene: foods on a plate, in a bowl or on a tray, photographed from above at varying angles.

`PlateScene(size, seed, classes).render(i)` -> (BGR uint8, class mask): 0 is background (table and
tableware), k the k-th food of `scenes.ingredients.catalogue(classes)`; the mask is uint8 up to 254 foods and
uint16 beyond (the 498 classes of the AIcrowd recognition set do not fit a byte). Each image holds 1-6 foods that
touch and overlap (later ones lie on top), in varied sizes; the camera looks down at a random tilt,
rotation and distance; light comes from a random side with a colour cast. The same renderer writes the
FoodSeg103-layout and the COCO-layout training sets (`foodcam synth foodseg --format ...`).
"""

from __future__ import annotations

import cv2
import numpy as np

from foodcam.scenes.ingredients import Ingredient, catalogue, draw
from foodcam.scenes.texture import counter, jitter_colour, noise

MAX_BYTE_FOODS = 254  # ids 1..254 in an 8-bit mask: 0 is the background, 255 "ignore"
TABLEWARE = ("plate", "bowl", "tray")
# plate colours (BGR): white porcelain, cream, pale blue, slate, terracotta
PLATE_COLOURS = ((238, 240, 242), (205, 228, 238), (225, 205, 180), (70, 68, 66), (75, 110, 175))


class PlateScene:
    """Independent frames: every index is a new table, tableware, set of foods, light and camera."""

    def __init__(self, size: tuple[int, int] = (256, 256), seed: int = 0, classes: int = 24) -> None:
        self.size = (int(size[0]), int(size[1]))  # (W, H)
        self.seed = int(seed)
        self.foods: tuple[Ingredient, ...] = catalogue(int(classes))

    @property
    def mask_dtype(self) -> type:
        """uint8 while every class id fits below 255 (the ignore value), else uint16."""
        return np.uint8 if len(self.foods) <= MAX_BYTE_FOODS else np.uint16

    @property
    def class_names(self) -> list[str]:
        """Names by mask value: index 0 is the background."""
        return ["background", *(f.name for f in self.foods)]

    def render(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """(BGR uint8 (H, W, 3), class mask uint8 (H, W)); the same for the same (seed, index)."""
        rng = np.random.default_rng([self.seed, int(index), 11])
        w, h = self.size
        s = int(round(1.5 * max(w, h)))  # the top-down canvas the camera sees part of
        unit = s / 240
        img = counter(rng, (s, s), unit)
        mask: np.ndarray = np.zeros((s, s), self.mask_dtype)
        ware = TABLEWARE[int(rng.choice(3, p=[0.5, 0.3, 0.2]))]
        centre = (s / 2 + rng.uniform(-0.04, 0.04) * s, s / 2 + rng.uniform(-0.04, 0.04) * s)
        radius = s * rng.uniform(0.25, 0.33)
        area = _tableware(img, rng, ware, centre, radius, unit)
        n = int(rng.integers(1, 7))
        picks = rng.choice(len(self.foods), size=min(n, len(self.foods)), replace=False)
        picks = sorted(picks, key=lambda k: (self.foods[k].form != "pool" or rng.random() < 0.3, rng.random()))
        for k in picks:
            spot, r = _spot(rng, ware, centre, radius, area, len(picks))
            cover = np.zeros((s, s), bool)
            draw(img, cover, rng, self.foods[k], spot, r)
            mask[cover] = k + 1
        _light(img, rng, s)
        frame, mask = _camera(img, mask, rng, (w, h), s)
        return frame, mask

    def render_with_labels(self, index: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Like `render`, also naming the foods visible in the frame (those with pixels in the mask)."""
        frame, mask = self.render(index)
        present = np.flatnonzero(np.bincount(mask.ravel(), minlength=len(self.foods) + 1)[1:]) + 1
        return frame, mask, [self.class_names[i] for i in present]


def _tableware(img: np.ndarray, rng: np.random.Generator, ware: str, centre, radius: float,
               unit: float) -> tuple[float, float]:
    """Draw the plate / bowl / tray with its shadow; return the half-extent (x, y) foods are placed in."""
    s = img.shape[0]
    cx, cy = centre
    col = np.asarray(jitter_colour(rng, PLATE_COLOURS[int(rng.integers(len(PLATE_COLOURS)))], 10), np.float32)
    shadow = np.zeros((s, s), np.float32)
    off = (int(cx + 0.05 * radius), int(cy + 0.07 * radius))
    if ware == "tray":
        ax, ay = radius * rng.uniform(1.05, 1.3), radius * rng.uniform(0.75, 0.95)
        cv2.rectangle(shadow, (int(off[0] - ax), int(off[1] - ay)), (int(off[0] + ax), int(off[1] + ay)), 1.0, -1)
    else:
        cv2.circle(shadow, off, int(radius), 1.0, -1)
    shadow = cv2.GaussianBlur(shadow, (0, 0), 0.08 * radius)
    img *= (1 - 0.45 * shadow)[:, :, None]
    body = np.zeros((s, s), np.uint8)
    if ware == "tray":
        p0, p1 = (int(cx - ax), int(cy - ay)), (int(cx + ax), int(cy + ay))
        cv2.rectangle(body, p0, p1, 255, -1)
        inner = np.zeros_like(body)
        b = int(0.08 * radius)
        cv2.rectangle(inner, (p0[0] + b, p0[1] + b), (p1[0] - b, p1[1] - b), 255, -1)
        extent = (ax - b, ay - b)
    else:
        cv2.circle(body, (int(cx), int(cy)), int(radius), 255, -1, cv2.LINE_AA)
        inner = np.zeros_like(body)
        cv2.circle(inner, (int(cx), int(cy)), int(radius * (0.78 if ware == "plate" else 0.88)), 255, -1,
                   cv2.LINE_AA)
        extent = (radius * 0.8, radius * 0.8)
    yy, xx = np.mgrid[0:s, 0:s].astype(np.float32)
    d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / radius
    shade = 1.0 + 0.04 * noise(rng, (s, s), 30 * unit)
    if ware == "bowl":  # the inside wall: darker towards the rim on the lit side's opposite
        shade -= 0.35 * np.clip(d - 0.35, 0, 1) * (0.6 + 0.4 * np.sign((xx - cx) + (yy - cy)))
    ware_img = shade[:, :, None] * col
    rim = (body.astype(np.float32) - inner.astype(np.float32)).clip(0) / 255
    ware_img *= (1 + 0.08 * rim)[:, :, None]
    a = body.astype(np.float32)[:, :, None] / 255
    img *= 1 - a
    img += a * ware_img
    return extent


def _spot(rng: np.random.Generator, ware: str, centre, radius: float, extent: tuple[float, float],
          n: int) -> tuple[tuple[float, float], float]:
    """Where a food goes: a centre inside the tableware's food area and a size; crowded when n is large."""
    r = radius * rng.uniform(0.35, 0.6) * (1.7 / np.sqrt(n + 0.6))
    if ware == "tray":
        px, py = rng.uniform(-1, 1, 2) * (np.asarray(extent) - 0.5 * r).clip(1)
    else:
        rho = (extent[0] - 0.6 * r) * np.sqrt(rng.uniform(0, 1)) if extent[0] > 0.6 * r else 0.0
        a = rng.uniform(0, 2 * np.pi)
        px, py = rho * np.cos(a), rho * np.sin(a)
    return (centre[0] + px, centre[1] + py), float(max(r, 4.0))


def _light(img: np.ndarray, rng: np.random.Generator, s: int) -> None:
    """Directional light falloff, vignette and a warm or cool colour cast, in place."""
    yy, xx = np.mgrid[0:s, 0:s].astype(np.float32) / s - 0.5
    a = rng.uniform(0, 2 * np.pi)
    gain = rng.uniform(0.75, 1.2) * (1 + rng.uniform(0.1, 0.35) * (xx * np.cos(a) + yy * np.sin(a)) * 2)
    gain *= 1 - rng.uniform(0.0, 0.35) * (xx * xx + yy * yy) * 2
    cast = np.asarray([1 + rng.uniform(-0.12, 0.08), 1.0, 1 + rng.uniform(-0.08, 0.12)], np.float32)
    img *= gain[:, :, None] * cast[None, None, :]


def _camera(img: np.ndarray, mask: np.ndarray, rng: np.random.Generator, size: tuple[int, int],
            s: int) -> tuple[np.ndarray, np.ndarray]:
    """Look at the top-down canvas from a tilted, rotated, zoomed camera: warp both to the frame size."""
    w, h = size
    d = max(w, h) * rng.uniform(1.35, 1.9) / 2  # half side of the canvas square in the frame
    tilt = rng.uniform(0.65, 1.0)  # far edge shorter than the near edge: the camera looks obliquely
    sq = np.array([(-d * tilt, -d * tilt * 0.9), (d * tilt, -d * tilt * 0.9), (d, d), (-d, d)], np.float32)
    a = rng.uniform(0, 2 * np.pi)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]], np.float32)
    dst = sq @ rot.T + np.array([w / 2 + rng.uniform(-0.05, 0.05) * w, h / 2 + rng.uniform(-0.05, 0.05) * h],
                                np.float32)
    src = np.array([(0, 0), (s, 0), (s, s), (0, s)], np.float32)
    hm = cv2.getPerspectiveTransform(src, dst)
    frame = cv2.warpPerspective(np.clip(img, 0, 255).astype(np.uint8), hm, (w, h), flags=cv2.INTER_AREA,
                                borderMode=cv2.BORDER_REFLECT101)
    out_mask = cv2.warpPerspective(mask, hm, (w, h), flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT,
                                   borderValue=0)
    if rng.random() < 0.3:
        frame = cv2.GaussianBlur(frame, (0, 0), rng.uniform(0.4, 1.0))
    grain = rng.normal(0, rng.uniform(1.0, 4.0), frame.shape).astype(np.float32)
    frame = np.clip(frame.astype(np.float32) + grain, 0, 255).astype(np.uint8)
    return frame, out_mask


class PlateFeed:
    """A live plate sequence (the `synth://foodseg` source): each plate stays `HOLD` frames while the camera
    drifts a little over it, then the next plate comes. `next()` -> (BGR, class mask)."""

    HOLD = 45  # frames per plate (3 s at 15 fps)

    def __init__(self, size: tuple[int, int] = (320, 240), seed: int = 0, classes: int = 24) -> None:
        self.scene = PlateScene(size=size, seed=seed, classes=classes)
        self.index = 0
        self._plate: tuple[int, np.ndarray, np.ndarray] | None = None

    def frame(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        k = i // self.HOLD
        if self._plate is None or self._plate[0] != k:
            frame, mask = self.scene.render(k)
            self._plate = (k, frame, mask)
        _, frame, mask = self._plate
        t = (i % self.HOLD) / self.HOLD
        w, h = self.scene.size
        dx, dy = 0.03 * w * np.sin(2 * np.pi * t), 0.02 * h * np.sin(4 * np.pi * t)
        m = np.float32([[1, 0, dx], [0, 1, dy]])
        return (cv2.warpAffine(frame, m, (w, h), borderMode=cv2.BORDER_REFLECT101),
                cv2.warpAffine(mask, m, (w, h), flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT, borderValue=0))

    def next(self) -> tuple[np.ndarray, np.ndarray]:
        out = self.frame(self.index)
        self.index += 1
        return out

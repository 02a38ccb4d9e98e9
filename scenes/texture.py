"""Procedural texture helpers (numpy + OpenCV): smooth noise, scattered specks and grains, surfaces.

Every function takes a numpy Generator so a scene is reproducible from its seed. Images are float32
BGR in 0..255 unless said otherwise; sizes are (height, width).
"""

from __future__ import annotations

import cv2
import numpy as np


def noise(rng: np.random.Generator, shape: tuple[int, int], scale: float, octaves: int = 3,
          aspect: float = 1.0) -> np.ndarray:
    """Smooth fractal noise, float32 (H, W), roughly zero mean and unit spread.

    `scale` is the feature size in pixels of the coarsest octave; `aspect` > 1 stretches features along x.
    """
    h, w = shape
    out = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    for o in range(octaves):
        s = max(scale / (2**o), 1.0)
        gh = max(2, int(round(h / s)) + 2)
        gw = max(2, int(round(w / (s * aspect))) + 2)
        grid = rng.standard_normal((gh, gw)).astype(np.float32)
        out += amp * cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)
        total += amp * amp
        amp *= 0.5
    return out * np.float32(1.0 / np.sqrt(total))


def shade(base_bgr: tuple[float, float, float], value: np.ndarray) -> np.ndarray:
    """A colour modulated by a brightness map (H, W) -> float32 (H, W, 3)."""
    return value[:, :, None] * np.asarray(base_bgr, np.float32)[None, None, :]


def jitter_colour(rng: np.random.Generator, bgr: tuple[float, float, float], spread: float) -> tuple[float, ...]:
    """A colour moved a little in brightness and hue (spread in 0..255 units)."""
    c = np.asarray(bgr, np.float32) * rng.uniform(1 - spread / 255, 1 + spread / 255)
    c += rng.normal(0, spread / 3, 3)
    return tuple(float(v) for v in np.clip(c, 0, 255))


def scatter(img: np.ndarray, rng: np.random.Generator, count: int, size: tuple[float, float],
            colours: list[tuple[float, float, float]], elongation: float = 1.0, spread: float = 12.0,
            highlight: float = 0.0) -> None:
    """Draw `count` small ellipses (grains, seeds, leaves, specks) into a float32 BGR image in place.

    `size` is the range of the short radius in pixels; `elongation` the long/short ratio;
    `highlight` adds a lighter dot on each (a glossy grain).
    """
    h, w = img.shape[:2]
    n = int(count)
    xs, ys = rng.uniform(0, w, n).astype(int), rng.uniform(0, h, n).astype(int)
    rs = rng.uniform(size[0], size[1], n)
    longs = np.maximum(1, np.round(rs * elongation * rng.uniform(0.8, 1.2, n))).astype(int)
    shorts = np.maximum(1, np.round(rs)).astype(int)
    angs = rng.uniform(0, 180, n)
    palette = np.asarray(colours, np.float32)
    cols = palette[rng.integers(len(colours), size=n)] * rng.uniform(1 - spread / 255, 1 + spread / 255, (n, 1))
    cols = np.clip(cols + rng.normal(0, spread / 3, (n, 3)), 0, 255)
    for x, y, r, a, b, ang, col in zip(xs, ys, rs, longs, shorts, angs, cols.tolist()):
        cv2.ellipse(img, (int(x), int(y)), (int(a), int(b)), float(ang), 0, 360, col, -1, cv2.LINE_AA)
        if highlight > 0 and r >= 1.5:
            hc = [min(255.0, v + highlight) for v in col]
            cv2.circle(img, (int(x - r * 0.3), int(y - r * 0.3)), max(1, int(r * 0.35)), hc, -1, cv2.LINE_AA)


def blobs(img: np.ndarray, rng: np.random.Generator, count: int, size: tuple[float, float],
          colours: list[tuple[float, float, float]], spread: float = 15.0) -> None:
    """Irregular lumps (vegetable pieces, paneer cubes, flakes) drawn as jittered polygons, in place."""
    h, w = img.shape[:2]
    n, k = int(count), 7
    centres = np.stack([rng.uniform(0, w, n), rng.uniform(0, h, n)], 1)[:, None, :]
    ang = np.sort(rng.uniform(0, 2 * np.pi, (n, k)), axis=1)
    rad = rng.uniform(size[0], size[1], (n, 1)) * rng.uniform(0.6, 1.2, (n, k))
    pts = (centres + np.stack([rad * np.cos(ang), rad * np.sin(ang)], 2)) * 4
    pts = pts.round().astype(np.int32)
    palette = np.asarray(colours, np.float32)
    cols = palette[rng.integers(len(colours), size=n)] * rng.uniform(1 - spread / 255, 1 + spread / 255, (n, 1))
    cols = np.clip(cols + rng.normal(0, spread / 3, (n, 3)), 0, 255)
    for p, col in zip(pts, cols.tolist()):
        cv2.fillPoly(img, [p], col, cv2.LINE_AA, 2)
        cv2.polylines(img, [p], True, [v * 0.75 for v in col], 1, cv2.LINE_AA, 2)


def counter(rng: np.random.Generator, shape: tuple[int, int], unit: float) -> np.ndarray:
    """A kitchen surface around the pan: granite, wood, tiles or a dark steel stove top. float32 BGR."""
    h, w = shape
    kind = rng.choice(["granite", "wood", "tiles", "stove", "marble"], p=[0.25, 0.2, 0.15, 0.25, 0.15])
    if kind == "granite":
        base = jitter_colour(rng, rng.choice([(70, 70, 75), (40, 45, 55), (120, 125, 130)]), 20)
        img = shade(base, 1 + 0.15 * noise(rng, shape, 40 * unit))
        img += 25 * noise(rng, shape, 1.2 * unit, octaves=1)[:, :, None]
        scatter(img, rng, h * w / (60 * unit * unit), (0.5 * unit, 1.5 * unit),
                [(20, 20, 20), (200, 200, 205), (90, 110, 140)], spread=20)
    elif kind == "wood":
        base = jitter_colour(rng, (50, 95, 150), 25)
        n = noise(rng, shape, 30 * unit, aspect=8)
        grain = np.sin((np.arange(h, dtype=np.float32)[:, None] / (2.5 * unit)) + 3 * n)
        img = shade(base, 1 + 0.12 * grain + 0.1 * noise(rng, shape, 60 * unit))
        if rng.random() < 0.5:
            img = cv2.rotate(cv2.resize(img, (h, w)), cv2.ROTATE_90_CLOCKWISE)
    elif kind == "tiles":
        base = jitter_colour(rng, rng.choice([(225, 225, 220), (180, 200, 210), (150, 170, 120)]), 20)
        img = shade(base, 1 + 0.05 * noise(rng, shape, 20 * unit))
        step = int(rng.uniform(50, 90) * unit)
        grout = jitter_colour(rng, (110, 115, 120), 20)
        t = max(1, int(2 * unit))
        ox, oy = int(rng.integers(step)), int(rng.integers(step))
        for x in range(ox - step, w, step):
            cv2.line(img, (x, 0), (x, h), grout, t, cv2.LINE_AA)
        for y in range(oy - step, h, step):
            cv2.line(img, (0, y), (w, y), grout, t, cv2.LINE_AA)
    elif kind == "marble":
        base = jitter_colour(rng, (215, 215, 210), 15)
        veins = np.exp(-((noise(rng, shape, 70 * unit, octaves=4) / 0.05) ** 2))
        veins = cv2.GaussianBlur(veins, (0, 0), 0.8 * unit)
        img = shade(base, 0.97 + 0.05 * noise(rng, shape, 40 * unit) - 0.12 * veins)
    else:  # dark stove top
        base = jitter_colour(rng, (35, 35, 38), 10)
        img = shade(base, 1 + 0.2 * noise(rng, shape, 50 * unit))
        img += 6 * noise(rng, shape, 1.0 * unit, octaves=1)[:, :, None]
    return img


def grate(img: np.ndarray, rng: np.random.Generator, centre: tuple[float, float], radius: float,
          unit: float) -> None:
    """Cast-iron stove grate bars radiating from under the pan, in place."""
    cx, cy = centre
    n = int(rng.choice([4, 5, 6]))
    a0 = rng.uniform(0, np.pi)
    col = jitter_colour(rng, (28, 28, 30), 6)
    hi = tuple(v + 45 for v in col)
    t = max(2, int(round(rng.uniform(6, 10) * unit)))
    for k in range(n):
        a = a0 + k * 2 * np.pi / n
        p0 = (int(cx + 0.5 * radius * np.cos(a)), int(cy + 0.4 * radius * np.sin(a)))
        p1 = (int(cx + 2.2 * radius * np.cos(a)), int(cy + 1.8 * radius * np.sin(a)))
        cv2.line(img, p0, p1, col, t, cv2.LINE_AA)
        cv2.line(img, (p0[0] - t // 4, p0[1] - t // 4), (p1[0] - t // 4, p1[1] - t // 4), hi, max(1, t // 5),
                 cv2.LINE_AA)

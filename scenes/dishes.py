"""Textures of the dishes cooked in the kitchen scene: base colour, bumpy relief, grains and specks."""

from __future__ import annotations

import cv2
import numpy as np

from foodcam.scenes.texture import blobs, jitter_colour, noise, scatter

# name -> (base BGR, relief strength, bump feature size in units, fine grain strength)
DISHES: dict[str, tuple[tuple[float, float, float], float, float, float]] = {
    "upma": ((100, 195, 228), 0.9, 5.0, 16.0),
    "palak": ((35, 100, 45), 0.6, 9.0, 6.0),
    "curry": ((25, 60, 145), 0.7, 8.0, 6.0),
    "rice": ((196, 206, 212), 0.9, 3.0, 10.0),
    "dal": ((35, 150, 228), 0.35, 12.0, 4.0),
    "poha": ((115, 205, 235), 0.8, 4.0, 10.0),
    "soup": ((60, 120, 190), 0.15, 20.0, 2.0),
    "stirfry": ((60, 110, 140), 0.8, 6.0, 6.0),
    "noodles": ((120, 190, 225), 0.5, 10.0, 4.0),
}
# broths and soups take a colour of their own per episode (tomato, pumpkin, green pea, miso, cream)
_SOUP_COLOURS = ((40, 60, 185), (40, 140, 225), (60, 150, 90), (80, 140, 175), (200, 215, 225), (30, 50, 90))
DISH_NAMES: tuple[str, ...] = tuple(DISHES)

_MUSTARD = (22, 22, 28)
_CURRY_LEAF = (30, 85, 40)
_CORIANDER = (40, 140, 60)
_CHILLI = (25, 35, 170)
_CUMIN = (40, 80, 110)


def _relief(rng: np.random.Generator, shape: tuple[int, int], size: float) -> np.ndarray:
    """Brightness of a bumpy surface lit from the top left: 1 +- a few tenths."""
    height = noise(rng, shape, size, octaves=3)
    gx = cv2.Sobel(height, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(height, cv2.CV_32F, 0, 1, ksize=3)
    return 1.0 - 0.9 * (gx + gy) / (np.abs(gx).mean() + np.abs(gy).mean() + 1e-6) * 0.25


def dish_texture(rng: np.random.Generator, name: str, shape: tuple[int, int], unit: float) -> np.ndarray:
    """float32 BGR (H, W, 3) texture of a dish filling the whole rectangle; `unit` is pixels per 1/240 frame."""
    base, relief, bump, grain = DISHES[name]
    h, w = shape
    if name == "soup":
        base = _SOUP_COLOURS[int(rng.integers(len(_SOUP_COLOURS)))]
    base = jitter_colour(rng, base, 14)
    light = 1.0 + relief * (_relief(rng, shape, bump * unit) - 1.0)
    light *= 1.0 + 0.12 * noise(rng, shape, 40 * unit)
    img = light[:, :, None] * np.asarray(base, np.float32)
    img += grain * noise(rng, shape, 0.8 * unit, octaves=1)[:, :, None]
    area = h * w / (unit * unit)  # in units²: independent of resolution
    u = unit
    if name == "upma":
        scatter(img, rng, area / 90, (0.5 * u, 0.9 * u), [_MUSTARD])
        scatter(img, rng, area / 500, (1.2 * u, 2.0 * u), [_CURRY_LEAF], elongation=2.5)
        scatter(img, rng, area / 350, (1.2 * u, 1.8 * u), [(60, 170, 95)], highlight=60)  # peas
        blobs(img, rng, area / 400, (1.0 * u, 1.8 * u), [(30, 110, 230)])  # carrot
        scatter(img, rng, area / 700, (1.2 * u, 1.8 * u), [(150, 205, 235)], elongation=1.7)  # cashew
    elif name == "palak":
        blobs(img, rng, area / 260, (2.0 * u, 3.5 * u), [(200, 228, 238), (185, 215, 230)], spread=10)  # paneer
        _swirl(img, rng, u, (215, 235, 240))
        scatter(img, rng, area / 300, (0.6 * u, 1.2 * u), [(120, 200, 160)], spread=20, highlight=40)  # gloss
    elif name == "curry":
        blobs(img, rng, area / 250, (2.0 * u, 4.0 * u), [(30, 55, 105), (40, 80, 150)], spread=12)  # chunks
        scatter(img, rng, area / 250, (0.8 * u, 2.0 * u), [(30, 110, 220)], spread=20)  # oil
        scatter(img, rng, area / 400, (0.6 * u, 1.2 * u), [_CORIANDER], elongation=1.5)
    elif name == "rice":
        scatter(img, rng, area / 4, (0.6 * u, 0.9 * u), [(232, 238, 240), (212, 220, 226), (245, 248, 250)],
                elongation=3.0, spread=8, highlight=18)
        scatter(img, rng, area / 900, (0.5 * u, 0.8 * u), [_CUMIN], elongation=2.0)
    elif name == "dal":
        scatter(img, rng, area / 120, (0.4 * u, 1.2 * u), [(110, 200, 240)], spread=15)  # bubbles
        scatter(img, rng, area / 250, (0.5 * u, 0.8 * u), [_MUSTARD, _CUMIN])
        scatter(img, rng, area / 800, (0.8 * u, 1.2 * u), [_CHILLI], elongation=3.0)
        scatter(img, rng, area / 500, (0.6 * u, 1.2 * u), [_CORIANDER], elongation=1.5)
    elif name == "poha":
        blobs(img, rng, area / 20, (0.8 * u, 1.6 * u), [(120, 210, 238), (95, 185, 220), (140, 220, 245)],
              spread=10)
        scatter(img, rng, area / 300, (1.0 * u, 1.6 * u), [(80, 130, 185)], elongation=1.4, highlight=40)
        scatter(img, rng, area / 500, (1.2 * u, 2.0 * u), [_CURRY_LEAF], elongation=2.5)
        scatter(img, rng, area / 150, (0.4 * u, 0.7 * u), [_MUSTARD])
    elif name == "soup":  # smooth and glossy: oil rings, bubbles, a few floating bits, highlights
        scatter(img, rng, area / 150, (0.6 * u, 2.2 * u), [tuple(min(255, c * 1.3 + 30) for c in base)],
                spread=10, highlight=70)
        blobs(img, rng, area / 900, (1.5 * u, 3.0 * u), [(40, 150, 60), (220, 230, 235), (40, 110, 220)], spread=15)
        _swirl(img, rng, u, tuple(min(255.0, c + 60) for c in base))
    elif name == "stirfry":  # chunky pieces of many colours on a dark glaze
        blobs(img, rng, area / 45, (2.0 * u, 5.0 * u),
              [(40, 160, 60), (30, 40, 200), (40, 200, 235), (200, 210, 215), (30, 110, 220), (60, 90, 120)],
              spread=18)
        scatter(img, rng, area / 200, (1.0 * u, 2.5 * u), [(90, 200, 120)], elongation=3.0, highlight=40)
    elif name == "noodles":  # long strands in loose tangles
        _strands(img, rng, u, int(area / 60), base)
        scatter(img, rng, area / 400, (1.0 * u, 2.0 * u), [(40, 150, 60), (40, 60, 190)], elongation=2.0)
    return np.clip(img, 0, 255)


def _strands(img: np.ndarray, rng: np.random.Generator, unit: float, count: int,
             colour: tuple[float, float, float]) -> None:
    """Noodles: short wavy polylines, lighter on top, in place."""
    h, w = img.shape[:2]
    thick = max(1, int(round(1.6 * unit)))
    for _ in range(max(1, count)):
        n = 12
        x0, y0 = rng.uniform(0, w), rng.uniform(0, h)
        a = rng.uniform(0, 2 * np.pi) + np.cumsum(rng.normal(0, 0.35, n))
        step = rng.uniform(2, 4) * unit
        pts = np.stack([x0 + np.cumsum(np.cos(a)) * step, y0 + np.cumsum(np.sin(a)) * step], 1)
        shade = rng.uniform(0.75, 1.15)
        col = tuple(float(min(255, c * shade)) for c in colour)
        cv2.polylines(img, [pts.round().astype(np.int32)], False, col, thick, cv2.LINE_AA)


def _swirl(img: np.ndarray, rng: np.random.Generator, unit: float, colour: tuple[float, float, float]) -> None:
    """A drizzle of cream: a soft wandering line blended into the texture, in place."""
    h, w = img.shape[:2]
    layer = np.zeros((h, w), np.float32)
    for _ in range(int(rng.integers(1, 3))):
        t = np.linspace(0, 1, 60)
        cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h
        r = rng.uniform(0.1, 0.3) * min(h, w) * (1 - 0.6 * t)
        a = rng.uniform(0, 6.3) + t * rng.uniform(6, 12)
        pts = np.stack([cx + r * np.cos(a), cy + r * np.sin(a)], 1).round().astype(np.int32)
        cv2.polylines(layer, [pts], False, 1.0, max(1, int(1.5 * unit)), cv2.LINE_AA)
    layer = cv2.GaussianBlur(layer, (0, 0), max(0.6, 0.8 * unit)) * 0.8
    img *= 1 - layer[:, :, None]
    img += layer[:, :, None] * np.asarray(colour, np.float32)

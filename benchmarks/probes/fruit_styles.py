"""Fruit photographed in ways the original freshness renderer never drew, written before the fruit styles existed (`scenes/fruit_styles.py`),
to find where the shipped freshness model breaks. Each variant changes one thing of the original
`table` photos (one fruit filling the frame on wood, cloth or a belt):

    small  one fruit at 0.35-0.6 of the frame, anywhere        multi  2-3 fruit of one kind, 0.5-0.75 each
    plain  a white sweep, a dark slate or a plate              light  a warm cast, dim (x0.3-0.5) or blown out (x1.5-2)

    python benchmarks/probes/fruit_styles.py VARIANT OUT_DIR COUNT     # 400 each, seed 900, 128x128
    foodcam eval --weights MODEL.onnx --data OUT_DIR --split all

Draws with the renderer's own sprites and effects (`scenes.fruit`) and its original three backgrounds, so the same
command writes the same files.
"""

import sys
from pathlib import Path

import cv2
import numpy as np

from foodcam.scenes import fruit as F
from foodcam.scenes.fruit_draw import smooth_noise

TABLE_BACKGROUNDS = ("wood", "cloth", "conveyor")


def plain_background(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    kind = rng.integers(3)
    if kind == 0:  # white sweep
        img = np.full((h, w, 3), rng.uniform(0.85, 1.0), np.float32)
    elif kind == 1:  # dark slate
        img = np.full((h, w, 3), rng.uniform(0.05, 0.18), np.float32) * rng.uniform(0.9, 1.1, 3)
    else:  # a plate on a table
        img = np.full((h, w, 3), rng.uniform(0.2, 0.6, 3), np.float32)
        yy, xx = np.mgrid[0:h, 0:w]
        r = ((xx - w / 2) ** 2 + (yy - h / 2) ** 2) ** 0.5
        img[r < 0.48 * min(w, h)] = rng.uniform(0.85, 0.97)
        img[(r > 0.40 * min(w, h)) & (r < 0.48 * min(w, h))] *= 0.93
    img = img * (0.95 + 0.1 * smooth_noise(rng, (h, w), max(w, h) * 0.3))[..., None]
    return np.clip(img * 255, 0, 255).astype(np.uint8)


def render(variant: str, idx: int, seed: int, w: int = 128, h: int = 128):
    fruit, rotten = F.FruitScene((w, h), seed).label(idx)
    rng = np.random.default_rng([seed, idx, 77])
    if variant == "plain":
        frame = plain_background(rng, w, h)
    else:
        frame = F.background(rng, str(rng.choice(TABLE_BACKGROUNDS)), w, h)
    n = int(rng.integers(2, 4)) if variant == "multi" else 1
    for _ in range(n):
        lo, hi = {"small": (0.35, 0.6), "multi": (0.5, 0.75)}.get(variant, (0.8, 1.3))
        s = int(min(w, h) * rng.uniform(lo, hi))
        sprite, alpha = F.render_fruit(rng, fruit, rotten, float(rng.uniform(0.3, 1.0)) if rotten else 0.0, s)
        if variant in ("small", "multi"):
            x = int(np.clip(int(rng.uniform(-0.15, 0.8) * w), -s // 4, w - 3 * s // 4))
            y = int(np.clip(int(rng.uniform(-0.15, 0.8) * h), -s // 4, h - 3 * s // 4))
        else:
            x = int(round((w - s) / 2 + rng.uniform(-0.12, 0.12) * s))
            y = int(round((h - s) / 2 + rng.uniform(-0.12, 0.12) * s))
        F.composite(frame, sprite, alpha, x, y, shadow=float(rng.uniform(0.25, 0.6)))
    out = F.photo_effects(rng, frame)
    if variant == "light":  # warm tungsten, dim, or blown out
        f = out.astype(np.float32)
        m = rng.integers(3)
        if m == 0:
            f *= np.array([0.7, 0.9, 1.25], np.float32)
        elif m == 1:
            f *= rng.uniform(0.3, 0.5)
        else:
            f = f * rng.uniform(1.5, 2.0)
        out = np.clip(f, 0, 255).astype(np.uint8)
    return out, fruit, rotten


if __name__ == "__main__":
    variant, out, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    if variant not in ("same", "small", "multi", "plain", "light"):
        sys.exit(f"fruit_styles.py: unknown variant {variant!r}: expected same, small, multi, plain or light")
    for i in range(count):
        img, fruit, rotten = render(variant, i, 900)
        folder = out / fruit.capitalize() / ("Rotten" if rotten else "Fresh")
        folder.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(folder / f"{fruit}_{variant}_{i:05d}.jpg"), img)

"""Drawing helpers for procedural fruit (numpy + OpenCV): noise, pseudo-3D shading, decay effects.

Images are float32 BGR in 0..1 while a sprite is being built; masks are float32 0..1.
"""

from __future__ import annotations

import cv2
import numpy as np

from foodcam.scenes.texture import noise


def smooth_noise(rng: np.random.Generator, shape: tuple[int, int], cell: float, octaves: int = 1) -> np.ndarray:
    """Smooth noise in 0..1 with features about `cell` pixels wide (the scenes' fractal noise, rescaled)."""
    return np.clip(0.5 + 0.22 * noise(rng, shape, cell, octaves), 0.0, 1.0)


def soft_mask(field: np.ndarray, px: float) -> np.ndarray:
    """Anti-aliased mask from an inside-ness field (positive inside, in units where one pixel is `px`)."""
    return np.clip(field / px + 0.5, 0.0, 1.0).astype(np.float32)


def shade(
    mask: np.ndarray,
    base: np.ndarray,
    light: np.ndarray,
    bump: np.ndarray | None = None,
    spec: float = 0.4,
    gloss: float = 30.0,
    ambient: float = 0.35,
    roundness: float = 1.0,
) -> np.ndarray:
    """Light a flat-coloured shape as a dome: height from the distance to the outline (+ optional bump, px)."""
    m = (mask > 0.5).astype(np.uint8)
    d = cv2.distanceTransform(m, cv2.DIST_L2, 5)
    r = float(max(d.max(), 1.0))
    h = np.sqrt(np.clip(r * r - (r - d) ** 2, 0.0, None)) * roundness
    h = cv2.GaussianBlur(h.astype(np.float32), (0, 0), max(r * 0.12, 0.8))
    if bump is not None:
        h = (h + bump).astype(np.float32)
    gx = cv2.Sobel(h, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(h, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    inv = 1.0 / np.sqrt(gx * gx + gy * gy + 1.0)
    nx, ny, nz = -gx * inv, -gy * inv, inv
    lx, ly, lz = light
    diff = np.clip(nx * lx + ny * ly + nz * lz, 0.0, 1.0)
    hx, hy, hz = lx, ly, lz + 1.0
    hn = np.sqrt(hx * hx + hy * hy + hz * hz)
    sp = np.clip((nx * hx + ny * hy + nz * hz) / hn, 0.0, 1.0) ** gloss * spec
    rim = np.clip(1.0 - nz, 0.0, 1.0) ** 3 * 0.25  # darker limb: the fruit's edge turns away from the camera
    out = base * (ambient + (1.0 - ambient) * diff)[..., None] * (1.0 - rim)[..., None]
    return out + sp[..., None]


def random_light(rng: np.random.Generator) -> np.ndarray:
    """A unit light direction (x right, y down, z towards the camera), mostly from above."""
    a = rng.uniform(-np.pi * 0.95, -np.pi * 0.05)  # from the upper half
    elev = rng.uniform(0.9, 1.8)
    v = np.array([np.cos(a), np.sin(a), elev], np.float32)
    return v / np.linalg.norm(v)


def blend(img: np.ndarray, colour, weight: np.ndarray) -> np.ndarray:
    """img*(1-w) + colour*w; `colour` is a BGR triple or an image."""
    w = np.clip(weight, 0.0, 1.0)[..., None]
    return img * (1.0 - w) + np.asarray(colour, np.float32) * w


def desaturate(img: np.ndarray, amount: float, tint=(0.35, 0.42, 0.5)) -> np.ndarray:
    """Move towards a dull grey-brown of the same brightness by `amount` (0..1)."""
    grey = img.mean(axis=2, keepdims=True)
    dull = grey * np.asarray(tint, np.float32) / np.mean(tint)
    return img * (1.0 - amount) + dull * amount


def blob(shape: tuple[int, int], cx: float, cy: float, r: float, rng: np.random.Generator,
         wobble: float = 0.35) -> np.ndarray:
    """A soft irregular spot (1 in the middle, 0 outside) of radius ~r px with a noisy edge."""
    h, w = shape
    x0, x1 = int(max(cx - 2 * r, 0)), int(min(cx + 2 * r + 1, w))
    y0, y1 = int(max(cy - 2 * r, 0)), int(min(cy + 2 * r + 1, h))
    out = np.zeros(shape, np.float32)
    if x1 <= x0 or y1 <= y0:
        return out
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    ang = np.arctan2(yy - cy, xx - cx)
    k = rng.integers(2, 5)
    ph = rng.uniform(0, 2 * np.pi, 2)
    rad = r * (1.0 + wobble * 0.5 * (np.sin(k * ang + ph[0]) + 0.5 * np.sin((k + 2) * ang + ph[1])))
    d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / np.maximum(rad, 1e-3)
    out[y0:y1, x0:x1] = np.clip(1.0 - d, 0.0, 1.0) ** 0.6
    return out


def points_inside(rng: np.random.Generator, mask: np.ndarray, n: int, margin: float = 0.9) -> np.ndarray:
    """`n` random (x, y) pixel positions where mask > margin."""
    ys, xs = np.nonzero(mask > margin)
    if xs.size == 0:
        return np.zeros((0, 2), np.float32)
    idx = rng.integers(0, xs.size, n)
    return np.stack([xs[idx], ys[idx]], 1).astype(np.float32)


def decay(
    rng: np.random.Generator,
    mask: np.ndarray,
    base: np.ndarray,
    severity: float,
    size: float,
    lesion=(0.12, 0.2, 0.32),
    core=(0.05, 0.07, 0.1),
    spots: int = 0,
    rings: bool = False,
    dull: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Rot on the base colour: dullness, brown lesions with dark cores (optionally ringed), small spots.

    Returns (new base colour, bump map in px for wrinkles). `size` is the fruit's radius in px.
    """
    h, w = mask.shape
    s = float(np.clip(severity, 0.0, 1.0))
    base = desaturate(base, (0.25 + 0.45 * s) * dull) * (1.0 - (0.1 + 0.2 * s) * dull)
    n = int(rng.integers(1, 3) + round(4 * s))
    total = np.zeros((h, w), np.float32)
    for cx, cy in points_inside(rng, mask, n):
        r = size * rng.uniform(0.15, 0.3) * (0.7 + 0.9 * s)
        b = blob((h, w), cx, cy, r, rng)
        if rings:
            d = np.sqrt((np.arange(w)[None] - cx) ** 2 + (np.arange(h)[:, None] - cy) ** 2)
            b = b * (0.8 + 0.2 * np.cos(d / max(r, 1) * 3 * np.pi))
        total = np.maximum(total, b)
    tex = smooth_noise(rng, (h, w), max(size * 0.06, 2), octaves=2)
    les = np.clip(total * 1.6, 0, 1) * (0.75 + 0.5 * tex)
    base = blend(base, lesion, les)
    base = blend(base, core, np.clip((total - 0.55) * 2.5, 0, 1) * (0.6 + 0.4 * tex))
    for cx, cy in points_inside(rng, mask, spots):
        r = size * rng.uniform(0.012, 0.05)
        base = blend(base, core, blob((h, w), cx, cy, r, rng) * 0.9)
    # wrinkles: ripples that follow the outline, strongest near it, plus a little sag inside lesions
    m = (mask > 0.5).astype(np.uint8)
    d = cv2.distanceTransform(m, cv2.DIST_L2, 5)
    warp = smooth_noise(rng, (h, w), size * 0.3) * 8.0
    ripple = np.sin(d / max(size * 0.045, 1.0) + warp) * np.exp(-d / (size * 0.45))
    bump = ripple * size * 0.05 * s - total * size * 0.12 * s
    return base.astype(np.float32), bump.astype(np.float32)


def mould(
    rng: np.random.Generator, img: np.ndarray, mask: np.ndarray, severity: float, size: float,
    colour=(0.86, 0.9, 0.88), edge=(0.95, 0.97, 0.97),
) -> np.ndarray:
    """Fuzzy mould colonies (matte, fibrous, ragged edges) over a shaded fruit; fewer at low severity."""
    h, w = mask.shape
    s = float(np.clip(severity, 0.0, 1.0))
    n = int(rng.binomial(3, min(1.0, 0.25 + 0.6 * s)))
    if n == 0:
        return img
    patch = np.zeros((h, w), np.float32)
    for cx, cy in points_inside(rng, mask, n):
        r = size * rng.uniform(0.1, 0.22) * (0.6 + 0.8 * s)
        for _ in range(int(rng.integers(2, 5))):  # a colony is a few merged spots
            ox, oy = rng.normal(0, r * 0.5, 2)
            patch = np.maximum(patch, blob((h, w), cx + ox, cy + oy, r * rng.uniform(0.5, 1.0), rng, 0.4))
    fine = smooth_noise(rng, (h, w), max(size * 0.02, 1.0), octaves=3)
    fibres = cv2.GaussianBlur(rng.random((h, w), dtype=np.float32), (0, 0), 0.8)
    cover = np.clip((patch - 0.1 + 0.7 * (fine - 0.5)) * 3.0, 0, 1) * np.clip(patch * 5.0, 0, 1)
    cover = cv2.GaussianBlur(cover, (0, 0), max(size * 0.006, 0.6)) * mask
    a = cover * np.clip(0.6 + 0.5 * (fine - 0.5) + 0.5 * (fibres - 0.5), 0, 1)
    rim = np.clip(cover * 2, 0, 1) * (1 - np.clip(patch * 2.5, 0, 1))  # lighter young growth at the edge
    out = blend(img, colour, a * 0.95)
    return blend(out, edge, rim * 0.55 * mask)

"""The four procedural fruit, each drawn on a square float canvas (numpy + OpenCV only).

A fruit is built in its own local frame (x right, y down, fitting the unit disc), placed on the canvas
rotated and scaled by a `Canvas`, coloured, decayed when rotten, shaded as a dome, then given the
parts drawn as polygons (stems, leaves, calyx). Each builder returns (BGR float 0..1, alpha float 0..1).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from foodcam.scenes.fruit_draw import blend, decay, desaturate, mould, shade, smooth_noise, soft_mask


@dataclass
class Canvas:
    """Local fruit coordinates <-> pixels: p = centre + k * R(angle) @ (u, v)."""

    size: int
    angle: float
    k: float  # pixels per local unit

    def __post_init__(self) -> None:
        c = (self.size - 1) / 2.0
        yy, xx = np.mgrid[0 : self.size, 0 : self.size].astype(np.float32)
        ca, sa = np.cos(self.angle), np.sin(self.angle)
        dx, dy = (xx - c) / self.k, (yy - c) / self.k
        self.u = (ca * dx + sa * dy).astype(np.float32)
        self.v = (-sa * dx + ca * dy).astype(np.float32)
        self.px = 1.0 / self.k  # one pixel in local units
        self.shape = (self.size, self.size)

    def to_px(self, pts) -> np.ndarray:
        p = np.asarray(pts, np.float32).reshape(-1, 2)
        ca, sa = np.cos(self.angle), np.sin(self.angle)
        c = (self.size - 1) / 2.0
        x = c + self.k * (ca * p[:, 0] - sa * p[:, 1])
        y = c + self.k * (sa * p[:, 0] + ca * p[:, 1])
        return np.stack([x, y], 1)


def _jitter(rng: np.random.Generator, bgr, amount: float = 0.06) -> np.ndarray:
    return np.clip(np.asarray(bgr, np.float32) * rng.uniform(1 - amount, 1 + amount, 3), 0, 1)


def _poly(layer: np.ndarray, alpha: np.ndarray, cv: Canvas, pts, colour) -> None:
    """Fill a polygon given in local units onto a colour layer and its alpha (anti-aliased, 8x subpixel)."""
    p = np.round(cv.to_px(pts) * 8).astype(np.int32)
    cv2.fillPoly(layer, [p], tuple(float(c) for c in colour), cv2.LINE_AA, shift=3)
    cv2.fillPoly(alpha, [p], 1.0, cv2.LINE_AA, shift=3)


def _leaf(centre, direction: float, length: float, width: float, n: int = 12) -> np.ndarray:
    """A pointed leaf polygon (local units) from `centre` along `direction` (radians)."""
    t = np.linspace(0, 1, n)
    half = width * np.sin(np.pi * t) ** 0.8
    fwd = np.stack([np.cos(direction), np.sin(direction)])
    side = np.stack([-fwd[1], fwd[0]])
    a = centre + np.outer(t * length, fwd) + np.outer(half, side)
    b = centre + np.outer(t * length, fwd) - np.outer(half, side)
    return np.concatenate([a, b[::-1]])


def _over(img: np.ndarray, alpha: np.ndarray, layer: np.ndarray, la: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return blend(img, layer, la), np.maximum(alpha, la)


def _angdiff(a: np.ndarray, a0: float) -> np.ndarray:
    return np.arctan2(np.sin(a - a0), np.cos(a - a0))


def _shrivel(rng: np.random.Generator, cv: Canvas, rotten: bool, sev: float, amount: float) -> np.ndarray:
    if not rotten:
        return np.zeros(cv.shape, np.float32)
    return (smooth_noise(rng, cv.shape, cv.size * 0.12, octaves=2) - 0.5) * amount * sev


def apple(rng: np.random.Generator, cv: Canvas, rotten: bool, sev: float, light) -> tuple[np.ndarray, np.ndarray]:
    u, v = cv.u, cv.v
    a, rho = np.arctan2(-v, u), np.hypot(u, v)
    r0 = 0.8
    r = r0 * (1 + rng.uniform(0.03, 0.09) * np.sin(a))
    for kk in (2, 3, 4):
        r = r + r0 * rng.uniform(0, 0.02) * np.cos(kk * a + rng.uniform(0, 2 * np.pi))
    r = r - r0 * rng.uniform(0.07, 0.13) * np.exp(-((_angdiff(a, np.pi / 2) / 0.3) ** 2))
    r = r - r0 * 0.04 * np.exp(-((_angdiff(a, -np.pi / 2) / 0.35) ** 2))
    mask = soft_mask(r - rho + _shrivel(rng, cv, rotten, sev, 0.08), cv.px)
    size = r0 * cv.k
    variety = rng.choice(["red", "red", "green", "yellow"])
    streak_a = sum(np.sin(f * a + rng.uniform(0, 6.3)) for f in rng.integers(6, 16, 4)) / 4
    streak = np.clip(0.5 + 0.35 * streak_a + 0.8 * (smooth_noise(rng, cv.shape, size * 0.2) - 0.5), 0, 1)
    streak = cv2.GaussianBlur(streak.astype(np.float32), (0, 0), size * 0.02)
    if variety == "red":
        base = np.broadcast_to(_jitter(rng, (0.12, 0.1, 0.72)), (*cv.shape, 3)).copy()
        base = blend(base, _jitter(rng, (0.09, 0.05, 0.42)), streak * 0.8)
        patch = smooth_noise(rng, cv.shape, size * 0.7)
        base = blend(base, _jitter(rng, (0.2, 0.62, 0.78)), np.clip((patch - 0.55) * 3, 0, 0.85))
    elif variety == "green":
        base = np.broadcast_to(_jitter(rng, (0.2, 0.72, 0.5)), (*cv.shape, 3)).copy()
        base = blend(base, _jitter(rng, (0.18, 0.6, 0.42)), streak * 0.3)
    else:
        base = np.broadcast_to(_jitter(rng, (0.22, 0.78, 0.9)), (*cv.shape, 3)).copy()
        base = blend(base, _jitter(rng, (0.15, 0.5, 0.8)), streak * 0.25)
    dots = np.zeros(cv.shape, np.float32)
    for x, y in cv.to_px(np.stack([rng.uniform(-0.7, 0.7, 40), rng.uniform(-0.7, 0.7, 40)], 1)):
        cv2.circle(dots, (int(x), int(y)), max(1, int(size * 0.008)), 1.0, -1, cv2.LINE_AA)
    base = blend(base, (0.5, 0.75, 0.8), dots * 0.35)
    top = np.array([0.0, -(r0 * 0.82)])
    cavity = np.exp(-((u - top[0]) ** 2 + (v - top[1]) ** 2) / 0.03)
    base = base * (1 - 0.45 * cavity)[..., None]
    bump = None
    if rotten:
        base, bump = decay(rng, mask, base, sev, size, lesion=(0.1, 0.22, 0.38), core=(0.04, 0.08, 0.14), rings=True)
    img = shade(mask, base, light, bump, spec=0.12 if rotten else 0.55, gloss=40)
    if rotten:
        img = mould(rng, img, mask, sev * 0.7, size)
    layer, la = np.zeros_like(img), np.zeros(cv.shape, np.float32)
    bend = rng.uniform(-0.12, 0.12)
    stem = np.array([[-0.025, top[1] + 0.05], [0.025, top[1] + 0.05], [0.03 + bend, top[1] - 0.24],
                     [-0.01 + bend, top[1] - 0.25]])
    _poly(layer, la, cv, stem, (0.1, 0.2, 0.3) if not rotten else (0.06, 0.1, 0.14))
    if rng.random() < 0.45:
        d = rng.choice([-1, 1]) * rng.uniform(0.2, 0.9) - np.pi / 2
        _poly(layer, la, cv, _leaf(top + [bend * 0.7, -0.18], d, 0.42, 0.1),
              (0.15, 0.5, 0.25) if not rotten else (0.1, 0.22, 0.25))
    return _over(img, mask, layer, la)


def orange(rng: np.random.Generator, cv: Canvas, rotten: bool, sev: float, light) -> tuple[np.ndarray, np.ndarray]:
    ax = rng.uniform(0.93, 1.07)
    u, v = cv.u / ax, cv.v * ax
    a, rho = np.arctan2(-v, u), np.hypot(u, v)
    r0 = 0.8
    r = r0 * (1 + rng.uniform(0, 0.015) * np.cos(3 * a + rng.uniform(0, 6.3)))
    mask = soft_mask(r - rho + _shrivel(rng, cv, rotten, sev, 0.05), cv.px)
    size = r0 * cv.k
    base = np.broadcast_to(_jitter(rng, rng.choice([(0.05, 0.5, 0.95), (0.03, 0.42, 0.92), (0.1, 0.6, 0.97)])),
                           (*cv.shape, 3)).copy()
    base = base * (0.92 + 0.16 * smooth_noise(rng, cv.shape, size * 0.3))[..., None]
    dimples = smooth_noise(rng, cv.shape, max(size * 0.025, 1.5))
    bump = (dimples - 0.5) * size * 0.05
    cx, cy = rng.uniform(-0.35, 0.35, 2)
    scar = np.exp(-((cv.u - cx) ** 2 + (cv.v - cy) ** 2) / 0.004)
    base = blend(base, (0.08, 0.3, 0.5), scar * 0.8)
    if rotten:
        base, wr = decay(rng, mask, base, sev, size, lesion=(0.12, 0.3, 0.45), core=(0.08, 0.16, 0.22),
                         dull=0.5)
        bump = bump * (1 - 0.5 * sev) + wr
    img = shade(mask, base, light, bump, spec=0.1 if rotten else 0.35, gloss=14)
    if rotten:
        img = mould(rng, img, mask, min(1.0, sev + 0.2), size, colour=_jitter(rng, (0.42, 0.62, 0.4), 0.1))
    layer, la = np.zeros_like(img), np.zeros(cv.shape, np.float32)
    if rng.random() < 0.6:  # stem button: a small star
        c = np.array([cx, cy]) * ax
        for t in np.linspace(0, 2 * np.pi, 6)[:-1] + rng.uniform(0, 1):
            _poly(layer, la, cv, _leaf(c, t, 0.07, 0.022, 6), (0.12, 0.35, 0.3) if not rotten else (0.1, 0.15, 0.2))
    return _over(img, mask, layer, la)


def banana(rng: np.random.Generator, cv: Canvas, rotten: bool, sev: float, light) -> tuple[np.ndarray, np.ndarray]:
    rc = rng.uniform(0.95, 1.6)
    span = 1.95 / rc  # arc angle for an arc length of ~1.95
    d = rc * (1 - np.cos(span / 2)) / 2
    relx, rely = cv.u, cv.v + rc - d
    rho, phi = np.hypot(relx, rely), np.arctan2(relx, rely)
    t = phi / span + 0.5
    dist = rho - rc
    tt = np.clip(t, 0, 1)
    wmax = rng.uniform(0.19, 0.25)
    body = wmax * np.clip(np.sin(np.pi * (tt - 0.06) / 0.96), 0, 1) ** 0.55
    stalk_w = 0.045
    w = np.where(tt < 0.12, np.maximum(body, stalk_w), body)
    off = 0.25 * wmax * np.sin(np.pi * tt)  # the outer side bulges
    field = np.minimum(w - np.abs(dist - off), np.minimum(t, 1 - t) * 1.75)
    mask = soft_mask(field + _shrivel(rng, cv, rotten, sev, 0.03), cv.px)
    size = wmax * cv.k * 2.5
    yellow = _jitter(rng, (0.1, 0.8, 0.95))
    base = np.broadcast_to(yellow, (*cv.shape, 3)).copy()
    green = np.clip(1 - tt / 0.3, 0, 1) * rng.uniform(0.2, 0.8)
    base = blend(base, (0.12, 0.62, 0.55), green)
    across = (dist - off) / np.maximum(w, 1e-3)
    ridge = np.abs(np.sin(np.pi * (across * 1.5 + 0.5)))
    bump = -(1 - ridge) * cv.k * 0.015
    base = base * (0.9 + 0.1 * ridge)[..., None]
    base = blend(base, (0.14, 0.32, 0.36), np.clip((0.1 - tt) / 0.05, 0, 1))  # stalk
    base = blend(base, (0.04, 0.06, 0.08), np.clip((tt - 0.965) / 0.015, 0, 1))  # blossom tip
    if not rotten:
        for x, y in cv.to_px(np.stack([rng.uniform(-0.6, 0.6, 4), rng.uniform(-0.3, 0.3, 4)], 1)):
            cv2.circle(base, (int(x), int(y)), max(1, int(size * 0.008)), (0.1, 0.3, 0.45), -1, cv2.LINE_AA)
    else:
        base, wr = decay(rng, mask, base, sev, size, lesion=(0.06, 0.14, 0.24), core=(0.03, 0.05, 0.07),
                         spots=int(30 + 150 * sev))
        brown = smooth_noise(rng, cv.shape, size * 0.3)
        base = blend(base, (0.05, 0.12, 0.2), np.clip(sev * 1.2 * (0.5 + brown) - 0.3, 0, 0.95))
        bump = bump + wr * 0.5
    img = shade(mask, base, light, bump, spec=0.08 if rotten else 0.3, gloss=20, roundness=0.8)
    if rotten:
        img = mould(rng, img, mask, sev * 0.5, size * 0.6)
    return img, mask


def strawberry(rng: np.random.Generator, cv: Canvas, rotten: bool, sev: float, light) -> tuple[np.ndarray, np.ndarray]:
    u, v = cv.u, cv.v
    top, bot = -0.62, rng.uniform(0.85, 0.95)
    t = (v - top) / (bot - top)
    wmax = rng.uniform(0.58, 0.7)
    tp = rng.uniform(0.25, 0.35)
    tc = np.clip(t, 0, 1)
    shoulder = np.sqrt(np.clip(1 - ((tc - tp) / tp) ** 2, 0, 1))
    taper = np.clip(np.cos(np.pi / 2 * np.clip((tc - tp) / (1 - tp), 0, 1)), 0, 1) ** rng.uniform(0.7, 1.0)
    w = wmax * np.where(tc < tp, 0.35 + 0.65 * shoulder, taper)
    field = np.minimum(w - np.abs(u), np.minimum(t, 1 - t) * 0.9)
    mask = soft_mask(field + _shrivel(rng, cv, rotten, sev, 0.07), cv.px)
    size = wmax * cv.k
    red = _jitter(rng, (0.12, 0.08, 0.82))
    base = np.broadcast_to(red, (*cv.shape, 3)).copy()
    base = blend(base, _jitter(rng, (0.08, 0.04, 0.55)), smooth_noise(rng, cv.shape, size * 0.4) * 0.5)
    base = blend(base, (0.45, 0.75, 0.9), np.clip((0.15 - t) / 0.15, 0, 1) * rng.uniform(0, 0.8))
    bump = np.zeros(cv.shape, np.float32)
    step = rng.uniform(0.1, 0.13)
    seeds = []
    for row, y in enumerate(np.arange(top + 0.12, bot - 0.08, step * 0.85)):
        for x in np.arange(-wmax, wmax, step) + (step / 2 if row % 2 else 0):
            seeds.append((x + rng.normal(0, step * 0.1), y + rng.normal(0, step * 0.1)))
    seed_r = max(1.0, step * 0.16 * cv.k)
    pits = np.zeros(cv.shape, np.float32)
    for x, y in cv.to_px(seeds):
        cv2.circle(pits, (int(x), int(y)), int(seed_r * 1.8), 1.0, -1, cv2.LINE_AA)
    pits = cv2.GaussianBlur(pits, (0, 0), seed_r * 0.6) * mask
    base = blend(base, (0.04, 0.02, 0.35), pits * 0.6)
    bump -= pits * seed_r * 0.8
    seed_col = _jitter(rng, (0.25, 0.7, 0.85))
    for x, y in cv.to_px(seeds):
        cv2.ellipse(base, ((float(x), float(y)), (seed_r * 1.3, seed_r * 2.0), np.degrees(cv.angle)),
                    tuple(float(c) for c in seed_col), -1, cv2.LINE_AA)
    if rotten:
        base, wr = decay(rng, mask, base, sev, size, lesion=(0.14, 0.12, 0.32), core=(0.08, 0.06, 0.15))
        base = desaturate(base, 0.3 * sev, tint=(0.3, 0.3, 0.5))
        bump = bump + wr
    img = shade(mask, base, light, bump, spec=0.1 if rotten else 0.6, gloss=35)
    if rotten:
        img = mould(rng, img, mask, min(1.0, sev + 0.15), size, colour=_jitter(rng, (0.72, 0.74, 0.72), 0.08))
    layer, la = np.zeros_like(img), np.zeros(cv.shape, np.float32)
    green = (0.12, 0.45, 0.2) if not rotten else (0.12, 0.25, 0.3)
    centre = np.array([rng.uniform(-0.05, 0.05), top + 0.06])
    n = int(rng.integers(6, 10))
    for ang in np.linspace(0, 2 * np.pi, n, endpoint=False) + rng.uniform(0, 1):
        d = np.arctan2(0.5 * np.sin(ang) + 0.3, np.cos(ang))
        length = rng.uniform(0.25, 0.4) * (1 if np.sin(ang) > -0.3 else 0.6)
        _poly(layer, la, cv, _leaf(centre, d, length, rng.uniform(0.05, 0.08)), _jitter(rng, green, 0.15))
    stalk = centre + np.array([[-0.025, 0.0], [0.025, 0.0], [0.03, -0.2], [-0.01, -0.21]])
    _poly(layer, la, cv, stalk, (0.15, 0.4, 0.25) if not rotten else (0.1, 0.2, 0.25))
    layer = shade(la, layer, light, spec=0.05, ambient=0.5, roundness=0.3)
    return _over(img, mask, layer, la)


BUILDERS = {"apple": apple, "banana": banana, "orange": orange, "strawberry": strawberry}

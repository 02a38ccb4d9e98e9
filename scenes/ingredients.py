"""The ingredients of the plate scene: how each one looks (colour, texture, shape) and how it is drawn.

An ingredient is drawn into a float32 BGR canvas and a boolean "covered" map at a spot (centre, radius)
on the plate, in one of four forms:

  pile   an irregular heap filled with a texture (grains, strands, shredded leaves, minced meat)
  pool   a smooth glossy puddle (sauces, soups, dips)
  items  several pieces, each its own shape and shading (slices, cubes, leaves, berries, florets, kernels)
  whole  one or two large pieces (a fried egg, a fish fillet, a slice of bread)

The region an ingredient covers is exactly what was painted, so a segmentation mask made from the
"covered" maps matches the picture pixel for pixel. numpy + OpenCV only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import cv2
import numpy as np

from foodcam.scenes.texture import jitter_colour, noise, scatter

BGR = tuple[float, float, float]


@dataclass(frozen=True)
class Ingredient:
    name: str
    form: str  # "pile" | "pool" | "items" | "whole"
    colour: BGR  # base colour (BGR)
    shape: str = "blob"  # items/whole: "circle" | "square" | "ellipse" | "leaf" | "floret" | "crescent" | ...
    size: tuple[float, float] = (0.1, 0.2)  # piece radius (items/whole) as a fraction of the spot radius
    count: tuple[int, int] = (1, 1)  # pieces per spot (items/whole)
    detail: str = ""  # texture / decoration: "grains", "strands", "seeds", "rind", "veins", "gloss", ...
    accent: BGR = (0, 0, 0)  # second colour used by the detail


# The catalogue: 28 foods of distinct colour, texture and shape (the first `--classes` are used).
INGREDIENTS: tuple[Ingredient, ...] = (
    Ingredient("rice", "pile", (215, 225, 230), detail="grains", accent=(245, 248, 250)),
    Ingredient("noodles", "pile", (90, 190, 230), detail="strands", accent=(120, 215, 245)),
    Ingredient("lettuce", "items", (80, 200, 140), "leaf", (0.525, 0.8), (3, 6), "veins", (160, 235, 200)),
    Ingredient("tomato", "items", (40, 50, 215), "circle", (0.3, 0.45), (3, 6), "seeds", (90, 160, 235)),
    Ingredient("cucumber", "items", (150, 225, 190), "circle", (0.27, 0.39), (3, 7), "rind", (40, 90, 30)),
    Ingredient("carrot", "items", (30, 120, 240), "square", (0.105, 0.165), (8, 16), "facet", (20, 90, 200)),
    Ingredient("potato", "items", (120, 200, 225), "square", (0.18, 0.27), (5, 9), "facet", (70, 150, 190)),
    Ingredient("tofu", "items", (215, 235, 240), "square", (0.21, 0.3), (4, 7), "smooth", (190, 215, 225)),
    Ingredient("beef", "pile", (35, 45, 95), detail="chunks", accent=(25, 30, 60)),
    Ingredient("chicken", "items", (110, 170, 215), "blob", (0.33, 0.48), (2, 4), "grill", (40, 70, 110)),
    Ingredient("salmon", "whole", (110, 140, 245), "slab", (0.7, 0.8), (1, 1), "stripes", (200, 215, 250)),
    Ingredient("fried egg", "whole", (240, 245, 248), "egg", (0.7, 0.8), (1, 1), "yolk", (30, 190, 250)),
    Ingredient("broccoli", "items", (40, 120, 45), "floret", (0.27, 0.39), (3, 6), "bumps", (70, 160, 90)),
    Ingredient("peas", "items", (60, 200, 110), "circle", (0.075, 0.105), (15, 30), "gloss", (150, 245, 190)),
    Ingredient("corn", "items", (40, 200, 245), "square", (0.068, 0.09), (20, 40), "gloss", (150, 235, 255)),
    Ingredient("curry", "pool", (20, 100, 190), detail="oil", accent=(20, 150, 235)),
    Ingredient("tomato sauce", "pool", (25, 25, 160), detail="gloss", accent=(90, 90, 220)),
    Ingredient("cream sauce", "pool", (200, 230, 240), detail="gloss", accent=(250, 252, 255)),
    Ingredient("bread", "whole", (120, 185, 225), "toast", (0.7, 0.8), (1, 2), "crumb", (40, 90, 150)),
    Ingredient("strawberry", "items", (50, 40, 220), "berry", (0.21, 0.3), (3, 6), "seeds", (120, 220, 240)),
    Ingredient("blueberry", "items", (90, 40, 50), "circle", (0.09, 0.128), (10, 22), "bloom", (150, 110, 120)),
    Ingredient("orange", "items", (20, 150, 250), "circle", (0.33, 0.45), (2, 5), "segments", (150, 220, 255)),
    Ingredient("mushroom", "items", (130, 150, 165), "cap", (0.21, 0.3), (4, 8), "gills", (80, 95, 110)),
    Ingredient("cheese", "items", (90, 215, 245), "triangle", (0.3, 0.42), (2, 4), "holes", (60, 170, 215)),
    Ingredient("shrimp", "items", (120, 150, 250), "crescent", (0.24, 0.33), (3, 6), "stripes", (80, 100, 230)),
    Ingredient("spinach", "pile", (30, 90, 30), detail="leaves", accent=(50, 130, 60)),
    Ingredient("banana", "items", (170, 230, 240), "circle", (0.21, 0.285), (4, 8), "centre", (110, 160, 180)),
    Ingredient("avocado", "items", (90, 200, 170), "crescent", (0.33, 0.45), (2, 4), "rind", (30, 80, 40)),
)


def catalogue(n: int) -> tuple[Ingredient, ...]:
    """`n` ingredients: the catalogue's first n, and beyond it variants of its foods in shifted colours
    ("rice 2", ...), so a 103-class set like FoodSeg103's can be rendered too."""
    out = list(INGREDIENTS[:n])
    k = 0
    while len(out) < n:
        base = INGREDIENTS[k % len(INGREDIENTS)]
        turn = 2 + k // len(INGREDIENTS)
        shift = 0.55 + 0.35 * ((k * 7) % 11) / 10
        out.append(replace(base, name=f"{base.name} {turn}", colour=_tint(base.colour, shift, k),
                           accent=_tint(base.accent, shift, k + 3)))
        k += 1
    return tuple(out)


def _tint(bgr: BGR, factor: float, k: int) -> BGR:
    hsv = cv2.cvtColor(np.uint8([[bgr]]), cv2.COLOR_BGR2HSV)[0, 0].astype(np.int32)
    hsv[0] = (hsv[0] + 23 * (k % 7 + 1)) % 180
    hsv[2] = int(np.clip(hsv[2] * factor + 30, 30, 255))
    out = cv2.cvtColor(np.uint8([[hsv]]), cv2.COLOR_HSV2BGR)[0, 0]
    return tuple(float(v) for v in out)


# ------------------------------------------------------------------------------------------- drawing


def draw(img: np.ndarray, cover: np.ndarray, rng: np.random.Generator, ing: Ingredient,
         centre: tuple[float, float], radius: float) -> None:
    """Draw `ing` around `centre` (pixels) within about `radius`; mark what it covers in `cover` (bool)."""
    if ing.form in ("pile", "pool"):
        sub, local = _window(img.shape[:2], centre, 1.6 * radius)
        if sub is None:
            return
        shape = img[sub].shape[:2]
        region = _blob_mask(shape, rng, local, radius, wobble=0.35 if ing.form == "pile" else 0.15)
        _paint(img[sub], cover[sub], region, _surface(rng, ing, shape, radius))
        return
    n = int(rng.integers(ing.count[0], ing.count[1] + 1))
    for _ in range(n):
        r = radius * rng.uniform(*ing.size)
        rho = (radius - r) * np.sqrt(rng.uniform(0, 1)) if n > 1 else rng.uniform(0, 0.2) * radius
        a = rng.uniform(0, 2 * np.pi)
        c = (centre[0] + rho * np.cos(a), centre[1] + rho * np.sin(a))
        _piece(img, cover, rng, ing, c, r)


def _window(shape: tuple[int, int], c: tuple[float, float], half: float):
    """(slices of the canvas around `c` reaching `half` pixels each way, `c` in the window) or (None, None)."""
    x0, y0 = max(0, int(c[0] - half)), max(0, int(c[1] - half))
    x1, y1 = min(shape[1], int(c[0] + half) + 2), min(shape[0], int(c[1] + half) + 2)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None, None
    return (slice(y0, y1), slice(x0, x1)), (c[0] - x0, c[1] - y0)


def _paint(img: np.ndarray, cover: np.ndarray, region: np.ndarray, tex: np.ndarray) -> None:
    """Copy `tex` into `img` where `region` (uint8 0/255, anti-aliased) is set; hard mask at half coverage."""
    alpha = region.astype(np.float32)[:, :, None] * (1 / 255)
    img *= 1 - alpha
    img += alpha * tex
    cover |= region >= 128


def _blob_mask(shape: tuple[int, int], rng: np.random.Generator, centre, radius: float, wobble: float,
               k: int = 14, aspect: float = 1.0, angle: float = 0.0) -> np.ndarray:
    ang = np.sort(rng.uniform(0, 2 * np.pi, k)) if wobble > 0.2 else np.linspace(0, 2 * np.pi, k, endpoint=False)
    rad = radius * np.clip(1 + wobble * rng.standard_normal(k) * 0.5, 0.5, 1.4)
    x, y = rad * np.cos(ang) * aspect, rad * np.sin(ang)
    ca, sa = np.cos(angle), np.sin(angle)
    pts = np.stack([centre[0] + ca * x - sa * y, centre[1] + sa * x + ca * y], 1)
    return _fill(shape, [_smooth_poly(pts)])


def _smooth_poly(pts: np.ndarray, steps: int = 6) -> np.ndarray:
    """A closed Catmull-Rom-ish curve through `pts` (rounded outlines instead of sharp polygon corners)."""
    p = np.concatenate([pts[-1:], pts, pts[:2]])
    out = []
    for i in range(1, len(pts) + 1):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        for t in np.linspace(0, 1, steps, endpoint=False):
            t2, t3 = t * t, t * t * t
            out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
                              + (-p0 + 3 * p1 - 3 * p2 + p3) * t3))
    return np.asarray(out)


def _fill(shape: tuple[int, int], polys: list[np.ndarray]) -> np.ndarray:
    m = np.zeros(shape, np.uint8)
    cv2.fillPoly(m, [np.round(p * 4).astype(np.int32) for p in polys], 255, cv2.LINE_AA, 2)
    return m


def _surface(rng: np.random.Generator, ing: Ingredient, shape: tuple[int, int], radius: float) -> np.ndarray:
    """The texture of a pile or pool over the whole canvas (float32 BGR)."""
    u = max(radius / 40.0, 0.5)
    base = jitter_colour(rng, ing.colour, 10)
    light = 1.0 + 0.12 * noise(rng, shape, 20 * u)
    img = light[:, :, None] * np.asarray(base, np.float32)
    area = shape[0] * shape[1] / (u * u)
    d = ing.detail
    if d == "grains":
        scatter(img, rng, area / 6, (0.7 * u, 1.0 * u), [ing.accent, ing.colour], elongation=2.6, spread=8,
                highlight=15)
    elif d == "strands":
        _strands(img, rng, shape, u, [ing.colour, ing.accent])
    elif d == "chunks":
        img *= (1 + 0.3 * noise(rng, shape, 3 * u, octaves=2))[:, :, None]
        scatter(img, rng, area / 40, (1.0 * u, 2.0 * u), [ing.accent], spread=10)
    elif d == "leaves":
        scatter(img, rng, area / 12, (1.5 * u, 3.0 * u), [ing.colour, ing.accent, (20, 70, 25)], elongation=1.8,
                spread=15)
    elif d in ("oil", "gloss"):
        img *= (1 + 0.06 * noise(rng, shape, 30 * u))[:, :, None]
        scatter(img, rng, area / (60 if d == "oil" else 250), (0.6 * u, 1.6 * u), [ing.accent], spread=10,
                highlight=40 if d == "gloss" else 0)
    return np.clip(img, 0, 255)


def _strands(img: np.ndarray, rng: np.random.Generator, shape: tuple[int, int], u: float, cols: list) -> None:
    h, w = shape
    n = int(h * w / (40 * u * u)) // 10 + 10
    t = np.linspace(0, 1, 12)
    for _ in range(n):
        x0, y0 = rng.uniform(0, w), rng.uniform(0, h)
        a = rng.uniform(0, 2 * np.pi) + np.cumsum(rng.normal(0, 0.5, 12))
        step = rng.uniform(3, 6) * u
        pts = np.stack([x0 + np.cumsum(step * np.cos(a)), y0 + np.cumsum(step * np.sin(a))], 1) + 0 * t[:, None]
        col = jitter_colour(rng, cols[int(rng.integers(len(cols)))], 10)
        cv2.polylines(img, [np.round(pts * 4).astype(np.int32)], False, col, max(1, int(1.6 * u)), cv2.LINE_AA, 2)


# ------------------------------------------------------------------------------------------- pieces


def _piece(img: np.ndarray, cover: np.ndarray, rng: np.random.Generator, ing: Ingredient,
           c: tuple[float, float], r: float) -> None:
    """One piece: its outline (shape), its shaded fill and its decoration (detail)."""
    win, c = _window(img.shape[:2], c, 1.7 * r + 2)
    if win is None:
        return
    img, cover = img[win], cover[win]
    shape = img.shape[:2]
    angle = rng.uniform(0, np.pi)
    region = SHAPES.get(ing.shape, _shape_blob)(shape, rng, c, r, angle)
    ys, xs = np.nonzero(region)
    if len(xs) == 0:
        return
    x0, x1 = max(0, xs.min() - 2), min(shape[1], xs.max() + 3)
    y0, y1 = max(0, ys.min() - 2), min(shape[0], ys.max() + 3)
    sub = (slice(y0, y1), slice(x0, x1))
    base = np.asarray(jitter_colour(rng, ing.colour, 10), np.float32)
    # shading: lit from the top left, darker towards the piece's lower right edge
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    lit = 1.05 - 0.18 * ((xx - c[0]) + (yy - c[1])) / max(r, 1.0) / 2
    tex = lit[:, :, None] * base
    DETAILS.get(ing.detail, lambda *a: None)(tex, rng, ing, (c[0] - x0, c[1] - y0), r, angle)
    _paint(img[sub], cover[sub], region[sub], np.clip(tex, 0, 255))
    edge = cv2.morphologyEx(region[sub], cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)).astype(np.float32) / 255
    img[sub] *= 1 - 0.25 * edge[:, :, None] * (region[sub] > 0)[:, :, None]  # a thin darker outline


def _shape_circle(shape, rng, c, r, angle):
    return _blob_mask(shape, rng, c, r, 0.05, k=16)


def _shape_ellipse(shape, rng, c, r, angle):
    return _blob_mask(shape, rng, c, r, 0.05, k=16, aspect=1.5, angle=angle)


def _shape_blob(shape, rng, c, r, angle):
    return _blob_mask(shape, rng, c, r, 0.3, k=9, aspect=1.3, angle=angle)


def _poly(shape, c, r, angle, pts):
    pts = np.asarray(pts, np.float64) * r
    ca, sa = np.cos(angle), np.sin(angle)
    rot = np.stack([c[0] + ca * pts[:, 0] - sa * pts[:, 1], c[1] + sa * pts[:, 0] + ca * pts[:, 1]], 1)
    return _fill(shape, [rot])


def _shape_square(shape, rng, c, r, angle):
    return _poly(shape, c, r, angle, [(-1, -1), (1, -1), (1, 1), (-1, 1)])


def _shape_triangle(shape, rng, c, r, angle):
    return _poly(shape, c, r, angle, [(-1.1, 0.8), (1.1, 0.8), (0, -1.2)])


def _shape_slab(shape, rng, c, r, angle):
    return _poly(shape, c, r, angle, _smooth_poly(np.array([(-1.2, -0.5), (1.2, -0.6), (1.3, 0.5), (-1.1, 0.6)]), 4))


def _shape_toast(shape, rng, c, r, angle):
    top = [(-0.9, -0.55), (-0.75, -0.95), (0, -1.05), (0.75, -0.95), (0.9, -0.55)]
    return _poly(shape, c, r, angle, [*top, (0.85, 0.9), (-0.85, 0.9)])


def _shape_leaf(shape, rng, c, r, angle):
    t = np.linspace(0, np.pi, 12)
    upper = np.stack([np.cos(t) * 1.2, -np.sin(t) * 0.55 * (1 + 0.15 * rng.standard_normal(12))], 1)
    lower = np.stack([np.cos(t[::-1]) * 1.2, np.sin(t[::-1]) * 0.55 * (1 + 0.15 * rng.standard_normal(12))], 1)
    return _poly(shape, c, r, angle, np.concatenate([upper, lower]))


def _shape_floret(shape, rng, c, r, angle):
    m = _poly(shape, c, r, angle, [(-0.2, 0.2), (0.2, 0.2), (0.15, 1.1), (-0.15, 1.1)])  # stem
    ca, sa = np.cos(angle), np.sin(angle)
    for _ in range(6):
        dx, dy = rng.uniform(-0.6, 0.6), rng.uniform(-0.7, 0.0)
        m |= _blob_mask(shape, rng, (c[0] + (ca * dx - sa * dy) * r, c[1] + (sa * dx + ca * dy) * r),
                        0.45 * r, 0.1, k=10)
    return m


def _shape_crescent(shape, rng, c, r, angle):
    t = np.linspace(-1.2, 1.2, 14)
    outer = np.stack([np.sin(t), -np.cos(t)], 1) * 1.0
    inner = (np.stack([np.sin(t[::-1]), -np.cos(t[::-1])], 1) * 0.55) + (0, -0.2)
    return _poly(shape, c, r, angle, np.concatenate([outer, inner]))


def _shape_berry(shape, rng, c, r, angle):
    t = np.linspace(0, 2 * np.pi, 20, endpoint=False)
    pts = np.stack([np.sin(t) * (0.85 - 0.35 * np.cos(t) * 0.6), -np.cos(t) * 1.1], 1)
    return _poly(shape, c, r, angle, pts)


def _shape_cap(shape, rng, c, r, angle):
    t = np.linspace(0, np.pi, 14)
    dome = np.stack([np.cos(t) * 1.1, -np.sin(t) * 0.8], 1)
    return _poly(shape, c, r, angle, np.concatenate([dome, [(-0.25, 0.0), (-0.2, 0.7), (0.2, 0.7), (0.25, 0.0)]]))


def _shape_egg(shape, rng, c, r, angle):
    return _blob_mask(shape, rng, c, r, 0.35, k=10, aspect=1.2, angle=angle)


SHAPES: dict[str, Callable] = {
    "circle": _shape_circle, "ellipse": _shape_ellipse, "blob": _shape_blob, "square": _shape_square,
    "triangle": _shape_triangle, "slab": _shape_slab, "toast": _shape_toast, "leaf": _shape_leaf,
    "floret": _shape_floret, "crescent": _shape_crescent, "berry": _shape_berry, "cap": _shape_cap,
    "egg": _shape_egg,
}


# ------------------------------------------------------------------------------------------- details


def _d_seeds(tex, rng, ing, c, r, angle):
    n = int(10 + r)
    a, rho = rng.uniform(0, 2 * np.pi, n), r * rng.uniform(0.2, 0.6, n)
    for ai, ri in zip(a, rho):
        cv2.ellipse(tex, (int(c[0] + ri * np.cos(ai)), int(c[1] + ri * np.sin(ai))),
                    (max(1, int(r * 0.08)), max(1, int(r * 0.05))), float(np.degrees(ai)), 0, 360, ing.accent, -1)


def _d_rind(tex, rng, ing, c, r, angle):
    cv2.circle(tex, (int(c[0]), int(c[1])), int(r * 1.05), ing.accent, max(1, int(r * 0.18)), cv2.LINE_AA)
    if ing.shape == "circle":
        _d_seeds(tex, rng, replace(ing, accent=tuple(v * 0.9 for v in ing.colour)), c, r * 0.6, angle)


def _d_veins(tex, rng, ing, c, r, angle):
    ca, sa = np.cos(angle), np.sin(angle)
    p0 = (int(c[0] - 1.1 * r * ca), int(c[1] - 1.1 * r * sa))
    p1 = (int(c[0] + 1.1 * r * ca), int(c[1] + 1.1 * r * sa))
    cv2.line(tex, p0, p1, ing.accent, max(1, int(r * 0.08)), cv2.LINE_AA)
    for t in np.linspace(-0.7, 0.7, 5):
        q = (c[0] + t * r * ca, c[1] + t * r * sa)
        for s in (-1, 1):
            e = (int(q[0] + 0.5 * r * (ca * 0.5 - s * sa)), int(q[1] + 0.5 * r * (sa * 0.5 + s * ca)))
            cv2.line(tex, (int(q[0]), int(q[1])), e, ing.accent, 1, cv2.LINE_AA)


def _d_facet(tex, rng, ing, c, r, angle):
    cv2.circle(tex, (int(c[0] - 0.3 * r), int(c[1] - 0.3 * r)), max(1, int(0.5 * r)),
               [min(255.0, v * 1.12) for v in ing.colour], -1, cv2.LINE_AA)


def _d_grill(tex, rng, ing, c, r, angle):
    for t in np.linspace(-0.8, 0.8, 4):
        d = (np.cos(angle + 0.8), np.sin(angle + 0.8))
        n = (-d[1], d[0])
        q = (c[0] + t * r * n[0], c[1] + t * r * n[1])
        cv2.line(tex, (int(q[0] - 1.5 * r * d[0]), int(q[1] - 1.5 * r * d[1])),
                 (int(q[0] + 1.5 * r * d[0]), int(q[1] + 1.5 * r * d[1])), ing.accent, max(1, int(r * 0.12)),
                 cv2.LINE_AA)


def _d_stripes(tex, rng, ing, c, r, angle):
    for t in np.linspace(-1.0, 1.0, 6):
        d = (np.cos(angle + 1.2), np.sin(angle + 1.2))
        q = (c[0] + t * r * np.cos(angle), c[1] + t * r * np.sin(angle))
        cv2.line(tex, (int(q[0] - r * d[0]), int(q[1] - r * d[1])), (int(q[0] + r * d[0]), int(q[1] + r * d[1])),
                 ing.accent, max(1, int(r * 0.06)), cv2.LINE_AA)


def _d_yolk(tex, rng, ing, c, r, angle):
    cv2.circle(tex, (int(c[0] + rng.uniform(-0.2, 0.2) * r), int(c[1] + rng.uniform(-0.2, 0.2) * r)),
               int(r * rng.uniform(0.3, 0.4)), ing.accent, -1, cv2.LINE_AA)


def _d_bumps(tex, rng, ing, c, r, angle):
    h, w = tex.shape[:2]
    scatter(tex, rng, int(6 + r * 1.5), (0.06 * r, 0.12 * r), [ing.accent, ing.colour], spread=15)
    del h, w


def _d_gloss(tex, rng, ing, c, r, angle):
    cv2.circle(tex, (int(c[0] - 0.35 * r), int(c[1] - 0.35 * r)), max(1, int(0.3 * r)), ing.accent, -1,
               cv2.LINE_AA)


def _d_crumb(tex, rng, ing, c, r, angle):
    h, w = tex.shape[:2]
    tex *= (1 + 0.12 * noise(rng, (h, w), max(1.5, r * 0.06), octaves=1))[:, :, None]
    scatter(tex, rng, int(r * 0.8), (0.015 * r + 0.5, 0.03 * r + 0.5), [tuple(v * 0.75 for v in ing.colour)])
    mask = np.zeros((h, w), np.uint8)
    ca, sa = np.cos(angle), np.sin(angle)
    outline = np.array([(-0.9, -0.55), (-0.75, -0.95), (0, -1.05), (0.75, -0.95), (0.9, -0.55), (0.85, 0.9),
                        (-0.85, 0.9)]) * r
    pts = np.stack([c[0] + ca * outline[:, 0] - sa * outline[:, 1], c[1] + sa * outline[:, 0] + ca * outline[:, 1]], 1)
    cv2.polylines(mask, [np.round(pts).astype(np.int32)], True, 255, max(2, int(r * 0.12)))
    tex[mask > 0] = ing.accent


def _d_bloom(tex, rng, ing, c, r, angle):
    cv2.circle(tex, (int(c[0] - 0.3 * r), int(c[1] - 0.3 * r)), max(1, int(0.35 * r)), ing.accent, -1, cv2.LINE_AA)


def _d_segments(tex, rng, ing, c, r, angle):
    cv2.circle(tex, (int(c[0]), int(c[1])), int(r), (30, 120, 235), max(1, int(r * 0.12)), cv2.LINE_AA)
    for k in range(8):
        a = angle + k * np.pi / 4
        cv2.line(tex, (int(c[0]), int(c[1])), (int(c[0] + 0.85 * r * np.cos(a)), int(c[1] + 0.85 * r * np.sin(a))),
                 ing.accent, max(1, int(r * 0.06)), cv2.LINE_AA)


def _d_gills(tex, rng, ing, c, r, angle):
    for t in np.linspace(-0.9, 0.9, 7):
        cv2.line(tex, (int(c[0]), int(c[1] + 0.1 * r)), (int(c[0] + t * r), int(c[1] - 0.6 * r)), ing.accent, 1,
                 cv2.LINE_AA)


def _d_holes(tex, rng, ing, c, r, angle):
    for _ in range(3):
        cv2.circle(tex, (int(c[0] + rng.uniform(-0.5, 0.5) * r), int(c[1] + rng.uniform(-0.2, 0.5) * r)),
                   max(1, int(rng.uniform(0.1, 0.18) * r)), ing.accent, -1, cv2.LINE_AA)


def _d_centre(tex, rng, ing, c, r, angle):
    for k in range(3):
        a = angle + k * 2 * np.pi / 3
        cv2.circle(tex, (int(c[0] + 0.25 * r * np.cos(a)), int(c[1] + 0.25 * r * np.sin(a))), max(1, int(0.08 * r)),
                   ing.accent, -1, cv2.LINE_AA)


DETAILS: dict[str, Callable] = {
    "seeds": _d_seeds, "rind": _d_rind, "veins": _d_veins, "facet": _d_facet, "grill": _d_grill,
    "stripes": _d_stripes, "yolk": _d_yolk, "bumps": _d_bumps, "gloss": _d_gloss, "crumb": _d_crumb,
    "bloom": _d_bloom, "segments": _d_segments, "gills": _d_gills, "holes": _d_holes, "centre": _d_centre,
}

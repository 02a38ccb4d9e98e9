"""The pan (drawn into the background) and the stirrer (a sprite warped into each frame).

A pan is a tapered cylinder seen from above and in front: the rim is an ellipse, the bottom a smaller
ellipse shifted down by the depth, the far inner wall shows between them, the near outer wall below.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import cv2
import numpy as np

from foodcam.scenes.texture import jitter_colour, noise
from foodcam.scenes.utensils import make_wire_tool

# name -> (inside BGR, outside BGR, rim BGR, shine 0..1)
PAN_MATERIALS = {
    "steel": ((150, 150, 155), (165, 165, 170), (200, 200, 205), 0.9),
    "nonstick": ((48, 45, 48), (40, 40, 150), (150, 150, 155), 0.5),
    "iron": ((55, 58, 62), (45, 48, 52), (95, 98, 102), 0.4),
    "anodised": ((60, 58, 55), (55, 52, 50), (120, 120, 122), 0.5),
    "copper": ((70, 110, 175), (60, 95, 170), (120, 160, 215), 0.8),
    "enamel": ((225, 228, 230), (40, 40, 160), (60, 60, 70), 0.6),
}
STIRRERS = ("wooden_spatula", "wooden_spoon", "steel_ladle", "steel_turner", "nylon_spatula",
            "silicone_spatula", "steel_spoon", "chopsticks", "whisk")
# vessel -> ranges of (depth / (a * sqrt(1 - k^2)), floor radius / rim radius, rim thickness in units),
# and the weight of a long handle vs two loops
VESSELS = {
    "pan": ((0.35, 0.7), (0.8, 0.92), (2.5, 5.0), 0.55),
    "wok": ((0.8, 1.2), (0.4, 0.6), (1.5, 3.0), 0.5),
    "pot": ((1.0, 1.6), (0.93, 1.0), (2.0, 4.0), 0.0),
}


@dataclass(frozen=True)
class PanGeom:
    cx: float  # rim centre, pixels
    cy: float
    a: float  # rim half-width
    k: float  # ellipse ratio (1 = seen straight from above)
    depth: float  # how far down the bottom ellipse is drawn
    taper: float  # bottom radius / rim radius
    rim: float  # rim thickness

    @property
    def inner(self) -> tuple[float, float]:
        """Half-axes of the opening inside the rim."""
        return self.a - self.rim, (self.a - self.rim) * self.k

    @property
    def bottom(self) -> tuple[float, float, float, float]:
        """(cx, cy, ax, ay) of the pan's floor."""
        ax = (self.a - self.rim) * self.taper
        return self.cx, self.cy + self.depth, ax, ax * self.k


def _ell(img, cx, cy, ax, ay, colour, thickness=-1, start=0, end=360) -> None:
    cv2.ellipse(img, (int(round(cx * 4)), int(round(cy * 4))), (int(round(ax * 4)), int(round(ay * 4))),
                0, start, end, colour, thickness, cv2.LINE_AA, 2)


def draw_pan(img: np.ndarray, rng: np.random.Generator, g: PanGeom, unit: float, light_angle: float,
             material: str = "steel", long_handle_p: float = 0.55) -> np.ndarray:
    """Draw a pan into a float32 BGR image in place; return the uint8 mask of its opening (255 inside rim)."""
    h, w = img.shape[:2]
    mat = PAN_MATERIALS[material]
    colours = [jitter_colour(rng, c, 12) for c in mat[:3]]
    _handles(img, rng, g, unit, light_angle, long_handle_p)
    # everything else happens inside the pan's bounding box (plus room for its soft shadow)
    pad = 0.45 * g.a
    x0, x1 = max(0, int(g.cx - g.a - pad)), min(w, int(g.cx + g.a + pad) + 1)
    y0 = max(0, int(g.cy - g.a * g.k - pad))
    y1 = min(h, int(g.cy + g.depth + g.a * g.k + pad) + 1)
    opening = np.zeros((h, w), np.uint8)
    if x1 > x0 and y1 > y0:
        local = replace(g, cx=g.cx - x0, cy=g.cy - y0)
        roi = img[y0:y1, x0:x1]
        roi[:] = _pan_body(roi, rng, local, unit, light_angle, colours, mat[3], opening[y0:y1, x0:x1])
    return opening


def _pan_body(img: np.ndarray, rng: np.random.Generator, g: PanGeom, unit: float, light_angle: float,
              colours: list, shine: float, opening: np.ndarray) -> np.ndarray:
    inside, outside, rim_col = (np.asarray(c, np.float32) for c in colours)
    h, w = img.shape[:2]
    lx, ly = math.cos(light_angle), math.sin(light_angle)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    bx, by, bax, bay = g.bottom

    # shadow on the counter
    q = 4  # a wide soft shadow: drawn and blurred at quarter resolution
    sh = np.zeros(((h + q - 1) // q, (w + q - 1) // q), np.float32)
    _ell(sh, (g.cx - lx * 0.12 * g.a) / q, (by - ly * 0.1 * g.a) / q, g.a * 1.05 / q,
         (g.a * g.k * 1.05 + g.depth * 0.5) / q, 1.0)
    sh = cv2.resize(cv2.GaussianBlur(sh, (0, 0), 0.12 * g.a / q), (w, h), interpolation=cv2.INTER_LINEAR)
    img = img * (1 - 0.55 * sh[:, :, None])

    # body: rim ellipse + floor ellipse + the hull between them, shaded like a vertical cylinder
    body = np.zeros((h, w), np.uint8)
    _ell(body, g.cx, g.cy, g.a, g.a * g.k, 255)
    _ell(body, bx, by, bax * 1.02 + g.rim, bay * 1.02 + g.rim * g.k, 255)
    quad = np.array([[g.cx - g.a, g.cy], [g.cx + g.a, g.cy], [bx + bax + g.rim, by], [bx - bax - g.rim, by]])
    cv2.fillPoly(body, [(quad * 4).round().astype(np.int32)], 255, cv2.LINE_AA, 2)
    u = np.clip((xx[0] - g.cx) / g.a, -1, 1)
    cyl = 0.45 + 0.4 * np.sqrt(1 - u * u) + shine * 0.5 * np.exp(-(((u + 0.45 * lx) / 0.12) ** 2))
    _blend(img, body, np.broadcast_to(cyl[None, :, None] * outside, img.shape))

    # rim ring, brighter where it faces the light
    ring = np.zeros((h, w), np.uint8)
    _ell(ring, g.cx, g.cy, g.a, g.a * g.k, 255)
    dx, dy = xx - g.cx, (yy - g.cy) / g.k
    dist = np.sqrt(dx * dx + dy * dy) + 1e-3
    facing = (dx * lx + dy * ly) / dist
    rim_v = 0.65 + 0.2 * facing + shine * 0.8 * np.clip(facing, 0, 1) ** 12
    _blend(img, ring, rim_v[:, :, None] * rim_col)

    # opening: far inner wall, then the floor with radial shading, brushed rings and a soft reflection
    ix, iy = g.inner
    _ell(opening, g.cx, g.cy, ix, iy, 255)
    wall_v = 0.5 + 0.25 * np.clip((yy - (g.cy - iy)) / (g.depth + iy + 1e-6), 0, 1) - 0.15 * facing
    fx, fy = (xx - bx) / bax, (yy - by) / bay
    r2 = fx * fx + fy * fy
    rings = bax / (2.5 * unit)  # fine concentric marks of a spun metal floor
    brushed = (0.03 * shine) * np.sin(np.sqrt(r2) * rings + 0.8 * noise(rng, (h, w), 30 * unit))
    sx, sy = fx + 0.35 * lx, fy + 0.35 * ly
    spot = np.exp(-(sx * sx / 0.12 + sy * sy / 0.09))
    floor_v = 0.7 + 0.25 * np.clip(1 - r2, 0, 1) + brushed + shine * 0.6 * spot
    floor = np.zeros((h, w), np.float32)
    _ell(floor, bx, by, bax, bay, 1.0)
    floor = cv2.GaussianBlur(floor, (0, 0), max(0.7, 0.04 * bax))
    inner_v = wall_v * (1 - floor) + floor * floor_v
    _blend(img, opening, inner_v[:, :, None] * inside)
    # a thin dark lip inside the rim and a hot highlight arc on the lit side
    _ell(img, g.cx, g.cy, ix, iy, tuple(float(v) * 0.35 for v in inside), max(1, int(round(0.8 * unit))))
    la = math.degrees(math.atan2(ly, lx))
    hi = tuple(min(255.0, float(v) * 1.25 + 40) for v in rim_col)
    _ell(img, g.cx, g.cy, g.a - g.rim / 2, (g.a - g.rim / 2) * g.k, hi, max(1, int(round(g.rim * 0.4))),
         la + 180 - 35, la + 180 + 35)
    return img


def _blend(img: np.ndarray, mask8: np.ndarray, layer: np.ndarray) -> None:
    """img = layer where mask8 is 255, img where 0, mixed on anti-aliased edges (in place)."""
    a = mask8.astype(np.float32) * np.float32(1 / 255)
    img[:] = cv2.blendLinear(np.ascontiguousarray(layer, np.float32), np.ascontiguousarray(img), a, 1 - a)


def _handles(img: np.ndarray, rng: np.random.Generator, g: PanGeom, unit: float, light_angle: float,
             long_handle_p: float) -> None:
    """A long handle (frying pan) or two loops (kadai, pot), drawn before the body so the body covers their roots."""
    col = jitter_colour(rng, rng.choice([(30, 30, 32), (45, 60, 90), (150, 150, 155)]), 8)
    hi = tuple(min(255.0, v + 70) for v in col)
    if rng.random() < long_handle_p:
        phi = rng.choice([0.0, np.pi]) + rng.uniform(-0.6, 0.6)
        d = np.array([np.cos(phi), np.sin(phi) * g.k])
        d /= np.linalg.norm(d)
        n = np.array([-d[1], d[0]])
        root = np.array([g.cx, g.cy + g.depth * 0.3]) + d * g.a * 0.95
        length = g.a * rng.uniform(0.9, 1.5)
        w0, w1 = 0.09 * g.a, 0.07 * g.a
        pts = np.array([root + n * w0, root + d * length + n * w1, root + d * length - n * w1, root - n * w0])
        cv2.fillPoly(img, [pts.round().astype(np.int32)], col, cv2.LINE_AA)
        cv2.circle(img, tuple((root + d * length * 0.93).round().astype(int)), max(1, int(w1 * 0.35)),
                   tuple(v * 0.4 for v in col), -1, cv2.LINE_AA)
        cv2.line(img, tuple((root + n * w0 * 0.4).round().astype(int)),
                 tuple((root + d * length * 0.97 + n * w1 * 0.4).round().astype(int)), hi,
                 max(1, int(0.25 * w1)), cv2.LINE_AA)
    else:
        t = max(2, int(round(0.05 * g.a)))
        for side in (-1, 1):
            cx = g.cx + side * g.a * 1.0
            _ell(img, cx, g.cy + g.depth * 0.3, 0.13 * g.a, 0.2 * g.a * g.k, col, t)
            _ell(img, cx, g.cy + g.depth * 0.3 - t * 0.3, 0.13 * g.a, 0.2 * g.a * g.k, hi, max(1, t // 3), 200, 250)


def make_stirrer(rng: np.random.Generator, unit: float, length: float,
                 food_bgr: tuple[float, float, float], kind: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A stirrer sprite lying along +x with its head's tip at x=0: (BGR uint8 (h, L, 3), alpha uint8 (h, L))."""
    kind = kind or STIRRERS[int(rng.integers(len(STIRRERS)))]
    if kind in ("chopsticks", "whisk"):
        return make_wire_tool(rng, kind, unit, length)
    wooden = kind.startswith("wooden")
    head_len = rng.uniform(40, 65) * unit
    head_w = rng.uniform(11, 18) * unit
    handle_w = rng.uniform(3.0, 4.5) * unit * (1.3 if wooden else 1.0)
    if kind == "steel_ladle":
        head_len = head_w * 2 * rng.uniform(1.05, 1.25)
    neck = rng.uniform(8, 16) * unit
    L = int(length)
    hs = int(np.ceil(2 * head_w + 4 * unit)) | 1
    y0 = hs / 2
    x = np.arange(L, dtype=np.float32) + 0.5
    if kind in ("wooden_spoon", "steel_ladle", "steel_spoon"):
        t = np.clip((x - head_len / 2) / (head_len / 2), -1, 1)
        head = head_w * np.sqrt(np.clip(1 - t * t, 0, 1))
    else:  # flat blade, rounded tip
        head = np.full_like(x, head_w)
        tip = rng.uniform(0.2, 0.5) * head_w
        head = np.minimum(head, head_w * np.sqrt(np.clip(x / tip, 0, 1)))
    hw = np.where(x < head_len, head, 0.0)
    t = np.clip((x - head_len) / neck, 0, 1)
    neck_w = head_w * 0.45 * (1 - t) + handle_w * t
    if kind in ("wooden_spoon", "steel_ladle", "steel_spoon"):
        neck_w = np.minimum(neck_w, handle_w * 1.3)
    hw = np.where(x >= head_len * 0.9, np.maximum(hw, np.where(x < head_len + neck, neck_w, handle_w)), hw)
    hw = np.where(x >= head_len + neck, handle_w * (1 + 0.25 * (x - head_len) / L), hw)

    # alpha at 4x precision via fillPoly shift, anti-aliased
    alpha = np.zeros((hs, L), np.uint8)
    xs = np.arange(0, L, 2, dtype=np.float32)
    top = np.stack([xs, y0 - np.interp(xs, x, hw)], 1)
    bot = np.stack([xs, y0 + np.interp(xs, x, hw)], 1)[::-1]
    cv2.fillPoly(alpha, [(np.concatenate([top, bot]) * 4).round().astype(np.int32)], 255, cv2.LINE_AA, 2)

    yy = np.arange(hs, dtype=np.float32)[:, None] - y0
    v = np.clip(yy / np.maximum(hw[None, :], 1e-3), -1, 1)
    cylinder = 0.55 + 0.45 * np.sqrt(1 - v * v)
    in_head = (x < head_len)[None, :]
    if kind in ("wooden_spoon", "steel_ladle", "steel_spoon"):
        tt = np.clip((x - head_len / 2) / (head_len / 2), -1, 1)[None, :]
        r2 = np.clip(tt * tt + v * v, 0, 1)
        bowl = 0.55 + 0.45 * r2  # concave: darker inside, bright lip
        shape_v = np.where(in_head, bowl, cylinder)
    else:
        shape_v = np.where(in_head, 0.85 + 0.1 * v, cylinder)

    if wooden:
        base = jitter_colour(rng, rng.choice([(70, 125, 180), (45, 85, 135), (95, 150, 200)]), 15)
        grain = np.sin(yy * (0.9 / unit) + 4 * noise(rng, (hs, L), 20 * unit, aspect=10))
        tex = 1 + 0.08 * grain + 0.06 * noise(rng, (hs, L), 6 * unit, aspect=6)
        spec, shine = 0.15, 0.0
    elif kind in ("nylon_spatula", "silicone_spatula"):
        colours = [(32, 32, 35), (40, 40, 120)] if kind == "nylon_spatula" else \
            [(50, 50, 200), (160, 150, 40), (60, 160, 70), (40, 130, 230), (225, 225, 225), (150, 60, 140)]
        base = jitter_colour(rng, colours[int(rng.integers(len(colours)))], 10)
        tex = 1 + 0.03 * noise(rng, (hs, L), 3 * unit)
        spec, shine = 0.35, 60.0
    else:
        base = jitter_colour(rng, (170, 170, 175), 10)
        tex = 1 + 0.05 * noise(rng, (hs, L), 4 * unit, aspect=12)
        spec, shine = 0.6, 90.0
    hl = np.exp(-(((v + 0.4) / 0.2) ** 2)) * spec
    val = shape_v * tex
    img = val[:, :, None] * np.asarray(base, np.float32) + (hl * (120 + shine))[:, :, None]
    if rng.random() < 0.6:  # food stuck on the head
        smear = np.zeros((hs, L), np.float32)
        for _ in range(int(rng.integers(2, 7))):
            c = (int(rng.uniform(0.1, 0.9) * head_len), int(y0 + rng.uniform(-0.6, 0.6) * head_w))
            ax = (max(1, int(rng.uniform(2, 7) * unit)), max(1, int(rng.uniform(1.5, 4) * unit)))
            cv2.ellipse(smear, c, ax, float(rng.uniform(0, 180)), 0, 360, 1.0, -1, cv2.LINE_AA)
        smear *= in_head
        food = np.asarray(food_bgr, np.float32) * (0.9 + 0.15 * noise(rng, (hs, L), 2 * unit))[:, :, None]
        img = img * (1 - smear[:, :, None]) + food * smear[:, :, None]
    return np.clip(img, 0, 255).astype(np.uint8), alpha

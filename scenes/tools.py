"""Hand-held tools drawn from distributions, not from a catalogue: a head of some shape on a handle of some
length, each part of some material in some colour, and the act of putting one into any kitchen frame.

`random_tool` draws one tool as a sprite lying along +x with its tip at x = 0 (BGR and alpha, as
`utensils.make_wire_tool`). `paste_tools` puts one or two of them into a frame and its class mask: lit like the
frame, casting a shadow, sometimes partly under the food, sometimes held by a hand (background). Training
pastes them into rendered and user frames alike, so a model learns "a long thing with a handle in or over the
pan" rather than the few utensils a renderer happens to draw.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from foodcam.scenes.texture import noise
from foodcam.scenes.utensils import Hand, make_wire_tool

HEADS = ("spoon", "ladle", "spatula", "turner", "slotted", "fork", "paddle", "skimmer", "tongs", "brush",
         "wire", "none")
HEAD_WEIGHTS = np.array([3, 2, 3, 3, 2, 1, 2, 1, 2, 1, 2, 1], np.float64)
MATERIALS = ("wood", "metal", "plastic", "dark")
SUB = 4  # sub-pixel precision of the sprite's outlines (cv2 shift=2)


@dataclass(frozen=True)
class Classes:
    """The class indices `paste_tools` writes (the kitchen task's order by default)."""

    stirrer: int = 0
    pan: int = 1
    food: int = 2


def _pts(points) -> np.ndarray:
    return (np.asarray(points, np.float32) * SUB).round().astype(np.int32)


def _fill(alpha: np.ndarray, points, value: int = 255) -> None:
    cv2.fillPoly(alpha, [_pts(points)], value, cv2.LINE_AA, 2)


def _ellipse(alpha: np.ndarray, c, axes, value: int = 255, angle: float = 0.0) -> None:
    cv2.ellipse(alpha, (int(round(c[0] * SUB)), int(round(c[1] * SUB))),
                (max(1, int(round(axes[0] * SUB))), max(1, int(round(axes[1] * SUB)))),
                angle, 0, 360, value, -1, cv2.LINE_AA, 2)


def _line(alpha: np.ndarray, a, b, width: float, value: int = 255) -> None:
    cv2.line(alpha, (int(round(a[0] * SUB)), int(round(a[1] * SUB))), (int(round(b[0] * SUB)), int(round(b[1] * SUB))),
             value, max(1, int(round(width))), cv2.LINE_AA, 2)


def material_colour(rng: np.random.Generator, kind: str) -> np.ndarray:
    """A BGR base colour for a material; plastics take any hue, the food's and the pan's included."""
    if kind == "wood":
        hsv = (rng.uniform(8, 22), rng.uniform(0.25, 0.75), rng.uniform(0.3, 0.9))
    elif kind == "metal":
        hsv = (rng.uniform(0, 180), rng.uniform(0, 0.08), rng.uniform(0.45, 0.92))
    elif kind == "dark":
        hsv = (rng.uniform(0, 180), rng.uniform(0, 0.3), rng.uniform(0.06, 0.25))
    else:
        hsv = (rng.uniform(0, 180), rng.uniform(0.25, 1.0), rng.uniform(0.25, 0.98))
    px = np.array([[[hsv[0], hsv[1] * 255, hsv[2] * 255]]], np.uint8)
    return cv2.cvtColor(px, cv2.COLOR_HSV2BGR)[0, 0].astype(np.float32)


def _surface(rng: np.random.Generator, kind: str, shape: tuple[int, int], unit: float) -> np.ndarray:
    """float32 (h, L, 3) BGR: a material's colour with its texture and the shading of a rounded part."""
    h, L = shape
    base = material_colour(rng, kind)
    yy = (np.arange(h, dtype=np.float32)[:, None] - h / 2) / max(h / 2, 1)
    roundness = rng.uniform(0.1, 0.45)
    light = rng.uniform(-0.8, 0.8)  # where across the part the light falls
    value = 1.0 - roundness * (yy - light * 0.3) ** 2 + np.zeros((1, L), np.float32)
    if kind == "wood":
        grain = noise(rng, (h, L), rng.uniform(3, 8) * unit, aspect=rng.uniform(6, 20))
        value = value + rng.uniform(0.06, 0.2) * grain
    elif kind == "metal":
        band = np.clip(np.cos((yy - light * 0.5) * rng.uniform(4, 10)), 0, 1) ** rng.uniform(4, 16)
        img = value[:, :, None] * base + rng.uniform(40, 110) * band[:, :, None]
        img += 12 * noise(rng, (h, L), 6 * unit, aspect=6)[:, :, None]  # reflections of the room
        return img
    else:
        value = value + 0.03 * noise(rng, (h, L), 4 * unit)
        spec = np.clip(np.cos((yy - light * 0.5) * 6), 0, 1) ** 24 * rng.uniform(0, 60)
        return value[:, :, None] * base + spec[:, :, None]
    return value[:, :, None] * base


def _head(rng: np.random.Generator, kind: str, alpha: np.ndarray, y0: float, hl: float, hw: float,
          unit: float) -> float:
    """Draw a head of `kind` (length hl, half-width hw) from x=0 into alpha; returns where the handle starts."""
    if kind == "spoon":
        _ellipse(alpha, (hl / 2, y0), (hl / 2, hw))
    elif kind == "ladle":
        r = hw
        _ellipse(alpha, (r, y0), (r, r * rng.uniform(0.85, 1.0)))
        return 2 * r * 0.95
    elif kind in ("spatula", "paddle"):
        tip_w = hw * (rng.uniform(0.7, 1.0) if kind == "spatula" else rng.uniform(0.8, 1.1))
        bevel = rng.uniform(-0.4, 0.4) * hw
        _fill(alpha, [(max(0.0, bevel), y0 - tip_w), (hl, y0 - hw * 0.6), (hl, y0 + hw * 0.6),
                      (max(0.0, -bevel), y0 + tip_w)])
        _ellipse(alpha, (tip_w * 0.6, y0), (tip_w * 0.6, tip_w))  # rounded tip
    elif kind in ("turner", "slotted"):
        if kind == "turner":
            _fill(alpha, [(0, y0 - hw), (hl, y0 - hw * 0.35), (hl, y0 + hw * 0.35), (0, y0 + hw)])
        else:
            _ellipse(alpha, (hl / 2, y0), (hl / 2, hw))
        for k in range(int(rng.integers(2, 6))):  # slots or holes: the food shows through
            t = (k + 1) / 7 * hl + rng.uniform(0.3, 0.7) * hl / 7
            if kind == "turner":
                _line(alpha, (t, y0 - hw * 0.5), (t, y0 + hw * 0.5), rng.uniform(1.0, 2.5) * unit * SUB, 0)
            else:
                _ellipse(alpha, (t * 0.9, y0 + rng.uniform(-0.4, 0.4) * hw), (1.6 * unit, 1.6 * unit), 0)
    elif kind == "fork":
        n = int(rng.integers(2, 5))
        base_x = hl * rng.uniform(0.55, 0.75)
        for f in np.linspace(-1, 1, n):
            _line(alpha, (0, y0 + f * hw * 0.8), (base_x, y0 + f * hw * 0.8), rng.uniform(0.9, 1.6) * unit * SUB)
        _fill(alpha, [(base_x, y0 - hw * 0.9), (hl, y0 - hw * 0.3), (hl, y0 + hw * 0.3), (base_x, y0 + hw * 0.9)])
    elif kind == "skimmer":
        r = hw
        cv2.ellipse(alpha, (int(r * SUB), int(y0 * SUB)), (int(r * SUB), int(r * SUB)), 0, 0, 360, 255,
                    max(1, int(1.5 * unit * SUB)), cv2.LINE_AA, 2)
        step = rng.uniform(2.5, 5) * unit
        for g in np.arange(-r, r, step):  # the mesh
            c = np.sqrt(max(r * r - g * g, 0))
            _line(alpha, (r + g, y0 - c), (r + g, y0 + c), 0.8 * unit * SUB)
            _line(alpha, (r - c, y0 + g), (r + c, y0 + g), 0.8 * unit * SUB)
        return 2 * r * 0.95
    elif kind == "brush":
        for _ in range(int(rng.integers(12, 30))):
            dy = rng.uniform(-hw, hw)
            _line(alpha, (rng.uniform(0, hl * 0.2), y0 + dy), (hl, y0 + dy * 0.5), 0.8 * unit * SUB)
    return hl


def random_tool(rng: np.random.Generator, length: float, unit: float) -> tuple[np.ndarray, np.ndarray]:
    """One hand-held tool lying along +x, tip at x=0: (BGR uint8 (h, L, 3), alpha uint8 (h, L)).

    Head shape, proportions and materials are drawn at random; `length` is the whole tool in pixels, `unit` the
    scene's scale (1 at 240 px)."""
    kind = str(rng.choice(HEADS, p=HEAD_WEIGHTS / HEAD_WEIGHTS.sum()))
    L = max(8, int(length))
    if kind == "wire":
        bgr, alpha = make_wire_tool(rng, str(rng.choice(["chopsticks", "whisk"])), unit, L)
        return bgr, alpha
    hw = rng.uniform(5, 22) * unit  # half-width of the head
    if kind == "tongs":
        hw = rng.uniform(6, 14) * unit
    handle_w = rng.uniform(1.2, 4.0) * unit
    h = int(np.ceil(2 * max(hw, handle_w * 1.6) + 6 * unit)) | 1
    y0 = h / 2
    alpha = np.zeros((h, L), np.uint8)
    head_alpha = np.zeros_like(alpha)
    hl = min(rng.uniform(0.15, 0.45) * L, rng.uniform(1.2, 4.0) * hw + 10 * unit)
    if kind == "tongs":
        gap = hw
        for side in (-1, 1):
            w0 = rng.uniform(1.5, 3.5) * unit
            _fill(head_alpha, [(0, y0 + side * gap - w0), (L, y0 + side * w0 * 0.6 - w0 * 0.6),
                               (L, y0 + side * w0 * 0.6 + w0 * 0.6), (0, y0 + side * gap + w0)])
        start = 0.0
    else:
        start = 0.0 if kind == "none" else _head(rng, kind, head_alpha, y0, hl, hw, unit)
        neck = rng.uniform(0, 0.25) * L if rng.random() < 0.5 else 0.0
        nw = rng.uniform(0.6, 1.0) * handle_w
        if neck:
            _fill(alpha, [(start * 0.9, y0 - nw * 0.5), (start + neck, y0 - nw * 0.5), (start + neck, y0 + nw * 0.5),
                          (start * 0.9, y0 + nw * 0.5)])
        taper = rng.uniform(0.7, 1.4)
        hs = start + neck
        _fill(alpha, [(max(0.0, hs - 2 * unit), y0 - handle_w * 0.5), (L, y0 - handle_w * taper),
                      (L, y0 + handle_w * taper), (max(0.0, hs - 2 * unit), y0 + handle_w * 0.5)])
        if rng.random() < 0.3:  # a hole at the end of the handle
            _ellipse(alpha, (L - 4 * handle_w, y0), (handle_w * 0.45, handle_w * 0.45), 0)
    one = rng.random() < 0.5  # head and handle of one material, or two
    kind_head = str(rng.choice(MATERIALS, p=[0.3, 0.35, 0.25, 0.1]))
    kind_handle = kind_head if one else str(rng.choice(MATERIALS, p=[0.35, 0.2, 0.3, 0.15]))
    img_head = _surface(rng, kind_head, (h, L), unit)
    img_handle = _surface(rng, kind_handle, (h, L), unit)
    ha = head_alpha.astype(np.float32)[:, :, None] / 255
    img = img_head * ha + img_handle * (1 - ha)
    if kind in ("ladle", "spoon", "slotted") and rng.random() < 0.7:  # a bowl is darker inside
        bowl = cv2.GaussianBlur(head_alpha.astype(np.float32) / 255, (0, 0), max(1.0, hw / 3))
        img = img * (1 - 0.3 * bowl[:, :, None])
    alpha = np.maximum(alpha, head_alpha)
    return np.clip(img, 0, 255).astype(np.uint8), alpha


def _place(sprite: np.ndarray, tip: np.ndarray, angle: float, size: tuple[int, int], flags: int) -> np.ndarray:
    """Warp a sprite (tip at its left middle) into a frame of `size` (W, H) with the tip at `tip`, along `angle`."""
    h = sprite.shape[0]
    c, s = np.cos(angle), np.sin(angle)
    m = np.array([[c, -s, tip[0] + s * h / 2], [s, c, tip[1] - c * h / 2]], np.float32)
    return cv2.warpAffine(sprite, m, size, flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def _blob(rng: np.random.Generator, shape: tuple[int, int], centre: np.ndarray, radius: float) -> np.ndarray:
    """bool (H, W): an irregular blob around `centre` (a heap of food over part of a tool)."""
    H, W = shape
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    d = np.hypot(xx - centre[0], yy - centre[1]) / max(radius, 1.0)
    return (d + 0.35 * noise(rng, (H, W), radius * 0.6)) < 1.0


def paste_tools(rng: np.random.Generator, bgr: np.ndarray, mask: np.ndarray, classes: Classes = Classes(),
                count: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """`count` (default 1 or 2) random tools put into a BGR frame and its class mask (copies returned).

    A tool's tip lands in the food or anywhere in the frame; its handle often leaves the frame. It takes the
    frame's light, casts a soft shadow, is sometimes partly buried in the food (those pixels stay food) and
    sometimes held by a hand and forearm (background, as the label contract says)."""
    H, W = mask.shape[:2]
    unit = min(H, W) / 240
    out, lab = bgr.astype(np.float32), mask.copy()
    small = cv2.resize(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), (16, 16), interpolation=cv2.INTER_AREA)
    lum = cv2.resize(cv2.GaussianBlur(small.astype(np.float32), (0, 0), 2), (W, H), interpolation=cv2.INTER_LINEAR)
    light = np.clip(lum / max(float(lum.mean()), 1.0), 0.55, 1.35)[:, :, None] * rng.uniform(0.75, 1.1)
    n = count if count is not None else (1 if rng.random() < 0.75 else 2)
    for _ in range(n):
        food = np.argwhere(mask == classes.food)
        if len(food) and rng.random() < 0.6:
            tip = food[int(rng.integers(len(food)))][::-1].astype(np.float32)
        else:
            tip = np.array([rng.uniform(0, W), rng.uniform(0, H)], np.float32)
        angle = rng.uniform(0, 2 * np.pi)
        sprite, alpha = random_tool(rng, rng.uniform(0.5, 1.5) * max(H, W), unit)
        a = _place(alpha, tip, angle, (W, H), cv2.INTER_LINEAR).astype(np.float32) / 255
        if a.max() < 0.5:
            continue
        tool = _place(sprite, tip, angle, (W, H), cv2.INTER_LINEAR).astype(np.float32)
        off = rng.uniform(2, 10) * unit * np.array([np.cos(angle + 1.2), np.sin(angle + 1.2)])
        shadow = cv2.warpAffine(a, np.array([[1, 0, off[0]], [0, 1, off[1]]], np.float32), (W, H))
        shadow = cv2.GaussianBlur(shadow, (0, 0), rng.uniform(1.5, 5) * unit) * rng.uniform(0.15, 0.5)
        before, before_lab = out.copy(), lab.copy()
        out = out * (1 - shadow[:, :, None])
        out = out * (1 - a[:, :, None]) + tool * light * a[:, :, None]
        lab[a >= 0.5] = classes.stirrer
        if rng.random() < 0.35:  # partly under the food: where a heap of food covers it, the frame stays food
            heap = _blob(rng, (H, W), tip + rng.normal(0, 8 * unit, 2), rng.uniform(8, 30) * unit)
            keep = heap & (before_lab == classes.food)
            out[keep], lab[keep] = before[keep], before_lab[keep]
        if rng.random() < 0.3:  # held by a cook's hand: background
            frame = np.clip(out, 0, 255).astype(np.uint8)
            cover = Hand(rng, unit).draw(frame, tip, np.array([np.cos(angle), np.sin(angle)]))
            if cover is not None:
                out = frame.astype(np.float32)
                lab[cover >= 0.5] = classes.pan
    return np.clip(out, 0, 255).astype(np.uint8), lab

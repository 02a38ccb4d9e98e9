"""Procedural fruit for the freshness task (numpy + OpenCV only, so camera/ can use it without torch).

    bgr, alpha = render_fruit(rng, "banana", rotten=True, severity=0.7, size_px=160)   # one sprite
    frame, fruit, rotten = FruitScene(size=(224, 224), seed=0).render(index)          # one photo
    FruitScene(styles="train").render(index)          # photos in the styles of scenes.fruit_styles, in turn

The same renderer writes training sets (`foodcam synth fruit`) and feeds live `synth://` sources.
"""

from __future__ import annotations

import cv2
import numpy as np

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import FRESHNESS
from foodcam.scenes.fruit_draw import random_light, smooth_noise
from foodcam.scenes.fruit_shapes import BUILDERS, Canvas
from foodcam.scenes.fruit_styles import FRUIT_STYLES, FruitStyle, parse_fruit_styles
from foodcam.scenes.styles import pick

FRUITS: tuple[str, ...] = FRESHNESS.head("fruit").classes  # ("apple", "banana", "orange", "strawberry")
BACKGROUNDS = ("wood", "cloth", "conveyor", "studio", "slate", "plate")
# belt tones (BGR, 0..1): food-grade blue, green, grey, black, white
BELT_COLOURS = np.array([(0.53, 0.35, 0.19), (0.25, 0.45, 0.2), (0.22, 0.22, 0.23), (0.12, 0.12, 0.13),
                         (0.8, 0.8, 0.78)], np.float32)


def render_fruit(
    rng: np.random.Generator, fruit: str, rotten: bool, severity: float, size_px: int
) -> tuple[np.ndarray, np.ndarray]:
    """One fruit sprite on a transparent background: (BGR uint8 (s, s, 3), alpha uint8 (s, s)).

    Random rotation, scale and colour variation come from `rng`; `severity` (0..1) grades the rot
    (lesions, mould, wrinkles, dull colour) and is ignored for fresh fruit. Colours are not premultiplied:
    composite with `bg * (1 - a) + bgr * a`, a = alpha / 255.
    """
    if fruit not in BUILDERS:
        raise FoodcamError(f"unknown fruit {fruit!r}; expected one of {', '.join(FRUITS)}")
    if size_px < 8:
        raise FoodcamError(f"fruit sprite size {size_px}: expected at least 8 pixels")
    s = int(size_px)
    inner = max(2 * s, 128)  # drawn supersampled, then area-averaged
    cv = Canvas(inner, angle=float(rng.uniform(-np.pi, np.pi)), k=inner / 2 * 0.8 * float(rng.uniform(0.82, 1.0)))
    img, alpha = BUILDERS[fruit](rng, cv, bool(rotten), float(np.clip(severity, 0, 1)), random_light(rng))
    img = np.clip(img, 0, 1) * alpha[..., None]  # premultiplied while resampling: no dark fringe
    img = cv2.resize(img, (s, s), interpolation=cv2.INTER_AREA)
    a = cv2.resize(alpha, (s, s), interpolation=cv2.INTER_AREA)
    img = img / np.maximum(a, 1e-3)[..., None]
    bgr = np.clip(img * 255 + 0.5, 0, 255).astype(np.uint8)
    return bgr, np.clip(a * 255 + 0.5, 0, 255).astype(np.uint8)


def background(rng: np.random.Generator, kind: str, width: int, height: int) -> np.ndarray:
    """A table top or conveyor belt, BGR uint8."""
    h, w = height, width
    if kind == "wood":
        tone = np.array([0.25, 0.42, 0.6], np.float32) * rng.uniform(0.6, 1.3)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        warp = smooth_noise(rng, (h, w), max(w, h) * 0.25) * rng.uniform(6, 14)
        freq = rng.uniform(0.08, 0.2) * 224 / max(w, h)
        grain = 0.5 + 0.5 * np.sin(yy * freq + warp + smooth_noise(rng, (h, w), 6) * 1.5)
        img = tone * (0.75 + 0.3 * grain)[..., None]
        plank = max(h // int(rng.integers(2, 5)), 8)
        img[(yy.astype(int) % plank) < 2] *= 0.55
        if rng.random() < 0.5:
            img = np.ascontiguousarray(np.rot90(cv2.resize(img, (h, w)), int(rng.integers(0, 2)) * 2 + 1))
            img = cv2.resize(img, (w, h))
    elif kind == "cloth":
        tone = np.clip(rng.uniform(0.35, 0.95, 3), 0, 1).astype(np.float32)
        weave = smooth_noise(rng, (h, w), 1.5)
        img = tone * (0.85 + 0.15 * weave + 0.1 * smooth_noise(rng, (h, w), max(w, h) * 0.3))[..., None]
        if rng.random() < 0.4:  # checked tablecloth
            yy, xx = np.mgrid[0:h, 0:w]
            cell = int(rng.integers(max(w // 8, 4), max(w // 3, 6)))
            check = ((yy // cell + xx // cell) % 2).astype(np.float32)
            img = img * (1 - 0.35 * check)[..., None]
    elif kind == "conveyor":
        tone = BELT_COLOURS[int(rng.integers(len(BELT_COLOURS)))] * rng.uniform(0.75, 1.2)
        img = np.full((h, w, 3), tone, np.float32) * rng.uniform(0.9, 1.1, 3).astype(np.float32)
        img *= (0.9 + 0.2 * smooth_noise(rng, (h, w), 2.0))[..., None]
        pitch = max(int(h * rng.uniform(0.08, 0.15)), 4)
        yy = np.arange(h)[:, None]
        img[(yy % pitch < max(pitch // 6, 1))[:, 0]] *= 0.7  # belt joints
        rail = max(int(w * 0.06), 2)
        img[:, :rail] = img[:, -rail:] = np.array([0.55, 0.55, 0.58], np.float32) * rng.uniform(0.8, 1.1)
    elif kind == "studio":  # a seamless paper sweep: white or grey, a soft fall-off towards the top
        tone = rng.uniform(0.6, 1.0) * rng.uniform(0.96, 1.04, 3)
        yy = np.linspace(0, 1, h, dtype=np.float32)[:, None]
        img = np.ones((h, w, 3), np.float32) * tone.astype(np.float32) * (0.85 + 0.15 * yy)[..., None]
    elif kind == "slate":  # a dark stone or black board, faint mottling
        tone = rng.uniform(0.06, 0.2) * rng.uniform(0.9, 1.1, 3)
        img = tone.astype(np.float32) * (0.8 + 0.4 * smooth_noise(rng, (h, w), max(w, h) * 0.1, 2))[..., None]
    elif kind == "plate":  # a round ceramic plate with a rim, on a plain coloured table
        img = np.full((h, w, 3), rng.uniform(0.15, 0.7, 3), np.float32)
        img *= (0.9 + 0.2 * smooth_noise(rng, (h, w), max(w, h) * 0.2))[..., None]
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        cx, cy = w * rng.uniform(0.4, 0.6), h * rng.uniform(0.4, 0.6)
        r = np.hypot(xx - cx, (yy - cy) / rng.uniform(0.75, 1.0))
        big = min(w, h) * rng.uniform(0.45, 0.62)
        glaze = np.float32(rng.uniform(0.82, 0.97)) * rng.uniform(0.94, 1.04, 3).astype(np.float32)
        rim = (r > big * 0.8) & (r < big)
        img[r < big] = glaze
        img[rim] *= 0.9 + 0.1 * np.cos((r[rim] / big - 0.9) * 20)[..., None]
    else:
        raise FoodcamError(f"unknown background {kind!r}; expected one of {', '.join(BACKGROUNDS)}")
    return np.clip(img * 255, 0, 255).astype(np.uint8)


def composite(
    frame: np.ndarray, sprite: np.ndarray, alpha: np.ndarray, x: int, y: int, shadow: float = 0.45,
    shadow_offset: tuple[int, int] = (4, 6),
) -> np.ndarray:
    """Paste a sprite with its top-left at (x, y) (may hang over the edges) with a soft drop shadow; in place."""
    h, w = frame.shape[:2]
    s = sprite.shape[0]
    a = alpha.astype(np.float32) / 255.0
    if shadow > 0:
        sa = cv2.GaussianBlur(a, (0, 0), max(s * 0.04, 1.0)) * shadow
        _paste(frame, None, sa, x + shadow_offset[0], y + shadow_offset[1])
    _paste(frame, sprite, a, x, y)
    return frame


def _paste(frame: np.ndarray, sprite: np.ndarray | None, a: np.ndarray, x: int, y: int) -> None:
    h, w = frame.shape[:2]
    s = a.shape[0]
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + s, w), min(y + s, h)
    if x1 <= x0 or y1 <= y0:
        return
    aa = a[y0 - y : y1 - y, x0 - x : x1 - x, None]
    roi = frame[y0:y1, x0:x1].astype(np.float32)
    top = 0.0 if sprite is None else sprite[y0 - y : y1 - y, x0 - x : x1 - x].astype(np.float32)
    frame[y0:y1, x0:x1] = np.clip(roi * (1 - aa) + top * aa, 0, 255).astype(np.uint8)


def photo_effects(rng: np.random.Generator, img: np.ndarray, style: FruitStyle | None = None) -> np.ndarray:
    """Lighting gradient, exposure and colour cast, sensor noise, defocus or motion blur, JPEG round trip,
    in the ranges of `style` (default: the original table photos)."""
    st = style or FRUIT_STYLES["table"]
    h, w = img.shape[:2]
    f = img.astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ang = rng.uniform(0, 2 * np.pi)
    grad = (np.cos(ang) * (xx / w - 0.5) + np.sin(ang) * (yy / h - 0.5)) * rng.uniform(0, 0.5)
    vign = 1 - rng.uniform(0, 0.35) * (((xx / w - 0.5) ** 2 + (yy / h - 0.5) ** 2) * 2)
    f *= (rng.uniform(*st.exposure) * (1 + grad) * vign)[..., None]
    f *= rng.uniform(0.9, 1.1, 3).astype(np.float32)  # white balance
    if st.warmth != (0.0, 0.0):  # colour temperature: warm lifts red and cuts blue
        t = rng.uniform(*st.warmth)
        f *= np.array([1 - 0.3 * t, 1 + 0.03 * t, 1 + 0.3 * t], np.float32)
    f += rng.normal(0, rng.uniform(*st.noise), f.shape).astype(np.float32)
    out = np.clip(f, 0, 255).astype(np.uint8)
    if rng.random() < st.blur_p:
        out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.3, 1.0) * max(h, w) / 224)
    if st.motion_p > 0 and rng.random() < st.motion_p:
        n = max(int(rng.uniform(0.01, 0.04) * max(h, w)), 2)
        k = np.zeros((2 * n + 1, 2 * n + 1), np.float32)
        a = rng.uniform(0, np.pi)
        cv2.line(k, (int(n - n * np.cos(a)), int(n - n * np.sin(a))), (int(n + n * np.cos(a)), int(n + n * np.sin(a))),
                 1.0, 1)
        out = cv2.filter2D(out, -1, k / k.sum())
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(st.jpeg[0], st.jpeg[1]))])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR) if ok else out


class FruitScene:
    """Fruit photos; photo `index` is the same for the same seed and styles.

    Labels cycle through every fruit x fresh/rotten pair, so any run of 8 photos is balanced. With several
    styles, each run of 8 takes the next style, so every style sees every label equally often.
    """

    def __init__(self, size: tuple[int, int] = (224, 224), seed: int = 0,
                 styles: str | tuple[str, ...] | None = None) -> None:
        self.width, self.height = int(size[0]), int(size[1])
        if self.width < 16 or self.height < 16:
            raise FoodcamError(f"fruit scene size {size}: expected at least 16x16")
        self.seed = int(seed)
        self.styles = parse_fruit_styles(styles)

    def label(self, index: int) -> tuple[str, bool]:
        return FRUITS[index % len(FRUITS)], bool((index // len(FRUITS)) % 2)

    def style_of(self, index: int) -> str:
        return self.styles[(index // (2 * len(FRUITS))) % len(self.styles)]

    def render(self, index: int) -> tuple[np.ndarray, str, bool]:
        """(BGR uint8 (H, W, 3), fruit name, rotten)."""
        fruit, rotten = self.label(index)
        st = FRUIT_STYLES[self.style_of(index)]
        rng = np.random.default_rng([self.seed, int(index), 0xF4017])
        w, h = self.width, self.height
        frame = background(rng, pick(rng, st.backgrounds), w, h)
        for _ in range(int(rng.integers(st.count[0], st.count[1] + 1))):
            s = int(min(w, h) * rng.uniform(*st.size))  # the sprite has margins
            severity = float(rng.uniform(0.3, 1.0)) if rotten else 0.0
            sprite, alpha = render_fruit(rng, fruit, rotten, severity, s)
            reach_x, reach_y = (max(st.spread * (d / 2 - s / 4), 0.12 * s) for d in (w, h))
            x = int(round((w - s) / 2 + rng.uniform(-1, 1) * reach_x))
            y = int(round((h - s) / 2 + rng.uniform(-1, 1) * reach_y))
            off = (int(rng.integers(-s // 12, s // 12 + 1)), int(rng.integers(0, s // 10 + 1)))
            composite(frame, sprite, alpha, x, y, shadow=float(rng.uniform(0.25, 0.6)), shadow_offset=off)
        return photo_effects(rng, frame, st), fruit, rotten

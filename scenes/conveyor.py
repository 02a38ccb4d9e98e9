"""A sorting-line camera: fruit riding a textured conveyor belt left to right, with exact ground truth.

The belt is a loop of blue food-grade rubber (grain, stains, seams) that scrolls at `speed_px_s`; two static
side rails bound the lane. Fruit sprites (the one fruit renderer, `scenes.fruit.render_fruit`)
enter at the left edge at controlled spacing, never overlapping, and cross the frame at belt speed.
Time is simulated: frame k is taken at t = k / fps, so every position and crossing time is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from foodcam.runtime.errors import FoodcamError
from foodcam.scenes.texture import noise

RAIL_FRACTION = 0.12  # height of each side rail, as a fraction of the frame height
MIN_GAP_PX = 24  # the least belt showing between two consecutive fruit


@dataclass(frozen=True)
class ConveyorItem:
    """One fruit on the belt: what it is and how it moves (centre x = x_start + speed * (t - t_spawn))."""

    id: int
    fruit: str
    rotten: bool
    severity: float
    t_spawn: float  # when its leading edge enters the frame
    x_start: float  # its centre x at t_spawn (= -width / 2)
    y_centre: float
    width: int  # tight extent of the sprite (alpha > 0), pixels
    height: int
    speed: float  # px/s, along +x

    def x_at(self, t: float) -> float:
        """Centre x at time t (continuous pixel coordinates: pixel i covers [i, i+1))."""
        return self.x_start + self.speed * (t - self.t_spawn)

    def time_at_x(self, x: float) -> float:
        """The time its centre crosses x."""
        return self.t_spawn + (x - self.x_start) / self.speed

    def bbox_at(self, t: float) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the sprite at time t, unclipped, continuous coordinates."""
        xc = self.x_at(t)
        return (xc - self.width / 2, self.y_centre - self.height / 2, xc + self.width / 2,
                self.y_centre + self.height / 2)


@dataclass(frozen=True)
class TruthItem:
    """An item in view in one frame: identity, class, and where it is."""

    item: ConveyorItem
    bbox: tuple[int, int, int, int]  # clipped to the frame, x1/y1 exclusive
    x_centre: float  # unclipped centre x
    fully_visible: bool  # no part of it outside the frame

    @property
    def id(self) -> int:
        return self.item.id

    @property
    def fruit(self) -> str:
        return self.item.fruit

    @property
    def rotten(self) -> bool:
        return self.item.rotten

    def time_at_x(self, x: float) -> float:
        return self.item.time_at_x(x)


class ConveyorFeed:
    """Frames of a conveyor with fruit: `next() -> (bgr uint8 (H, W, 3), [TruthItem in view])`."""

    def __init__(
        self,
        size: tuple[int, int] = (640, 240),
        seed: int = 0,
        fps: float = 30.0,
        speed_px_s: float = 150.0,
        spawn_every_s: float = 1.2,
        rotten_ratio: float = 0.3,
        fruit_px: int | None = None,
        fruits: tuple[str, ...] | None = None,
        jitter: float = 0.25,
    ) -> None:
        from foodcam.scenes.fruit import FRUITS

        w, h = (int(v) for v in size)
        if w < 64 or h < 64:
            raise FoodcamError(f"conveyor size {w}x{h}: expected at least 64x64")
        if fps <= 0 or speed_px_s <= 0 or spawn_every_s <= 0:
            raise FoodcamError(f"conveyor: fps, speed and spawn interval must be > 0 (got {fps}, {speed_px_s}, "
                               f"{spawn_every_s})")
        if not 0.0 <= rotten_ratio <= 1.0:
            raise FoodcamError(f"conveyor: rotten_ratio {rotten_ratio} is not in 0..1")
        self.width, self.height = w, h
        self.seed, self.fps, self.speed = int(seed), float(fps), float(speed_px_s)
        self.spawn_every, self.rotten_ratio, self.jitter = float(spawn_every_s), float(rotten_ratio), float(jitter)
        self.fruits = tuple(fruits or FRUITS)
        unknown = set(self.fruits) - set(FRUITS)
        if unknown:
            raise FoodcamError(f"conveyor: unknown fruit {sorted(unknown)}; known: {', '.join(FRUITS)}")
        rail = max(4, int(round(h * RAIL_FRACTION)))
        self.lane = (0, rail, w, h - rail)  # (x0, y0, x1, y1) of the belt between the rails
        self.fruit_px = int(fruit_px or round(0.72 * (h - 2 * rail)))
        if self.fruit_px > h - 2 * rail:
            raise FoodcamError(f"conveyor: fruit_px {self.fruit_px} does not fit the {h - 2 * rail}px lane")
        self.index = 0
        self.items: list[ConveyorItem] = []  # every item spawned so far, in order
        self._sprites: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._next_spawn = 0.5 * self.spawn_every
        self._belt, self._static, self._light = self._make_belt()

    # --- time -----------------------------------------------------------------------------------------
    @property
    def time(self) -> float:
        """The simulated time of the next frame."""
        return self.index / self.fps

    def __iter__(self):
        return self

    def __next__(self) -> tuple[np.ndarray, list[TruthItem]]:
        return self.next()

    def next(self) -> tuple[np.ndarray, list[TruthItem]]:
        t = self.time
        self._spawn_until(t)
        img = self._belt_at(t)
        truth = []
        for item in self.items:
            x0, y0, x1, y1 = item.bbox_at(t)
            if x0 >= self.width:
                self._sprites.pop(item.id, None)  # gone for good
            if x1 <= 0 or x0 >= self.width:
                continue
            self._draw(img, item, x0, y0)
            bb = (max(0, int(np.floor(x0))), max(0, int(np.floor(y0))),
                  min(self.width, int(np.ceil(x1))), min(self.height, int(np.ceil(y1))))
            truth.append(TruthItem(item=item, bbox=bb, x_centre=item.x_at(t),
                                   fully_visible=x0 >= 0 and x1 <= self.width))
        self.index += 1
        return np.clip(img, 0, 255).astype(np.uint8), truth

    # --- fruit ----------------------------------------------------------------------------------------
    def _spawn_until(self, t: float) -> None:
        from foodcam.scenes.fruit import render_fruit

        while self._next_spawn <= t + 1e-9:
            k = len(self.items)
            rng = np.random.default_rng([self.seed, 7919, k])
            fruit = self.fruits[int(rng.integers(len(self.fruits)))]
            rotten = bool(rng.random() < self.rotten_ratio)
            severity = float(rng.uniform(0.45, 1.0)) if rotten else 0.0
            size = int(round(self.fruit_px * rng.uniform(0.85, 1.0)))
            sprite, alpha = render_fruit(rng, fruit, rotten, severity, size)
            sprite, alpha = _tight(sprite, alpha)
            sh, sw = alpha.shape
            y0, y1 = self.lane[1], self.lane[3]
            if sh > y1 - y0 - 4:  # a long fruit drawn upright: lay it along the belt
                sprite, alpha = np.ascontiguousarray(np.rot90(sprite)), np.ascontiguousarray(np.rot90(alpha))
                sh, sw = alpha.shape
            room = max(0.0, (y1 - y0 - sh) / 2 - 3)
            yc = (y0 + y1) / 2 + float(rng.uniform(-room, room))
            item = ConveyorItem(id=k, fruit=fruit, rotten=rotten, severity=severity, t_spawn=self._next_spawn,
                                x_start=-sw / 2, y_centre=yc, width=sw, height=sh, speed=self.speed)
            self.items.append(item)
            self._sprites[k] = (sprite.astype(np.float32), alpha.astype(np.float32) / 255.0)
            gap = self.spawn_every * (1.0 + self.jitter * float(rng.uniform(-1, 1)))
            self._next_spawn += max(gap, (sw + MIN_GAP_PX) / self.speed)

    def _draw(self, img: np.ndarray, item: ConveyorItem, x0: float, y0: float) -> None:
        """Alpha-blend the sprite (with a soft shadow) at a sub-pixel position."""
        sprite, alpha = self._sprites[item.id]
        ix, iy = int(np.floor(x0)), int(np.floor(y0))
        fx, fy = x0 - ix, y0 - iy
        sh, sw = alpha.shape
        m = np.float32([[1, 0, fx], [0, 1, fy]])
        a = cv2.warpAffine(alpha, m, (sw + 1, sh + 1), flags=cv2.INTER_LINEAR)
        s = cv2.warpAffine(sprite, m, (sw + 1, sh + 1), flags=cv2.INTER_LINEAR)
        shadow = cv2.GaussianBlur(cv2.warpAffine(alpha, np.float32([[1, 0, fx], [0, 1, fy + 4]]), (sw + 1, sh + 6)),
                                  (0, 0), 2.5) * 0.35
        self._paste(img, ix, iy, shadow, np.zeros((*shadow.shape, 3), np.float32))
        self._paste(img, ix, iy, a, s)

    def _paste(self, img: np.ndarray, ix: int, iy: int, a: np.ndarray, s: np.ndarray) -> None:
        h, w = img.shape[:2]
        ah, aw = a.shape
        x0, y0, x1, y1 = max(ix, 0), max(iy, 0), min(ix + aw, w), min(iy + ah, h)
        if x1 <= x0 or y1 <= y0:
            return
        aa = a[y0 - iy:y1 - iy, x0 - ix:x1 - ix, None]
        ss = s[y0 - iy:y1 - iy, x0 - ix:x1 - ix]
        img[y0:y1, x0:x1] = img[y0:y1, x0:x1] * (1 - aa) + ss * aa

    # --- belt -----------------------------------------------------------------------------------------
    def _make_belt(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(belt loop texture (lane_h, P + W, 3), static rails (H, W, 3), light falloff (1, W, 1)), float32."""
        rng = np.random.default_rng([self.seed, 104729])
        w, h = self.width, self.height
        _, ly0, _, ly1 = self.lane
        lh = ly1 - ly0
        period = 4 * w  # the belt is a loop four frames long
        # a food-grade blue belt (no food is blue: the usual choice for sorting lines)
        base = np.asarray((135, 88, 48), np.float32) * np.float32(rng.uniform(0.85, 1.1))
        shade = (1.0 + 0.06 * _periodic_noise(rng, (lh, period), 24.0)
                 + 0.035 * rng.standard_normal((lh, period))).astype(np.float32)
        for _ in range(int(period / 90)):  # scuffs and stains
            cx, cy = int(rng.integers(period)), int(rng.integers(lh))
            ax, ay = int(rng.integers(3, 14)), int(rng.integers(2, 8))
            d = float(rng.uniform(-0.15, 0.15))
            for off in (-period, 0, period):
                cv2.ellipse(shade, (cx + off, cy), (ax, ay), float(rng.uniform(0, 180)), 0, 360, 1.0 + d, -1,
                            cv2.LINE_AA)
        tex = shade[:, :, None] * base
        for sx in range(0, period, period // 8):  # seams (lacing) across the belt
            tex[:, sx:sx + 2] *= 0.55
            tex[:, sx + 2:sx + 3] *= 1.25
        tex = np.tile(tex, (1, 2, 1))[:, : period + w].astype(np.float32)  # wrap-around read window
        static = np.zeros((h, w, 3), np.float32)
        rail = np.asarray((150, 152, 158), np.float32)
        ramp = np.linspace(0.75, 1.1, ly0, dtype=np.float32)
        static[:ly0] = rail * ramp[:, None, None]
        static[ly1:] = rail * ramp[::-1, None, None]
        light = 1.0 + 0.05 * np.cos(np.linspace(-1.0, 1.0, w, dtype=np.float32) * np.pi / 2 - 0.2)
        return tex, static, light[None, :, None]

    def _belt_at(self, t: float) -> np.ndarray:
        period = self._belt.shape[1] - self.width
        off = (self.speed * t) % period
        i = int(np.floor(off))
        f = off - i
        start = (period - i) % period  # column x shows belt position (x - off) mod period
        a = self._belt[:, start:start + self.width]
        b = self._belt[:, (start - 1) % period:(start - 1) % period + self.width]
        img = self._static.copy()
        _, ly0, _, ly1 = self.lane
        img[ly0:ly1] = (a * (1 - f) + b * f) * self._light
        return img


def _periodic_noise(rng: np.random.Generator, shape: tuple[int, int], scale: float) -> np.ndarray:
    """Smooth noise that wraps around along x: tiled three times, blurred, middle copy kept."""
    h, w = shape
    n = noise(rng, (h, w), scale, octaves=2)
    big = cv2.GaussianBlur(np.tile(n, (1, 3)), (0, 0), 2.0)
    return big[:, w:2 * w]


def _tight(sprite: np.ndarray, alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Crop a sprite to the extent of its visible pixels."""
    ys, xs = np.nonzero(alpha > 0)
    if xs.size == 0:
        raise FoodcamError("render_fruit returned an empty sprite")
    return sprite[ys.min():ys.max() + 1, xs.min():xs.max() + 1], alpha[ys.min():ys.max() + 1, xs.min():xs.max() + 1]

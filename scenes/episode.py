"""One kitchen episode: a pan of one dish under one light, and the per-frame composition.

The slow parts (counter, pan, dish texture, stirrer sprite, light, noise bank) are drawn once per episode;
per frame only the food outline, the stirrer warp, its shadow and the camera effects are computed.
Masks hold class indices of `runtime.tasks.KITCHEN`: stirrer, pan (+ background), food.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from foodcam.runtime.tasks import KITCHEN
from foodcam.scenes.dishes import DISHES, dish_texture
from foodcam.scenes.effects import Distortion, Steam, motion_kernel
from foodcam.scenes.props import VESSELS, PanGeom, draw_pan, make_stirrer
from foodcam.scenes.styles import STYLES, Style, pick
from foodcam.scenes.texture import counter, grate, noise
from foodcam.scenes.utensils import Hand

STIRRER, PAN, FOOD = (KITCHEN.seg_head.classes.index(c) for c in ("stirrer", "pan", "food"))
_HARMONICS = np.arange(2, 7)
_THETA = np.linspace(0, 2 * np.pi, 72, endpoint=False)


@dataclass
class Pose:
    """What changes from frame to frame."""

    shift: tuple[float, float]  # camera jitter: crop offset into the episode canvas (sub-pixel)
    gain: float  # light flicker
    tip: tuple[float, float] | None  # stirrer head tip in frame pixels; None: no stirrer
    toward: float  # direction of the handle (radians, frame coordinates)
    coverage: float  # food blob size relative to the pan floor
    swirl: float  # rotation of the food outline
    noise_at: tuple[int, int]  # offset into the noise bank


class Episode:
    """One pan of one dish under one light: everything that stays fixed while the stirrer moves."""

    def __init__(self, rng: np.random.Generator, size: tuple[int, int], margin: int = 0,
                 style: Style | str = "home") -> None:
        W, H = size
        self.style = st = STYLES[style] if isinstance(style, str) else style
        self.size, self.margin = (int(W), int(H)), int(margin)
        self.unit = u = min(W, H) / 240.0
        ch, cw = H + 2 * margin, W + 2 * margin
        self.dish = pick(rng, st.dishes)
        self.vessel = pick(rng, st.vessels)
        depth_r, taper_r, rim_r, long_handle_p = VESSELS[self.vessel]

        k = rng.uniform(*st.view_k)
        a = rng.uniform(*st.size) * min(W, 4 * H / 3)
        depth = a * rng.uniform(*depth_r) * np.sqrt(1 - k * k)
        off = 0.12 if st.size[1] <= 0.55 else 0.25  # big vessels may sit off centre and leave the frame
        self.pan = g = PanGeom(
            cx=margin + W / 2 + rng.uniform(-off, off) * W, cy=margin + H / 2 + rng.uniform(-off, off) * H - depth / 2,
            a=a, k=k, depth=depth, taper=rng.uniform(*taper_r), rim=rng.uniform(*rim_r) * u,
        )
        self.light_angle = rng.uniform(np.pi * 0.9, np.pi * 1.6)  # light from the upper left, mostly
        bg = counter(rng, (ch, cw), u)
        if rng.random() < 0.5:
            grate(bg, rng, (g.cx, g.cy + g.depth), g.a, u)
        self.opening = draw_pan(bg, rng, g, u, self.light_angle, pick(rng, st.materials), long_handle_p)
        self.background = np.clip(bg, 0, 255).astype(np.uint8)

        # the dish: texture over the opening's bounding box, outline harmonics, a few stray bits
        ix, iy = g.inner
        x0, y0 = max(0, int(g.cx - ix) - 1), max(0, int(g.cy - iy) - 1)
        x1, y1 = min(cw, int(np.ceil(g.cx + ix)) + 2), min(ch, int(np.ceil(g.cy + iy)) + 2)
        self.food_box = (x0, y0, x1, y1)
        if u >= 1:
            self.food = dish_texture(rng, self.dish, (y1 - y0, x1 - x0), u).astype(np.uint8)
        else:  # small frames: grains drawn at 240p scale, then averaged down
            big = dish_texture(rng, self.dish, (int(np.ceil((y1 - y0) / u)), int(np.ceil((x1 - x0) / u))), 1.0)
            self.food = cv2.resize(np.clip(big, 0, 255).astype(np.uint8), (x1 - x0, y1 - y0),
                                   interpolation=cv2.INTER_AREA)
        self.food_base = DISHES[self.dish][0]
        self.food_class = np.full(self.food.shape[:2], FOOD, np.uint8)
        self.amps = rng.uniform(0.02, 0.12, len(_HARMONICS)) / np.sqrt(_HARMONICS - 1)
        self.phases = rng.uniform(0, 2 * np.pi, len(_HARMONICS))
        self.centre = rng.uniform(-0.2, 0.2, 2)
        self.coverage = rng.uniform(0.5, 1.1)
        n_bits = int(rng.integers(0, 6))
        self.bits = [(rng.uniform(0, 2 * np.pi), rng.uniform(0.6, 1.0), rng.uniform(0.03, 0.07)) for _ in range(n_bits)]
        self.lift = rng.uniform(0.1, 0.5) * g.depth
        self.edge = max(1, int(round(1.5 * u)))

        diag = float(np.hypot(W, H))
        self.stirrer_kind = pick(rng, st.stirrers)
        self.sprite, self.sprite_alpha = make_stirrer(rng, u, diag * 1.3, self.food_base, self.stirrer_kind)
        self.widen = rng.uniform(1.1, 1.6)  # perspective: the handle rises toward the camera
        self.hand = rng.uniform(0, 2 * np.pi)  # where the hand is, around the frame
        reach = rng.uniform(4, 10) * u
        self.shadow_offset = (-math.cos(self.light_angle) * reach, -math.sin(self.light_angle) * reach)
        self.shadow_strength = rng.uniform(0.25, 0.5)

        # light: exposure, vignette, a gradient across the scene, a colour cast (x160 in uint8)
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        r2 = ((xx - W / 2) / (W / 2)) ** 2 + ((yy - H / 2) / (H / 2)) ** 2
        ga = rng.uniform(0, 2 * np.pi)
        grad = ((xx / W - 0.5) * math.cos(ga) + (yy / H - 0.5) * math.sin(ga)) * rng.uniform(0.1, 0.5)
        light = rng.uniform(*st.exposure) * (1 - rng.uniform(0.1, 0.4) * r2 / 2) * (1 + grad)
        light = light * (1 + 0.04 * noise(rng, (H, W), 80 * u, octaves=1))
        warm = rng.uniform(*st.warmth)  # colour temperature: blue down and red up when warm (BGR)
        tint = np.array([1 - 0.22 * warm + rng.uniform(-0.05, 0.05), 1.0, 1 + 0.18 * warm + rng.uniform(-0.05, 0.05)],
                        np.float32)
        self.light = np.clip(light[:, :, None] * tint * 160, 0, 255).astype(np.uint8)

        # what the air and the camera add, drawn per episode
        self.cook_hand = Hand(rng, u) if rng.random() < st.hand_p else None
        self.steam = Steam(rng, (W, H), u) if rng.random() < st.steam_p else None
        self.motion = motion_kernel(rng, u) if rng.random() < st.motion_p else None
        self.distortion = Distortion(rng, (W, H)) if rng.random() < st.distortion_p else None
        self.blur = rng.uniform(0.3, 1.1) * u
        sigma = rng.uniform(*st.noise)
        bank = rng.standard_normal((H + 16, W + 16, 3), dtype=np.float32) * sigma
        self.noise_pos = np.clip(bank, 0, 255).astype(np.uint8)
        self.noise_neg = np.clip(-bank, 0, 255).astype(np.uint8)

    # ---------------------------------------------------------------- per-frame parts
    def floor_point(self, rho: float, angle: float) -> tuple[float, float]:
        """A point on the pan floor (rho=1 at its edge) in frame pixels for an unjittered camera."""
        bx, by, bax, bay = self.pan.bottom
        m = self.margin
        return bx - m + rho * bax * np.cos(angle), by - self.lift - m + rho * bay * np.sin(angle)

    def exit_point(self) -> tuple[float, float]:
        """Where the stirrer tip is when it has just left the frame toward the hand."""
        W, H = self.size
        r = 0.5 * np.hypot(W, H) + 40 * self.unit
        return W / 2 + r * np.cos(self.hand), H / 2 + r * np.sin(self.hand)

    def _food_polys(self, pose: Pose) -> list[np.ndarray]:
        bx, by, bax, bay = self.pan.bottom
        by -= self.lift
        r = pose.coverage * (1 + (self.amps[:, None] * np.cos(_HARMONICS[:, None] * (_THETA + pose.swirl)
                                                              + self.phases[:, None])).sum(0))
        cx, cy = self.centre * (1.1 - min(pose.coverage, 1.0))
        polys = [np.stack([bx + bax * (cx + r * np.cos(_THETA)), by + bay * (cy + r * np.sin(_THETA))], 1)]
        th = _THETA[::6]
        for ang, rho, size in self.bits:
            ang += pose.swirl * 0.5
            px, py = bx + bax * rho * np.cos(ang), by + bay * rho * np.sin(ang)
            polys.append(np.stack([px + bax * size * np.cos(th), py + bay * size * np.sin(th) * 0.8], 1))
        return polys

    def compose(self, pose: Pose, jpeg_quality: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Render one frame: (BGR uint8 (H, W, 3), class mask uint8 (H, W))."""
        W, H = self.size
        ox, oy = int(math.floor(pose.shift[0])), int(math.floor(pose.shift[1]))
        fx, fy = pose.shift[0] - ox, pose.shift[1] - oy  # the fraction is applied by one warp at the end
        frame = self.background[oy:oy + H, ox:ox + W].copy()
        mask = np.full((H, W), PAN, np.uint8)

        # food: the outline filled inside the pan opening (canvas coordinates, inside the food box)
        x0, y0, x1, y1 = self.food_box
        fm = np.zeros((y1 - y0, x1 - x0), np.uint8)
        band = np.zeros_like(fm)
        for p in self._food_polys(pose):  # one by one: overlapping outlines must not cancel
            poly = [((p - (x0, y0)) * 4).round().astype(np.int32)]
            cv2.fillPoly(fm, poly, 255, cv2.LINE_8, 2)
            cv2.polylines(band, poly, True, 255, self.edge, cv2.LINE_8, 2)
        opening = self.opening[y0:y1, x0:x1]
        cv2.bitwise_and(fm, opening, dst=fm)
        cv2.bitwise_and(band, opening, dst=band)
        fx0, fy0, fx1, fy1 = max(x0 - ox, 0), max(y0 - oy, 0), min(x1 - ox, W), min(y1 - oy, H)
        if fx1 > fx0 and fy1 > fy0:
            sub = (slice(fy0 + oy - y0, fy1 + oy - y0), slice(fx0 + ox - x0, fx1 + ox - x0))
            region, fsub = frame[fy0:fy1, fx0:fx1], fm[sub]
            cv2.copyTo(self.food[sub], fsub, region)
            cv2.copyTo(self.food_class[sub], fsub, mask[fy0:fy1, fx0:fx1])
            pts = cv2.findNonZero(band[sub])  # contact shadow around the food, a darker rim on it
            ex, ey = np.reshape(pts if pts is not None else np.zeros((0, 2), np.int32), (-1, 2)).T
            dark = np.where(fsub[ey, ex] > 0, 0.85, 0.6).astype(np.float32)[:, None]
            region[ey, ex] = region[ey, ex] * dark

        # the stirrer and the hand: drawn into the frame; their labels come from their coverage, which moves with
        # the frame (sub-pixel shift, lens), so a label is true at the pixel's centre in the frame as shown
        cover = self._stirrer(frame, pose, (fx, fy)) if pose.tip is not None else None
        if fx >= 0.5:  # food and pan: their hard-edged drawing follows the sub-pixel shift to the nearest pixel
            mask[:, :-1] = mask[:, 1:]
        if fy >= 0.5:
            mask[:-1] = mask[1:]

        frame = cv2.multiply(frame, self.light, scale=pose.gain / 160.0)
        if self.blur > 0.35:  # a lens a little out of focus; the kernel stays small to keep frames cheap
            k = min(7, 2 * int(np.ceil(2 * self.blur)) + 1)
            frame = cv2.GaussianBlur(frame, (k, k), self.blur)
        if fx > 1e-3 or fy > 1e-3:  # the sub-pixel part of the camera jitter: bilinear taps
            taps = np.float32([[(1 - fx) * (1 - fy), fx * (1 - fy)], [(1 - fx) * fy, fx * fy]])
            frame = cv2.filter2D(frame, -1, taps, anchor=(0, 0), borderType=cv2.BORDER_REPLICATE)
            if cover is not None:
                cover = [cv2.filter2D(c, -1, taps, anchor=(0, 0), borderType=cv2.BORDER_REPLICATE) for c in cover]
        if self.motion is not None:
            frame = cv2.filter2D(frame, -1, self.motion, borderType=cv2.BORDER_REPLICATE)
        if self.steam is not None:
            frame = self.steam.apply(frame, int(abs(pose.swirl) * 40))  # drifts with the scene's slow motion
        if self.distortion is not None:
            frame, mask = self.distortion.apply(frame, mask)
            if cover is not None:
                cover = [self.distortion.remap(c) for c in cover]
        if cover is not None:
            stirrer, hand = cover
            mask[stirrer >= 0.5] = STIRRER
            mask[hand >= 0.5] = PAN  # the hand is background, over whatever it covers
        nx, ny = pose.noise_at
        frame = cv2.add(frame, self.noise_pos[ny:ny + H, nx:nx + W])
        frame = cv2.subtract(frame, self.noise_neg[ny:ny + H, nx:nx + W])
        if jpeg_quality:
            ok, buf = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, int(jpeg_quality)])
            frame = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        return frame, mask

    def _stirrer(self, frame: np.ndarray, pose: Pose, frac: tuple[float, float]) -> list[np.ndarray] | None:
        """Draw the stirrer (and the hand on it) into the frame; return their coverage layers (float32 (H, W)),
        or None when the stirrer is out of view."""
        H, W = frame.shape[:2]
        hs, L = self.sprite_alpha.shape
        d = np.array([math.cos(pose.toward), math.sin(pose.toward)])
        n = np.array([-d[1], d[0]])
        tip = np.asarray(pose.tip) + frac
        y0 = hs / 2
        src = np.float32([[0, 0], [L, 0], [L, hs], [0, hs]])
        dst = np.float32([tip - y0 * n, tip + L * d - y0 * self.widen * n,
                          tip + L * d + y0 * self.widen * n, tip + y0 * n])
        M = cv2.getPerspectiveTransform(src, dst)

        # soft shadow, cast onto food and pan, drawn at quarter resolution
        q = 4
        sx, sy = self.shadow_offset
        S = np.array([[1 / q, 0, sx / q], [0, 1 / q, sy / q], [0, 0, 1]])
        small = cv2.warpPerspective(self.sprite_alpha, S @ M, ((W + q - 1) // q, (H + q - 1) // q))
        small = cv2.GaussianBlur(small, (0, 0), 1.2)
        big = cv2.resize(small, (W, H), interpolation=cv2.INTER_LINEAR)
        pad = 4 * q
        sx0, sy0, sx1, sy1 = self._box(dst + (sx, sy), W, H, pad)
        if sx1 > sx0 and sy1 > sy0:
            shadow = cv2.convertScaleAbs(big[sy0:sy1, sx0:sx1], alpha=-self.shadow_strength, beta=255)
            roi = frame[sy0:sy1, sx0:sx1]
            roi[:] = cv2.multiply(roi, cv2.cvtColor(shadow, cv2.COLOR_GRAY2BGR), scale=1 / 255)

        # the stirrer itself, only over its bounding box
        bx0, by0, bx1, by1 = self._box(dst, W, H, 1)
        if bx1 <= bx0 or by1 <= by0:
            return None
        T = np.array([[1, 0, -bx0], [0, 1, -by0], [0, 0, 1]]) @ M
        size = (bx1 - bx0, by1 - by0)
        img = cv2.warpPerspective(self.sprite, T, size, flags=cv2.INTER_LINEAR)
        alpha = cv2.warpPerspective(self.sprite_alpha, T, size, flags=cv2.INTER_LINEAR)
        a = alpha.astype(np.float32) * (1 / 255)
        roi = frame[by0:by1, bx0:bx1]
        roi[:] = cv2.blendLinear(img, roi, a, 1 - a)
        stirrer = np.zeros((H, W), np.float32)
        stirrer[by0:by1, bx0:bx1] = a
        hand = self.cook_hand.draw(frame, tip, d) if self.cook_hand is not None else None
        return [stirrer, hand if hand is not None else np.zeros((H, W), np.float32)]

    @staticmethod
    def _box(pts: np.ndarray, W: int, H: int, pad: int) -> tuple[int, int, int, int]:
        """Integer bounding box of points, padded, clipped to the frame."""
        x0, y0 = np.floor(pts.min(0)).astype(int) - pad
        x1, y1 = np.ceil(pts.max(0)).astype(int) + pad
        return max(x0, 0), max(y0, 0), min(x1, W), min(y1, H)

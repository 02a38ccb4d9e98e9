"""Utensils and hands the pan scene did not have: chopsticks and whisks (thin, made of lines), and the cook's
hand on the handle, which is in view but is not the stirrer."""

from __future__ import annotations

import cv2
import numpy as np

from foodcam.scenes.texture import jitter_colour, noise

SKIN = ((60, 90, 140), (80, 120, 175), (110, 150, 205), (135, 175, 225), (45, 65, 100))
SLEEVES = ((40, 40, 45), (200, 200, 205), (120, 60, 30), (40, 60, 140), (70, 110, 60))


def make_wire_tool(rng: np.random.Generator, kind: str, unit: float, length: float) -> tuple[np.ndarray, np.ndarray]:
    """Chopsticks (two tapered sticks) or a balloon whisk (wire loops on a handle), lying along +x with the
    tip at x=0: (BGR uint8 (h, L, 3), alpha uint8 (h, L))."""
    L = int(length)
    s = 4  # draw at 4x sub-pixel precision
    if kind == "chopsticks":
        gap = rng.uniform(3, 10) * unit
        w0, w1 = rng.uniform(0.8, 1.3) * unit, rng.uniform(1.8, 2.8) * unit
        hs = int(np.ceil(gap + 2 * w1 + 6 * unit)) | 1
        y0 = hs / 2
        alpha = np.zeros((hs, L), np.uint8)
        spread = rng.uniform(-0.6, 0.6) * gap / 2  # tips closer or wider than the ends
        for side in (-1, 1):
            ya, yb = y0 + side * (gap / 2 + spread), y0 + side * gap / 2
            pts = np.float32([[0, ya - w0], [L, yb - w1], [L, yb + w1], [0, ya + w0]])
            cv2.fillPoly(alpha, [(pts * s).round().astype(np.int32)], 255, cv2.LINE_AA, 2)
        colours = [(60, 110, 160), (30, 30, 35), (175, 175, 180), (40, 40, 150), (150, 200, 225)]
    else:  # whisk
        head_len = rng.uniform(45, 70) * unit
        head_w = rng.uniform(12, 18) * unit
        handle_w = rng.uniform(3.0, 4.5) * unit
        hs = int(np.ceil(2 * head_w + 6 * unit)) | 1
        y0 = hs / 2
        alpha = np.zeros((hs, L), np.uint8)
        x = np.linspace(0, head_len, 40)
        bulge = np.sin(np.pi * np.clip(x / head_len, 0, 1) * 0.5 + np.pi * 0.5 * (x / head_len) ** 2) ** 0.8
        bulge *= np.clip(1 - (x / head_len) ** 3, 0.15, 1)
        thick = max(1, int(round(rng.uniform(0.8, 1.4) * unit * s)))
        for f in np.linspace(-1, 1, int(rng.integers(4, 8))):
            ys = y0 + f * head_w * bulge + rng.normal(0, 0.3 * unit)
            cv2.polylines(alpha, [(np.stack([x, ys], 1) * s).round().astype(np.int32)], False, 255, thick,
                          cv2.LINE_AA, 2)
        handle = np.float32([[head_len * 0.95, y0 - handle_w * 0.8], [L, y0 - handle_w * 1.2],
                             [L, y0 + handle_w * 1.2], [head_len * 0.95, y0 + handle_w * 0.8]])
        cv2.fillPoly(alpha, [(handle * s).round().astype(np.int32)], 255, cv2.LINE_AA, 2)
        colours = [(175, 175, 180), (160, 160, 168)]
    base = np.asarray(jitter_colour(rng, colours[int(rng.integers(len(colours)))], 10), np.float32)
    yy = (np.arange(hs, dtype=np.float32)[:, None] - hs / 2) / (hs / 2)
    shade = 0.8 + 0.15 * np.cos(yy * 9.0) + 0.08 * noise(rng, (hs, L), 5 * unit, aspect=8)
    img = shade[:, :, None] * base + 40 * np.clip(np.cos(yy * 9.0 + 0.6), 0, 1)[:, :, None] ** 8
    return np.clip(img, 0, 255).astype(np.uint8), alpha


class Hand:
    """A cook's hand gripping the stirrer's handle and the forearm behind it, fixed per episode."""

    def __init__(self, rng: np.random.Generator, unit: float) -> None:
        self.skin = np.asarray(jitter_colour(rng, SKIN[int(rng.integers(len(SKIN)))], 12), np.float32)
        self.sleeve = np.asarray(jitter_colour(rng, SLEEVES[int(rng.integers(len(SLEEVES)))], 15), np.float32)
        self.grip = rng.uniform(0.55, 0.9)  # where on the visible handle the hand holds it
        self.fist = (rng.uniform(13, 18) * unit, rng.uniform(10, 14) * unit)
        self.arm_w = rng.uniform(22, 32) * unit
        self.bend = rng.uniform(-0.5, 0.5)  # the forearm leaves at an angle to the handle
        self.bare = rng.uniform(25, 60) * unit  # skin before the sleeve starts

    def draw(self, frame: np.ndarray, tip: np.ndarray, d: np.ndarray) -> np.ndarray | None:
        """Draw over the stirrer, in place. Returns the hand's coverage (float32 (H, W), 0..1; None when it is
        out of view): the caller labels it background where the frame it finally shows is at least half hand."""
        H, W = frame.shape[:2]
        # distance along the handle from the tip to the frame's border
        exits = []
        for k, lim in ((0, W), (1, H)):
            if abs(d[k]) > 1e-6:
                for edge in (0.0, float(lim)):
                    t = (edge - tip[k]) / d[k]
                    if t > 0:
                        exits.append(t)
        t_exit = min(exits) if exits else 0.0
        if t_exit <= 0:
            return None
        c = tip + d * t_exit * self.grip
        ang = np.arctan2(d[1], d[0]) + self.bend
        a = np.array([np.cos(ang), np.sin(ang)])
        n = np.array([-a[1], a[0]])
        far = c + a * 3 * max(H, W)
        layer = np.zeros((H, W), np.uint8)
        arm = np.float32([c + n * self.arm_w * 0.45, far + n * self.arm_w * 0.6,
                          far - n * self.arm_w * 0.6, c - n * self.arm_w * 0.45])
        cv2.fillPoly(layer, [(arm * 4).round().astype(np.int32)], 255, cv2.LINE_AA, 2)
        cv2.ellipse(layer, (int(c[0] * 4), int(c[1] * 4)), (int(self.fist[0] * 4), int(self.fist[1] * 4)),
                    float(np.degrees(ang)), 0, 360, 255, -1, cv2.LINE_AA, 2)
        sleeve = np.zeros((H, W), np.uint8)
        s0 = c + a * self.bare
        band = np.float32([s0 + n * self.arm_w, far + n * self.arm_w, far - n * self.arm_w, s0 - n * self.arm_w])
        cv2.fillPoly(sleeve, [(band * 4).round().astype(np.int32)], 255, cv2.LINE_8, 2)
        colour = np.where((sleeve > 0)[:, :, None], self.sleeve, self.skin)
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        across = ((xx - c[0]) * n[0] + (yy - c[1]) * n[1]) / (self.arm_w * 0.6)
        shade = np.clip(1.05 - 0.35 * across * across, 0.55, 1.1)[:, :, None]
        al = layer.astype(np.float32)[:, :, None] * (1 / 255)
        frame[:] = np.clip(frame * (1 - al) + colour * shade * al, 0, 255).astype(np.uint8)
        return al[:, :, 0]

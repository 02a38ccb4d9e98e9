"""Camera and air effects of the kitchen scene, fixed per episode and applied to each frame: steam or smoke,
motion blur, a wide lens's barrel distortion. Frames change; labels follow only geometric effects."""

from __future__ import annotations

import cv2
import numpy as np

from foodcam.scenes.texture import noise


class Steam:
    """A drifting veil of steam (white) or smoke (grey) over part of the frame."""

    def __init__(self, rng: np.random.Generator, size: tuple[int, int], unit: float) -> None:
        W, H = size
        field = noise(rng, (H * 2, W * 2), 50 * unit, octaves=3)
        density = np.clip(field - rng.uniform(-0.2, 0.6), 0, None)
        density = density / (density.max() + 1e-6) * rng.uniform(0.25, 0.6)
        self.density = density.astype(np.float32)
        self.colour = np.float32(rng.uniform(170, 245) if rng.random() < 0.75 else rng.uniform(90, 150))
        self.drift = rng.uniform(-1.5, 1.5, 2) * unit
        self.size = (W, H)

    def apply(self, frame: np.ndarray, t: int) -> np.ndarray:
        W, H = self.size
        ox = int(abs(self.drift[0] * t)) % W
        oy = int(abs(self.drift[1] * t)) % H
        a = self.density[oy:oy + H, ox:ox + W][:, :, None]
        return np.clip(frame * (1 - a) + self.colour * a, 0, 255).astype(np.uint8)


def motion_kernel(rng: np.random.Generator, unit: float) -> np.ndarray:
    """A normalised line kernel: the camera or the pan moved during the exposure."""
    # odd-sized and point-symmetric (below), so the blur is centred on a pixel and the frame stays on its labels
    length = max(3, int(round(rng.uniform(3, 10) * unit))) | 1
    k = np.zeros((length, length), np.float32)
    ang = rng.uniform(0, np.pi)
    c = (length - 1) / 2
    dx, dy = np.cos(ang) * c, np.sin(ang) * c
    cv2.line(k, (int(round(c - dx)), int(round(c - dy))), (int(round(c + dx)), int(round(c + dy))), 1.0, 1)
    k = k + k[::-1, ::-1]  # point-symmetric: a rasterised line can lean a fraction of a pixel to one side
    return k / k.sum()


class Distortion:
    """Barrel distortion of a wide-angle lens: the same remap for the frame and its labels."""

    def __init__(self, rng: np.random.Generator, size: tuple[int, int]) -> None:
        W, H = size
        k1 = rng.uniform(0.08, 0.3)
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        cx, cy = W / 2 + rng.uniform(-0.05, 0.05) * W, H / 2 + rng.uniform(-0.05, 0.05) * H
        r = np.float32(0.5 * np.hypot(W, H))
        x, y = (xx - cx) / r, (yy - cy) / r
        f = 1 + k1 * (x * x + y * y)
        s = 1 / (1 + k1 * 0.5)  # zoom so the frame stays filled
        self.mapx = (cx + x * f * s * r).astype(np.float32)
        self.mapy = (cy + y * f * s * r).astype(np.float32)

    def remap(self, img: np.ndarray) -> np.ndarray:
        """Bilinear remap: the frame, and the float coverage layers the stirrer's labels are thresholded from."""
        return cv2.remap(img, self.mapx, self.mapy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)

    def apply(self, frame: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The frame bilinearly; a hard-edged class mask by nearest neighbour, which for hard edges switches
        where the bilinear frame crosses half-way."""
        return self.remap(frame), cv2.remap(mask, self.mapx, self.mapy, cv2.INTER_NEAREST,
                                            borderMode=cv2.BORDER_REFLECT)

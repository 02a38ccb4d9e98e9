"""Class masks <-> colour-coded images, and overlays. Colours come from the task description (RGB)."""

from __future__ import annotations

import cv2
import numpy as np

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import IGNORE_INDEX, Head


def palette_bgr(head: Head) -> np.ndarray:
    """(256, 3) uint8 lookup table: class index -> BGR colour; unknown indices are black."""
    lut = np.zeros((256, 3), np.uint8)
    if head.colours:
        for i, (r, g, b) in enumerate(head.colours):
            lut[i] = (b, g, r)
    return lut


def colorize(mask: np.ndarray, head: Head) -> np.ndarray:
    """Class-index mask (H, W) -> colour-coded BGR image (H, W, 3)."""
    return palette_bgr(head)[mask]


def decode_colour_mask(mask_bgr: np.ndarray, head: Head, max_dist: float = 100.0) -> tuple[np.ndarray, int]:
    """Colour-coded mask -> (class-index mask, number of pixels too far from every class colour).

    Each pixel takes the nearest class colour (tolerates JPEG artefacts and anti-aliased edges);
    pixels farther than `max_dist` (Euclidean, 0..255 RGB) from all colours get IGNORE_INDEX.
    """
    if not head.colours:
        raise FoodcamError(f"head {head.name!r} has no class colours: its masks cannot be colour-decoded")
    px = mask_bgr[:, :, ::-1].reshape(-1, 3).astype(np.int32)
    cols = np.asarray(head.colours, np.int32)
    d2 = ((px[:, None, :] - cols[None, :, :]) ** 2).sum(-1)
    idx = d2.argmin(1).astype(np.uint8)
    far = d2.min(1) > max_dist * max_dist
    idx[far] = IGNORE_INDEX
    return idx.reshape(mask_bgr.shape[:2]), int(far.sum())


def overlay(frame_bgr: np.ndarray, mask: np.ndarray, head: Head, alpha: float = 0.5) -> np.ndarray:
    """Blend the colour-coded mask over the frame (mask resized to the frame with nearest neighbour)."""
    if mask.shape[:2] != frame_bgr.shape[:2]:
        mask = cv2.resize(mask, (frame_bgr.shape[1], frame_bgr.shape[0]), interpolation=cv2.INTER_NEAREST)
    return cv2.addWeighted(frame_bgr, 1.0 - alpha, colorize(mask, head), alpha, 0.0)

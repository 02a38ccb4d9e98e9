"""Copy-paste of the user's own labelled objects: a few labelled frames of a new kitchen made to count.

A fine-tune on 20 frames sees each of the user's tools about 20 times, always in the same place on the same food.
`ObjectBank` cuts every labelled instance of the chosen classes (connected components of the class mask, e.g. each
stirrer) out of the user's training frames, and `CopyPaste` pastes one or two of them into a share of the frames
the fine-tune trains on, the user's own and the replayed synthetic ones alike: at a random place (over the food
where there is some: a tool is in or over the pan), scale, angle and mirror, with its brightness jittered, before
the usual augmentation runs. The pasted pixels take the instance's class; what it covers loses its old label.
Only the training frames feed the bank: frames held back for the before/after gate never do.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from foodcam.train.augment import PasteFirst

MIN_AREA = 24  # pixels at the input size: smaller pieces (a tool's tip peeking out of the food) are not cut out


@dataclass(frozen=True)
class Instance:
    rgb: np.ndarray  # (h, w, 3) uint8, the instance's bounding box in its frame
    alpha: np.ndarray  # (h, w) bool, its pixels
    label: int


class ObjectBank:
    """Every instance of `classes` in a set of (RGB, mask) frames at the training input size."""

    def __init__(self, instances: list[Instance]) -> None:
        self.instances = instances

    @classmethod
    def from_frames(cls, frames, classes: tuple[int, ...], min_area: int = MIN_AREA) -> ObjectBank:
        found = []
        for rgb, mask in frames:
            for label in classes:
                n, comp, stats, _ = cv2.connectedComponentsWithStats((mask == label).astype(np.uint8), connectivity=8)
                for k in range(1, n):
                    x, y, w, h, area = stats[k]
                    if area >= min_area:
                        box = (slice(y, y + h), slice(x, x + w))
                        found.append(Instance(rgb[box].copy(), comp[box] == k, int(label)))
        return cls(found)

    def __len__(self) -> int:
        return len(self.instances)


def _warp(inst: Instance, rng: np.random.Generator, anchor: np.ndarray, size: tuple[int, int]):
    """The instance scaled, turned and mirrored at random, with a random pixel of it on `anchor` (x, y) in a frame of
    `size` (W, H): (RGB, alpha in 0..1) at frame size."""
    rgb, alpha = inst.rgb, inst.alpha.astype(np.float32)
    if rng.random() < 0.5:
        rgb, alpha = rgb[:, ::-1], alpha[:, ::-1]
    ys, xs = np.nonzero(alpha > 0.5)
    k = int(rng.integers(len(xs)))
    centre = (float(xs[k]), float(ys[k]))
    m = cv2.getRotationMatrix2D(centre, float(rng.uniform(0, 360)), float(rng.uniform(0.7, 1.3)))
    m[:, 2] += anchor - np.array(centre, np.float32)
    out = cv2.warpAffine(np.ascontiguousarray(rgb), m, size, flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
    return out, cv2.warpAffine(np.ascontiguousarray(alpha), m, size, flags=cv2.INTER_LINEAR, borderValue=0)


def paste(rng: np.random.Generator, bank: ObjectBank, rgb: np.ndarray, mask: np.ndarray, anchor_class: int | None,
          count: int) -> tuple[np.ndarray, np.ndarray]:
    """`count` instances of the bank pasted into an RGB frame and its mask (copies returned)."""
    H, W = mask.shape[:2]
    out, lab = rgb.astype(np.float32), mask.copy()
    for _ in range(count):
        inst = bank.instances[int(rng.integers(len(bank)))]
        where = np.argwhere(mask == anchor_class) if anchor_class is not None else np.empty((0, 2))
        if len(where) and rng.random() < 0.7:
            anchor = where[int(rng.integers(len(where)))][::-1].astype(np.float32)
        else:
            anchor = np.array([rng.uniform(0, W), rng.uniform(0, H)], np.float32)
        obj, alpha = _warp(inst, rng, anchor, (W, H))
        if alpha.max() < 0.5:
            continue
        gain = rng.uniform(0.75, 1.25)
        soft = cv2.GaussianBlur(alpha, (3, 3), 0)[:, :, None]  # a feathered edge: no cut-out seam to learn from
        out = out * (1 - soft) + np.clip(obj.astype(np.float32) * gain, 0, 255) * soft
        lab[alpha >= 0.5] = inst.label
    return np.clip(out, 0, 255).astype(np.uint8), lab


class CopyPaste(PasteFirst):
    """A joint transform: pastes bank instances into a share `p` of the frames, then runs `inner`."""

    def __init__(self, inner, bank: ObjectBank, p: float, anchor_class: int | None = None,
                 seed: int | None = None) -> None:
        super().__init__(inner, p, seed)
        self.bank, self.anchor_class = bank, anchor_class

    def __call__(self, image: np.ndarray, mask: np.ndarray) -> dict:
        if len(self.bank) and self.p > 0 and self.rng.random() < self.p:
            image, mask = paste(self.rng, self.bank, image, mask, self.anchor_class,
                                1 if self.rng.random() < 0.6 else 2)
        return self.inner(image=image, mask=mask)

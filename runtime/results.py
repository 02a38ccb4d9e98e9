"""What a model says about one frame."""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec


@dataclass
class SegmentationResult:
    """Class mask at model resolution, and on demand at the frame's own resolution."""

    task: TaskSpec
    mask: np.ndarray  # (h, w) uint8 class indices at model input size
    frame_shape: tuple[int, int]  # (H, W) of the frame it came from
    logits: np.ndarray | None = None  # (C, h, w) raw scores when the model exports them
    _full: np.ndarray | None = field(default=None, repr=False)

    @property
    def mask_full(self) -> np.ndarray:
        """The mask resized (nearest) to the frame's resolution."""
        if self._full is None:
            h, w = self.frame_shape
            self._full = (
                self.mask if self.mask.shape == (h, w)
                else cv2.resize(self.mask, (w, h), interpolation=cv2.INTER_NEAREST)
            )
        return self._full

    @property
    def shares(self) -> dict[str, float]:
        """Fraction of pixels per class name."""
        head = self.task.seg_head
        counts = np.bincount(self.mask.ravel(), minlength=head.num_classes)[: head.num_classes]
        total = max(1, int(self.mask.size))
        return {name: float(c) / total for name, c in zip(head.classes, counts)}


@dataclass
class ClassificationResult:
    """Probabilities per named head."""

    task: TaskSpec
    probs: dict[str, np.ndarray]  # head name -> (K,) probabilities
    frame_shape: tuple[int, int]

    def top(self, head: str, k: int = 1) -> list[tuple[str, float]]:
        classes = self.task.head(head).classes
        p = np.asarray(self.probs[head]).reshape(-1)
        if p.size != len(classes):
            raise FoodcamError(f"head {head!r}: {p.size} probabilities for {len(classes)} classes")
        order = np.argsort(-p)[:k]
        return [(classes[i], float(p[i])) for i in order]

    def label(self, head: str) -> str:
        return self.top(head, 1)[0][0]

"""What a model says about one frame."""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec


class ImageLabels:
    """Decisions of per-image heads from `probs` (head name -> (K,) probabilities)."""

    task: TaskSpec
    probs: dict[str, np.ndarray]

    def top(self, head: str, k: int = 1) -> list[tuple[str, float]]:
        """The k most probable classes of `head`, most probable first."""
        classes = self.task.head(head).classes
        p = np.asarray(self.probs[head]).reshape(-1)
        if p.size != len(classes):
            raise FoodcamError(f"head {head!r}: {p.size} probabilities for {len(classes)} classes")
        order = np.argsort(-p, kind="stable")[:k]
        return [(classes[i], float(p[i])) for i in order]

    def present(self, head: str) -> list[tuple[str, float]]:
        """Multi-label head: every class at or above the head's threshold, most probable first."""
        h = self.task.head(head)
        p = self.probs[head]
        keep = [i for i in np.argsort(-p, kind="stable") if p[i] >= h.decision_threshold]
        return [(h.classes[i], float(p[i])) for i in keep]

    def decisions(self, head: str, k: int = 1) -> list[tuple[str, float]]:
        """What a head says: the classes present (multilabel) or the top-k (classification)."""
        return self.present(head) if self.task.head(head).kind == "multilabel" else self.top(head, k)


def normalised_entropy(logits: np.ndarray) -> np.ndarray:
    """(C, h, w) class scores -> (h, w) entropy of their softmax divided by log(C): 0 sure .. 1 uniform."""
    z = logits.astype(np.float32) - logits.max(axis=0, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=0, keepdims=True))
    ent = -(np.exp(logp) * logp).sum(axis=0)
    return ent / np.float32(np.log(max(2, logits.shape[0])))


@dataclass
class SegmentationResult(ImageLabels):
    """Class mask at model resolution, and on demand at the frame's own resolution; per-image heads of a
    multi-task model (e.g. the ingredient list of foodseg) in `probs`."""

    task: TaskSpec
    mask: np.ndarray  # (h, w) uint8 class indices at model input size
    frame_shape: tuple[int, int]  # (H, W) of the frame it came from
    logits: np.ndarray | None = None  # (C, h, w) raw scores when the model exports them
    probs: dict[str, np.ndarray] = field(default_factory=dict)  # per-image head -> (K,) probabilities
    uncertainty: np.ndarray | None = None  # (h, w) entropy / log(C) in 0..1 when the model exports it
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
    def mean_uncertainty(self) -> float | None:
        """Mean per-pixel entropy of the class probabilities, normalised to 0 (sure) .. 1 (uniform): from the
        model's "uncertainty" output, else from its logits; None when it exports neither."""
        if self.uncertainty is not None:
            return float(np.mean(self.uncertainty, dtype=np.float64))
        if self.logits is not None:
            return float(normalised_entropy(self.logits).mean(dtype=np.float64))
        return None

    @property
    def shares(self) -> dict[str, float]:
        """Fraction of pixels per class name."""
        head = self.task.seg_head
        counts = np.bincount(self.mask.ravel(), minlength=head.num_classes)[: head.num_classes]
        total = max(1, int(self.mask.size))
        return {name: float(c) / total for name, c in zip(head.classes, counts)}


@dataclass
class ClassificationResult(ImageLabels):
    """Probabilities per named head (softmax for classification heads, sigmoid for multilabel ones)."""

    task: TaskSpec
    probs: dict[str, np.ndarray]  # head name -> (K,) probabilities
    frame_shape: tuple[int, int]

    def label(self, head: str) -> str:
        return self.top(head, 1)[0][0]

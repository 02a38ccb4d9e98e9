"""What a model says about one frame."""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec


class ImageLabels:
    """Decisions of per-image heads from `probs` (head name -> (K,) probabilities). A calibrated head
    (runtime/calibration.py) has calibrated probabilities, its unsure score in `unsure_scores` and in `unsure`
    whether the photo is unlike what the head was made for (score above the head's threshold)."""

    task: TaskSpec
    probs: dict[str, np.ndarray]
    unsure: dict[str, bool]
    unsure_scores: dict[str, float]

    def is_unsure(self, head: str | None = None) -> bool:
        """Whether `head` (default: any calibrated head) says it is unsure about this photo."""
        return bool(self.unsure.get(head)) if head is not None else any(self.unsure.values())

    def head_text(self, head: str, k: int = 1, digits: int = 2) -> str:
        """What `head` says in words: "orange 0.65" (top-k / present classes), or "unsure (score 3.1 > 2.0)"."""
        if self.unsure.get(head):
            cal = self.task.head(head).calibration
            limit = f" > {cal.threshold:.3g}" if cal is not None else ""
            return f"unsure (score {self.unsure_scores[head]:.3g}{limit})"
        said = self.decisions(head, k)
        return (", ".join(f"{c} {p:.{digits}f}" for c, p in said[:3]) or "-") + (" ..." if len(said) > 3 else "")

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

    def _heads_text(self) -> list[str]:
        parts = []
        for h in self.task.image_heads:
            if h.name in self.probs:
                parts.append(f"{h.name}: {self.head_text(h.name)}")
        return parts

    def _repr(self, parts: list[str]) -> str:
        """One line: task, frame size, what was found, latency; never an array."""
        h, w = self.frame_shape
        latency = getattr(self, "latency_ms", None)
        where = getattr(self, "source", None)
        return (f"{type(self).__name__}({self.task.name}, {w}x{h}, " + "; ".join(parts or ["-"])
                + (f", {latency:.1f} ms" if latency is not None else "") + (f", {where}" if where else "") + ")")

    def plot(self, image: np.ndarray | None = None, mode: str = "overlay", alpha: float = 0.5,
             legend: bool = True) -> np.ndarray:
        """The result drawn on its frame as `foodcam run` draws it (runtime/draw.py): a new BGR uint8 image.
        `image`: the frame (default: the one `foodcam.load(...).predict` kept); mode overlay | mask | side-by-side."""
        from foodcam.runtime.draw import Visualizer  # OpenCV drawing: imported on use
        from foodcam.runtime.model import check_frame

        frame = image if image is not None else getattr(self, "image", None)
        if frame is None:
            raise FoodcamError("plot(): this result keeps no frame; pass it: result.plot(image)")
        frame = check_frame(frame, "plot(image)")
        if frame.shape[:2] != tuple(self.frame_shape):
            raise FoodcamError(f"plot(image): the frame is {frame.shape[1]}x{frame.shape[0]}, the result was made "
                               f"for {self.frame_shape[1]}x{self.frame_shape[0]}")
        info = {"latency_ms": getattr(self, "latency_ms", None)}
        return Visualizer(self.task, mode=mode, alpha=alpha, legend=legend).draw(frame, self, info)


def normalised_entropy(logits: np.ndarray) -> np.ndarray:
    """(C, h, w) class scores -> (h, w) entropy of their softmax divided by log(C): 0 sure .. 1 uniform."""
    z = logits.astype(np.float32) - logits.max(axis=0, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=0, keepdims=True))
    ent = -(np.exp(logp) * logp).sum(axis=0)
    return ent / np.float32(np.log(max(2, logits.shape[0])))


@dataclass(repr=False)
class SegmentationResult(ImageLabels):
    """Class mask at model resolution, and on demand at the frame's own resolution; per-image heads of a
    multi-task model (e.g. the ingredient list of foodseg) in `probs`."""

    task: TaskSpec
    mask: np.ndarray  # (h, w) uint8 class indices at model input size
    frame_shape: tuple[int, int]  # (H, W) of the frame it came from
    logits: np.ndarray | None = None  # (C, h, w) raw scores when the model exports them
    probs: dict[str, np.ndarray] = field(default_factory=dict)  # per-image head -> (K,) probabilities
    uncertainty: np.ndarray | None = None  # (h, w) entropy / log(C) in 0..1 when the model exports it
    unsure: dict[str, bool] = field(default_factory=dict)  # calibrated per-image head -> unsure about this frame
    unsure_scores: dict[str, float] = field(default_factory=dict)  # calibrated per-image head -> its unsure score
    _full: np.ndarray | None = field(default=None, repr=False)
    # set by the Python API's predict (foodcam/api.py): the frame (for plot()), where it came from, its latency
    image: np.ndarray | None = field(default=None, repr=False, compare=False)
    source: str | None = field(default=None, compare=False)
    latency_ms: float | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        present = sorted(((n, s) for n, s in self.shares.items() if s > 0), key=lambda kv: -kv[1])
        shown = [f"{n} {100 * s:.0f}%" for n, s in present[:5]] + (["..."] if len(present) > 5 else [])
        h, w = self.mask.shape[:2]
        return self._repr([f"mask {w}x{h}: " + (", ".join(shown) or "-"), *self._heads_text()])

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


@dataclass(repr=False)
class ClassificationResult(ImageLabels):
    """Probabilities per named head (softmax for classification heads, sigmoid for multilabel ones)."""

    task: TaskSpec
    probs: dict[str, np.ndarray]  # head name -> (K,) probabilities
    frame_shape: tuple[int, int]
    unsure: dict[str, bool] = field(default_factory=dict)  # calibrated head -> unsure about this photo
    unsure_scores: dict[str, float] = field(default_factory=dict)  # calibrated head -> its unsure score
    image: np.ndarray | None = field(default=None, repr=False, compare=False)
    source: str | None = field(default=None, compare=False)
    latency_ms: float | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        return self._repr(self._heads_text())

    def label(self, head: str) -> str:
        return self.top(head, 1)[0][0]

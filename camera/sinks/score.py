"""Accuracy against ground truth, for sources that know it (synth://): a confusion matrix over the run."""

from __future__ import annotations

import numpy as np

from foodcam.camera.sinks.base import Rendered, Sink
from foodcam.runtime.metrics import ConfusionMatrix
from foodcam.runtime.results import SegmentationResult


class ScoreSink(Sink):
    """Predicted masks (at frame resolution) against the frame's ground truth; frames without truth are skipped."""

    name = "score"

    def __init__(self) -> None:
        self.cm: ConfusionMatrix | None = None
        self.classes: tuple[str, ...] = ()
        self.frames = 0

    def write(self, out: Rendered) -> None:
        truth, result = out.frame.truth, out.result
        if not isinstance(truth, np.ndarray) or not isinstance(result, SegmentationResult):
            return  # no truth, or item truth (synth://conveyor) that a mask cannot be scored against
        if self.cm is None:
            self.classes = result.task.seg_head.classes
            self.cm = ConfusionMatrix(len(self.classes))
        self.cm.update(result.mask_full, truth)
        self.frames += 1

    def summary(self) -> dict:
        if self.cm is None:
            return {}
        m = self.cm.metrics(self.classes)
        return {"accuracy": {
            "frames": self.frames,
            "miou": round(m["miou"], 4),
            "pixel_accuracy": round(m["pixel_accuracy"], 4),
            "iou": {k: round(v["iou"], 4) for k, v in m["per_class"].items()},
        }}

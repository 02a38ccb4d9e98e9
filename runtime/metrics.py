"""Segmentation and classification metrics from a confusion matrix (numpy only).

One implementation, used by training validation, `foodcam eval` for every artifact kind,
the export accuracy gate, benchmarks and the camera demo summary.
"""

from __future__ import annotations

import numpy as np

from foodcam.runtime.tasks import IGNORE_INDEX


class ConfusionMatrix:
    """Rows are the truth, columns the prediction. Pixels labelled IGNORE_INDEX are left out."""

    def __init__(self, num_classes: int) -> None:
        self.n = int(num_classes)
        self.mat = np.zeros((self.n, self.n), np.int64)

    def update(self, pred: np.ndarray, target: np.ndarray, ignore_index: int = IGNORE_INDEX) -> None:
        pred = np.asarray(pred).ravel().astype(np.int64)
        target = np.asarray(target).ravel().astype(np.int64)
        if pred.shape != target.shape:
            raise ValueError(f"prediction has {pred.size} values, target {target.size}")
        keep = (target != ignore_index) & (target >= 0) & (target < self.n)
        bad = keep & ((pred < 0) | (pred >= self.n))
        if bad.any():
            raise ValueError(f"prediction holds class index {int(pred[bad][0])} outside 0..{self.n - 1}")
        idx = target[keep] * self.n + pred[keep]
        self.mat += np.bincount(idx, minlength=self.n * self.n).reshape(self.n, self.n)

    def merge(self, other: ConfusionMatrix) -> None:
        self.mat += other.mat

    def metrics(self, class_names: list[str] | tuple[str, ...]) -> dict:
        """pixel_accuracy, miou, mdice and per class: accuracy (one-vs-rest), precision, recall, iou, dice, support.

        A class absent from both truth and prediction gets NaN IoU and is left out of the means.
        """
        if len(class_names) != self.n:
            raise ValueError(f"{len(class_names)} class names for a {self.n}-class confusion matrix")
        m = self.mat.astype(np.float64)
        total = m.sum()
        tp = np.diag(m)
        fp = m.sum(0) - tp
        fn = m.sum(1) - tp
        tn = total - tp - fp - fn
        with np.errstate(divide="ignore", invalid="ignore"):
            precision = tp / (tp + fp)
            recall = tp / (tp + fn)
            iou = tp / (tp + fp + fn)
            dice = 2 * tp / (2 * tp + fp + fn)
            accuracy = (tp + tn) / total if total else np.full(self.n, np.nan)
        per_class = {
            name: {
                "accuracy": _f(accuracy[i]),
                "precision": _f(precision[i]),
                "recall": _f(recall[i]),
                "iou": _f(iou[i]),
                "dice": _f(dice[i]),
                "support": int(m[i].sum()),
            }
            for i, name in enumerate(class_names)
        }
        return {
            "pixel_accuracy": _f(tp.sum() / total) if total else float("nan"),
            "miou": _f(np.nanmean(iou)) if np.any(~np.isnan(iou)) else float("nan"),
            "mdice": _f(np.nanmean(dice)) if np.any(~np.isnan(dice)) else float("nan"),
            "per_class": per_class,
            "pixels": int(total),
        }


def _f(x) -> float:
    return float(x)


def agreement(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of equal entries (mask agreement between two artifacts)."""
    a, b = np.asarray(a), np.asarray(b)
    return float((a == b).mean()) if a.size else float("nan")

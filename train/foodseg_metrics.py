"""Food segmentation + ingredient-list metrics, one implementation for training validation and `foodcam eval`.

Masks: pixel accuracy, mIoU and mean Dice from `runtime.metrics.ConfusionMatrix` (background included;
classes absent from truth and prediction left out of the means). Labels (multi-label head): micro and
macro precision / recall / F1 at the head's threshold, and mAP (mean over classes with positives of the
average precision, threshold-free). `best_threshold` picks the threshold maximising micro-F1 on val; it
is stored in the checkpoint's task description.

An image's true ingredient list is the foods covering at least `MIN_LABEL_SHARE` of its labelled pixels.
"""

from __future__ import annotations

import math

import numpy as np

from foodcam.runtime.metrics import ConfusionMatrix
from foodcam.runtime.tasks import IGNORE_INDEX, TaskSpec

MIN_LABEL_SHARE = 1e-4  # ~7 pixels of a 256x256 image: specks smaller than that are not "on the plate"
THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.05), 2)


def labels_from_mask(mask: np.ndarray, num_foods: int, min_share: float = MIN_LABEL_SHARE) -> np.ndarray:
    """Multi-hot (num_foods,) float32: food k (mask value k + 1) covers >= min_share of the labelled pixels."""
    m = np.asarray(mask).ravel()
    m = m[m != IGNORE_INDEX]
    counts = np.bincount(m, minlength=num_foods + 1)[1: num_foods + 1].astype(np.float64)
    return (counts >= max(1.0, min_share * max(1, m.size))).astype(np.float32)


def average_precision(scores: np.ndarray, truth: np.ndarray) -> float:
    """AP of one class: mean precision at each true positive, ranking by score (NaN without positives)."""
    truth = np.asarray(truth).astype(bool)
    if not truth.any():
        return float("nan")
    order = np.argsort(-np.asarray(scores), kind="stable")
    hits = truth[order]
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float(precision[hits].mean())


def label_metrics(probs: np.ndarray, truth: np.ndarray, threshold: float, classes: list[str] | None = None) -> dict:
    """Micro/macro P/R/F1 at `threshold`, mAP, and per class precision/recall/F1/AP/support."""
    probs = np.asarray(probs, np.float64)
    truth = np.asarray(truth).astype(bool)
    pred = probs >= threshold
    tp = (pred & truth).sum(0).astype(np.float64)
    fp = (pred & ~truth).sum(0).astype(np.float64)
    fn = (~pred & truth).sum(0).astype(np.float64)

    def prf(tp_, fp_, fn_):
        p = tp_ / (tp_ + fp_) if tp_ + fp_ else float("nan")
        r = tp_ / (tp_ + fn_) if tp_ + fn_ else float("nan")
        f = 2 * tp_ / (2 * tp_ + fp_ + fn_) if tp_ + fp_ + fn_ else float("nan")
        return p, r, f

    micro = prf(tp.sum(), fp.sum(), fn.sum())
    per = [prf(*v) for v in zip(tp, fp, fn)]
    ap = [average_precision(probs[:, k], truth[:, k]) for k in range(probs.shape[1])]
    support = truth.sum(0)
    seen = [k for k in range(probs.shape[1]) if support[k] > 0]

    def mean(vals):
        vals = [v for v in vals if not math.isnan(v)]
        return float(np.mean(vals)) if vals else float("nan")

    out = {
        "threshold": float(threshold),
        "micro_precision": micro[0], "micro_recall": micro[1], "micro_f1": micro[2],
        "macro_precision": mean([per[k][0] for k in seen]), "macro_recall": mean([per[k][1] for k in seen]),
        "macro_f1": mean([per[k][2] for k in seen]),
        "map": mean([ap[k] for k in seen]),
        "images": int(probs.shape[0]),
    }
    if classes is not None:
        out["per_class"] = {c: {"precision": per[k][0], "recall": per[k][1], "f1": per[k][2], "ap": ap[k],
                                "support": int(support[k])} for k, c in enumerate(classes)}
    return out


def best_threshold(probs: np.ndarray, truth: np.ndarray) -> float:
    """The threshold of THRESHOLDS with the highest micro-F1 (ties: the one nearest 0.5)."""
    best, best_f1 = 0.5, -1.0
    for t in sorted(THRESHOLDS, key=lambda t: abs(t - 0.5)):
        f1 = label_metrics(probs, truth, float(t))["micro_f1"]
        if not math.isnan(f1) and f1 > best_f1 + 1e-12:
            best, best_f1 = float(t), f1
    return best


class FoodMetrics:
    """Accumulates masks and label probabilities of any artifact; `compute` gives every metric."""

    def __init__(self, task: TaskSpec) -> None:
        self.task = task
        self.cm = ConfusionMatrix(task.seg_head.num_classes) if task.has_segmentation else None
        self.label_heads = [h for h in task.image_heads if h.kind == "multilabel"]
        self.probs: dict[str, list[np.ndarray]] = {h.name: [] for h in self.label_heads}
        self.truth: dict[str, list[np.ndarray]] = {h.name: [] for h in self.label_heads}

    def update_mask(self, pred: np.ndarray, target: np.ndarray) -> None:
        if self.cm is not None:
            self.cm.update(pred, target, IGNORE_INDEX)

    def update_labels(self, head: str, probs: np.ndarray, truth: np.ndarray) -> None:
        self.probs[head].append(np.asarray(probs, np.float32).reshape(-1, np.shape(probs)[-1]))
        self.truth[head].append(np.asarray(truth, np.float32).reshape(-1, np.shape(truth)[-1]))

    def compute(self, choose_threshold: bool = False) -> dict:
        """Mask metrics (when segmenting) and per label head its metrics at its threshold (or, with
        `choose_threshold`, at the best one on this data, reported as "threshold")."""
        out: dict = {}
        if self.cm is not None:
            head = self.task.seg_head
            m = self.cm.metrics(head.classes)
            out.update(pixel_accuracy=m["pixel_accuracy"], miou=m["miou"], mdice=m["mdice"],
                       per_class=m["per_class"], classes=list(head.classes), confusion=self.cm.mat.tolist())
        out["labels"] = {}
        for h in self.label_heads:
            if not self.probs[h.name]:
                continue
            p, t = np.concatenate(self.probs[h.name]), np.concatenate(self.truth[h.name])
            thr = best_threshold(p, t) if choose_threshold else h.decision_threshold
            out["labels"][h.name] = label_metrics(p, t, thr, list(h.classes))
        return out


def score(metrics: dict) -> float:
    """What "best" means: mIoU, label micro-F1, or their mean for a multi-task model."""
    parts = []
    if "miou" in metrics:
        parts.append(metrics["miou"])
    parts += [m["micro_f1"] for m in metrics.get("labels", {}).values()]
    parts = [0.0 if (p is None or math.isnan(p)) else p for p in parts]
    return float(np.mean(parts)) if parts else float("nan")


def summary_line(metrics: dict) -> str:
    parts = []
    if "miou" in metrics:
        parts.append(f"mIoU {metrics['miou']:.4f} pixel acc {metrics['pixel_accuracy']:.4f} mDice {metrics['mdice']:.4f}")
    for name, m in metrics.get("labels", {}).items():
        parts.append(f"{name}: micro-F1 {m['micro_f1']:.4f} macro-F1 {m['macro_f1']:.4f} mAP {m['map']:.4f} "
                     f"@ {m['threshold']:.2f}")
    return "; ".join(parts)

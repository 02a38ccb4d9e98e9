"""The classification pieces of `foodcam train` (freshness: fruit type + fresh/rotten from one backbone).

Implements the `train.engine.TrainTask` protocol: the de-duplicated, leak-checked split of
`train.data.fruit`, the reference augmentations (flips, rotation up to 45 degrees, blur, sharpening) plus
colour jitter, per-head cross-entropy with configurable weights, per-head validation (accuracy,
precision/recall/F1, confusion) and best = the mean of the head accuracies. Besides the engine's files
the run folder gets tasks.csv, curves_<head>.png (loss and accuracy per head) and, at each new best,
confusion_<head>.png.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import albumentations as A
import cv2
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import Dataset

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec
from foodcam.train.augment import camera_faults, normalise, resize_frame
from foodcam.train.cls_metrics import ClsMeter, plot_head_confusions
from foodcam.train.configs import TrainOptions

log = logging.getLogger("foodcam.train")


def cls_train_transform(seed: int | None = None) -> A.Compose:
    """Augmentation of an RGB image at the input size: the reference set (flips, rotation within +-45
    degrees, blur or sharpening), colour jitter with a small hue range (colour tells rotten from fresh), zoom
    (0.6-1.6x: a fruit far off on a belt, or filling a tight crop) and the camera faults of
    `augment.camera_faults` (exposure, white balance, motion blur, noise, JPEG), never a repaint."""
    return A.Compose(
        [
            A.HorizontalFlip(p=0.5),
            A.VerticalFlip(p=0.5),
            A.Affine(rotate=(-45, 45), scale=(0.6, 1.6), interpolation=cv2.INTER_LINEAR,
                     border_mode=cv2.BORDER_REFLECT_101, p=0.8),
            A.OneOf([A.GaussianBlur(blur_limit=(3, 5)), A.Sharpen(alpha=(0.2, 0.5), lightness=(0.7, 1.0))], p=0.3),
            A.ColorJitter(brightness=0.25, contrast=0.25, saturation=0.25, hue=0.02, p=0.8),
            *camera_faults(),
        ],
        seed=seed,
    )


class ClassificationDataset(Dataset):
    """A labelled folder (`load(i) -> (bgr, label per head...)`) as (normalised 3xHxW, {head: label})."""

    def __init__(self, folder, heads: tuple[str, ...], size: tuple[int, int], mean, std, transform=None) -> None:
        self.folder = folder
        self.heads = tuple(heads)
        self.size = (int(size[0]), int(size[1]))
        self.mean, self.std = tuple(mean), tuple(std)
        self.transform = transform

    def __len__(self) -> int:
        return len(self.folder)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        bgr, *labels = self.folder.load(i)
        rgb = np.ascontiguousarray(resize_frame(bgr, self.size)[:, :, ::-1])  # as the deployment wrapper sees it
        if self.transform is not None:
            rgb = self.transform(image=rgb)["image"]
        x = torch.from_numpy(normalise(rgb, self.mean, self.std))
        return x, {h: torch.tensor(int(y), dtype=torch.int64) for h, y in zip(self.heads, labels)}


def parse_loss_weights(text: str | None, heads: tuple[str, ...]) -> dict[str, float]:
    """"fruit=1,freshness=2" or "1,2" (head order) -> {head: weight}; None -> all 1."""
    weights = dict.fromkeys(heads, 1.0)
    if not text:
        return weights
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    try:
        if all("=" in p for p in parts):
            for p in parts:
                k, v = (s.strip() for s in p.split("=", 1))
                if k not in weights:
                    raise FoodcamError(f"--loss-weights: unknown head {k!r} (heads: {', '.join(heads)})")
                weights[k] = float(v)
        elif len(parts) == len(heads):
            weights = {h: float(v) for h, v in zip(heads, parts)}
        else:
            raise ValueError
    except ValueError:
        raise FoodcamError(f"--loss-weights {text!r}: expected e.g. 'fruit=1,freshness=2' or one number per head "
                           f"({', '.join(heads)})") from None
    if any(w < 0 for w in weights.values()) or not any(w > 0 for w in weights.values()):
        raise FoodcamError(f"--loss-weights {text!r}: weights must be >= 0 and not all zero")
    return weights


class MultiHeadLoss(nn.Module):
    """sum over heads of weight x cross-entropy; keeps per-head loss and accuracy of the training passes."""

    def __init__(self, weights: dict[str, float]) -> None:
        super().__init__()
        self.weights = dict(weights)
        self.reset()

    def reset(self) -> None:
        self.stats = {h: [0.0, 0, 0] for h in self.weights}  # loss sum, correct, seen (training passes)

    def forward(self, outputs: dict[str, torch.Tensor], targets: dict[str, torch.Tensor]) -> torch.Tensor:
        total = 0.0
        for h, w in self.weights.items():
            logits = outputs[h].float()
            loss = F.cross_entropy(logits, targets[h])
            total = total + w * loss
            if torch.is_grad_enabled():  # the engine validates under no_grad; the meter measures that
                n = int(targets[h].numel())
                s = self.stats[h]
                s[0] += float(loss.detach()) * n
                s[1] += int((logits.detach().argmax(1) == targets[h]).sum())
                s[2] += n
        return total

    def take(self) -> dict[str, tuple[float, float]]:
        """{head: (mean training loss, training accuracy)} since the last call."""
        out = {h: (s[0] / s[2], s[1] / s[2]) if s[2] else (float("nan"), float("nan")) for h, s in self.stats.items()}
        self.reset()
        return out


class ClsTask:
    """Freshness training: the class list comes from the data (the task's fruit first)."""

    best_key = "mean_acc"

    def __init__(self, spec: TaskSpec, args: TrainOptions) -> None:
        if spec.name != "freshness":
            raise FoodcamError(f"no dataset reader for classification task {spec.name!r}")
        from foodcam.train.data.fruit import load_freshness

        self.args = args
        self.data = load_freshness(args.data)
        self.data.assert_no_overlap()
        d = self.data.dedup
        log.info("%s: %d images, %d duplicate groups (%d dropped), %d corrupt and %d other files skipped; "
                 "split %d train / %d val with zero overlap", args.data, len(self.data.scan.paths), len(d.groups),
                 d.dropped, len(self.data.scan.corrupt), self.data.scan.skipped - len(self.data.scan.corrupt),
                 len(self.data.train), len(self.data.val))
        self.spec = spec.with_head_classes("fruit", list(self.data.fruits))
        self.heads = tuple(h.name for h in self.spec.heads)
        self.weights = parse_loss_weights(getattr(args, "loss_weights", None), self.heads)
        self.out = Path(args.out)
        self.rows, self.best = self._previous_rows() if getattr(args, "resume", False) else ([], None)
        self.loss: MultiHeadLoss | None = None

    def datasets(self, args: TrainOptions, seed: int) -> tuple[ClassificationDataset, ClassificationDataset]:
        from foodcam.train.finetune_gate import split_holdout

        size, mean, std = self.spec.input_size, self.spec.mean, self.spec.std
        # fine-tuning: part of the user's frames held back for the before/after gate (train/finetune_gate.py)
        own, self.holdout = split_holdout(self.data.folder("train"), args, f"{args.data} (train split)")
        train = ClassificationDataset(own, self.heads, size, mean, std,
                                      transform=cls_train_transform(seed))
        val = ClassificationDataset(self.data.folder("val"), self.heads, size, mean, std)
        return train, val

    def criterion(self, train: ClassificationDataset) -> MultiHeadLoss:
        self.loss = MultiHeadLoss(self.weights)
        return self.loss

    def meter(self) -> ClsMeter:
        return ClsMeter(self.spec)

    def row(self, metrics: dict) -> dict[str, float]:
        """metrics.csv columns: val_mean_acc, val_acc_<head>, f1_<class>; per-head curves on the side."""
        row = {"val_mean_acc": metrics["mean_acc"], **{f"val_acc_{h}": a for h, a in metrics["acc"].items()}}
        names = [c for h in metrics["heads"].values() for c in h["classes"]]
        for h, hm in metrics["heads"].items():
            for c, v in hm["per_class"].items():
                row[f"f1_{c}" if names.count(c) == 1 else f"f1_{h}_{c}"] = v["f1"]
        self._side_outputs(metrics)
        return row

    def summary(self, metrics: dict) -> str:
        accs = ", ".join(f"{h} {a:.4f}" for h, a in metrics["acc"].items())
        return f"acc {accs} (mean {metrics['mean_acc']:.4f})"

    # ---- per-head curves and confusion matrices beside the engine's outputs

    def _previous_rows(self) -> tuple[list[dict], float | None]:
        """tasks.csv rows of the epochs last.pt has (when resuming) and their best mean accuracy."""
        done = _read_csv(self.out / "metrics.csv")
        rows = [r for r in _read_csv(self.out / "tasks.csv") if int(float(r["epoch"])) <= len(done)]
        rows = [{k: float(v) for k, v in r.items()} for r in rows]
        best = max((r["val_mean_acc"] for r in rows), default=None)
        return rows, best

    def _side_outputs(self, metrics: dict) -> None:
        from foodcam.train.engine import write_metrics_csv
        from foodcam.train.plots import plot_curves

        train = self.loss.take() if self.loss is not None else {}
        row: dict[str, float] = {"epoch": len(self.rows) + 1, "val_mean_acc": metrics["mean_acc"]}
        for h in self.heads:
            tl, ta = train.get(h, (float("nan"), float("nan")))
            row.update({f"train_loss_{h}": tl, f"val_loss_{h}": metrics["loss"][h], f"train_acc_{h}": ta,
                        f"val_acc_{h}": metrics["acc"][h], f"val_macro_f1_{h}": metrics["heads"][h]["macro_f1"]})
        self.rows.append(row)
        write_metrics_csv(self.out / "tasks.csv", self.rows)
        for h in self.heads:  # loss panel: train/val loss; validation panel: val accuracy and macro F1
            rows = [{"epoch": r["epoch"], "train_loss": r[f"train_loss_{h}"], "val_loss": r[f"val_loss_{h}"],
                     "val_acc": r[f"val_acc_{h}"], "val_macro_f1": r[f"val_macro_f1_{h}"]} for r in self.rows]
            plot_curves(rows, self.out / f"curves_{h}.png", f"{self.spec.name} {h} ({getattr(self.args, 'model', '')})")
        if self.best is None or metrics["mean_acc"] > self.best:
            self.best = metrics["mean_acc"]
            plot_head_confusions(metrics, self.out, title=f"val epoch {row['epoch']}")


def _read_csv(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def make_task(spec: TaskSpec, args: TrainOptions) -> ClsTask:
    return ClsTask(spec, args)

"""The foodseg pieces of `foodcam train foodseg --task single-seg|single-labels|multi`.

Implements the `train.engine.TrainTask` protocol: the data's own class list (FoodSeg103's
category_id.txt or the COCO categories), the train split and the val split ("test" in FoodSeg103),
loss = w_mask * CE(class-weighted, ignore 255) + w_labels * BCEWithLogits, validation with every mask and
label metric, and best = mIoU, label micro-F1, or their mean (multi). At each validation the label
threshold with the best micro-F1 is chosen and written into the task description the checkpoint carries.
"""

from __future__ import annotations

import logging

import torch
import torch.nn.functional as F
from torch import nn

from foodcam.runtime.tasks import TaskSpec, food_segmentation_task
from foodcam.train.augment import seg_train_transform
from foodcam.train.cls_task import parse_loss_weights
from foodcam.train.configs import TrainOptions
from foodcam.train.data.food import open_food_data
from foodcam.train.datasets import class_frequencies
from foodcam.train.food_data import FoodDataset
from foodcam.train.foodseg_metrics import FoodMetrics, score, summary_line
from foodcam.train.losses import SegLoss, class_weights

log = logging.getLogger("foodcam.train")

MAX_CSV_CLASSES = 30  # per-class IoU columns in metrics.csv up to this many classes


class FoodLoss(nn.Module):
    """sum over heads of weight x (CE for the mask, BCEWithLogits for a label head)."""

    def __init__(self, task: TaskSpec, weights: dict[str, float], seg_loss: nn.Module | None) -> None:
        super().__init__()
        self.weights = dict(weights)
        self.kinds = {h.name: h.kind for h in task.heads}
        self.seg_loss = seg_loss

    def forward(self, outputs: dict[str, torch.Tensor], targets: dict[str, torch.Tensor]) -> torch.Tensor:
        total = 0.0
        for name, w in self.weights.items():
            if not w:
                continue
            if self.kinds[name] == "segmentation":
                total = total + w * self.seg_loss(outputs[name], targets[name])
            else:
                total = total + w * F.binary_cross_entropy_with_logits(outputs[name].float(), targets[name])
        return total


class FoodMeter:
    """Validation: masks into a confusion matrix, label probabilities kept for threshold choice and mAP."""

    def __init__(self, task: TaskSpec) -> None:
        self.metrics = FoodMetrics(task)
        self.task = task

    def update(self, outputs: dict[str, torch.Tensor], targets: dict[str, torch.Tensor]) -> None:
        if self.task.has_segmentation:
            name = self.task.seg_head.name
            self.metrics.update_mask(outputs[name].argmax(1).cpu().numpy(), targets[name].cpu().numpy())
        for h in self.metrics.label_heads:
            self.metrics.update_labels(h.name, torch.sigmoid(outputs[h.name].float()).cpu().numpy(),
                                       targets[h.name].cpu().numpy())

    def compute(self) -> dict:
        m = self.metrics.compute(choose_threshold=True)
        m["score"] = score(m)
        return m


class FoodSegTask:
    best_key = "score"
    min_epoch_samples = 128

    def __init__(self, spec: TaskSpec, args: TrainOptions) -> None:
        self.args = args
        self.data = open_food_data(args.data)
        for p in self.data.all_problems():
            log.warning("%s", p)
        variant = getattr(args, "variant", None) or "multi"
        self.spec = food_segmentation_task(self.data.classes, variant, tuple(spec.input_size))
        self.train_split, self.val_split = self.data.split("train"), self.data.split("val")
        log.info("%s (%s layout): %d classes; %d train / %d val images; task %s (heads %s)", self.data.root,
                 self.data.format, len(self.data.classes), len(self.train_split), len(self.val_split), variant,
                 ", ".join(h.name for h in self.spec.heads))
        self.weights = parse_loss_weights(getattr(args, "loss_weights", None), tuple(h.name for h in self.spec.heads))

    def datasets(self, args: TrainOptions, seed: int) -> tuple[FoodDataset, FoodDataset]:
        size = self.spec.input_size
        train = FoodDataset(self.train_split, self.spec, transform=seg_train_transform(size, seed=seed))
        return train, FoodDataset(self.val_split, self.spec)

    def criterion(self, train: FoodDataset) -> nn.Module:
        seg_loss = None
        if self.spec.has_segmentation:
            head = self.spec.seg_head
            weight = class_weights(class_frequencies(train.folder, head.num_classes))
            seg_loss = SegLoss(weight, dice_weight=0.0)
        return FoodLoss(self.spec, self.weights, seg_loss)

    def meter(self) -> FoodMeter:
        return FoodMeter(self.spec)

    def row(self, metrics: dict) -> dict[str, float]:
        """metrics.csv columns; also writes the val-chosen threshold into the task the checkpoint carries."""
        row: dict[str, float] = {"val_score": metrics["score"]}
        if "miou" in metrics:
            row.update(val_miou=metrics["miou"], val_pixel_acc=metrics["pixel_accuracy"], val_mdice=metrics["mdice"])
            if len(metrics["per_class"]) <= MAX_CSV_CLASSES:
                row.update({f"iou_{c}": v["iou"] for c, v in metrics["per_class"].items()})
        for name, m in metrics["labels"].items():
            row.update({f"{name}_micro_f1": m["micro_f1"], f"{name}_macro_f1": m["macro_f1"], f"{name}_map": m["map"],
                        f"{name}_threshold": m["threshold"]})
            self.spec = self.spec.with_threshold(name, m["threshold"])
        return row

    def summary(self, metrics: dict) -> str:
        return summary_line(metrics)


def make_task(spec: TaskSpec, args: TrainOptions) -> FoodSegTask:
    return FoodSegTask(spec, args)

"""Food recognition (`foodcam train foodrec`): a single-label classifier on COCO-format (or FoodSeg103) data.

The label of an image is the food covering the largest area (COCO: summed annotation areas, no mask
decoding; FoodSeg103: pixels of its mask); images without any food are left out (counted). The class
list is the data's categories; the model is any classifier (mobilenetv3, resnet50, ...) with one head,
"food". Validation and `foodcam eval` report top-1 and top-5 accuracy and macro F1; best = top-1.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from tqdm import tqdm

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import read_image
from foodcam.runtime.metrics import ConfusionMatrix
from foodcam.runtime.model import Model
from foodcam.runtime.tasks import TaskSpec
from foodcam.train.class_table import MAX_ROWS, class_table
from foodcam.train.cls_task import ClassificationDataset, MultiHeadLoss, cls_train_transform
from foodcam.train.configs import TrainOptions
from foodcam.train.food_data import SkippingSplit

log = logging.getLogger("foodcam.train")
HEAD = "food"


class RecognitionSplit:
    """A food split as (image, index of its largest food among the foods) pairs."""

    def __init__(self, split) -> None:
        self.split = split
        self.name = split.name
        self.classes = list(split.classes[1:])
        self.items: list[tuple[int, int]] = []
        self.unlabelled = 0
        for i in range(len(split)):
            try:
                areas = split.areas(i) if hasattr(split, "areas") else _mask_areas(split.load_mask(i))
            except FoodcamError as e:
                log.warning("skipped %s", e)
                continue
            areas = {k: a for k, a in areas.items() if k > 0 and a > 0}
            if not areas:
                self.unlabelled += 1
                continue
            self.items.append((i, max(areas, key=lambda k: (areas[k], -k)) - 1))

    def __len__(self) -> int:
        return len(self.items)

    def path(self, i: int) -> Path:
        return self.split.path(self.items[i][0])

    def load(self, i: int) -> tuple[np.ndarray, int]:
        j, label = self.items[i]
        return read_image(self.split.path(j)), label


def _mask_areas(mask: np.ndarray) -> dict[int, float]:
    counts = np.bincount(mask[mask != 255].ravel())
    return {k: float(c) for k, c in enumerate(counts) if c}


def recognition_split(root: str | Path, split: str) -> tuple[RecognitionSplit, dict[str, list[str]]]:
    from foodcam.train.data.food import open_food_data

    s = RecognitionSplit(open_food_data(root).split(split))
    if len(s) == 0:
        raise FoodcamError(f"{root}: no image of the {split!r} split has a food annotation")
    return s, {HEAD: s.classes}


class TopKMeter:
    """Top-1 confusion matrix + top-5 hits of the "food" head."""

    def __init__(self, spec: TaskSpec) -> None:
        self.classes = spec.head(HEAD).classes
        self.cm = ConfusionMatrix(len(self.classes))
        self.top5 = self.seen = 0

    def update_scores(self, scores: np.ndarray, truth: np.ndarray) -> None:
        scores, truth = np.asarray(scores), np.asarray(truth)
        k = min(5, scores.shape[1])
        top = np.argsort(-scores, axis=1)[:, :k]
        self.cm.update(top[:, 0], truth)
        self.top5 += int((top == truth[:, None]).any(1).sum())
        self.seen += len(truth)

    def update(self, outputs: dict, targets: dict) -> None:
        self.update_scores(outputs[HEAD].float().cpu().numpy(), targets[HEAD].cpu().numpy())

    def compute(self) -> dict:
        m = self.cm.metrics(list(self.classes))
        f1 = [v["dice"] for v in m["per_class"].values() if v["support"] > 0 and not np.isnan(v["dice"])]
        return {"top1": m["pixel_accuracy"], "top5": self.top5 / self.seen if self.seen else float("nan"),
                "macro_f1": float(np.mean(f1)) if f1 else float("nan"), "images": self.seen,
                "per_class": {c: {"precision": v["precision"], "recall": v["recall"], "f1": v["dice"],
                                  "support": v["support"]} for c, v in m["per_class"].items()}}


class FoodRecTask:
    best_key = "top1"
    min_epoch_samples = 128

    def __init__(self, spec: TaskSpec, args: TrainOptions) -> None:
        self.args = args
        self.train_split, classes = recognition_split(args.data, "train")
        self.val_split, _ = recognition_split(args.data, "val")
        self.spec = spec.with_head_classes(HEAD, classes[HEAD])
        for s in (self.train_split, self.val_split):
            if s.unlabelled:
                log.info("%s: %d images without a food annotation left out", s.name, s.unlabelled)

    def datasets(self, args: TrainOptions, seed: int):
        size, mean, std = self.spec.input_size, self.spec.mean, self.spec.std
        train = ClassificationDataset(SkippingSplit(self.train_split), (HEAD,), size, mean, std,
                                      transform=cls_train_transform(seed))
        return train, ClassificationDataset(SkippingSplit(self.val_split), (HEAD,), size, mean, std)

    def criterion(self, train) -> MultiHeadLoss:
        return MultiHeadLoss({HEAD: 1.0})

    def meter(self) -> TopKMeter:
        return TopKMeter(self.spec)

    def row(self, metrics: dict) -> dict[str, float]:
        return {"val_top1": metrics["top1"], "val_top5": metrics["top5"], "val_macro_f1": metrics["macro_f1"]}

    def summary(self, metrics: dict) -> str:
        return f"top-1 {metrics['top1']:.4f} top-5 {metrics['top5']:.4f} macro-F1 {metrics['macro_f1']:.4f}"


def make_task(spec: TaskSpec, args: TrainOptions) -> FoodRecTask:
    return FoodRecTask(spec, args)


def evaluate_recognition(model: Model, root: str | Path, split: str, batch: int = 16, progress: bool = True) -> dict:
    """Top-1 / top-5 accuracy and macro F1 of any artifact on the split; labels matched by class name."""
    data, classes = recognition_split(root, split)
    model_classes = list(model.task.head(HEAD).classes)
    unknown = [c for c in classes[HEAD] if c not in model_classes]
    if unknown:
        raise FoodcamError(f"the data has foods {unknown[:5]} that {model.path} does not know")
    remap = np.asarray([model_classes.index(c) for c in classes[HEAD]], np.int64)
    meter = TopKMeter(model.task)
    fixed = model.input_spec.shape[0]
    step = int(fixed) if isinstance(fixed, (int, np.integer)) and fixed > 0 else batch
    with tqdm(total=len(data), desc=f"eval {split}", unit="img", disable=not progress, leave=False) as bar:
        for start in range(0, len(data), step):
            rows = [data.load(i) for i in range(start, min(len(data), start + step))]
            out = model.infer(np.concatenate([model.preprocess(r[0]) for r in rows]))
            meter.update_scores(out[HEAD], remap[np.asarray([r[1] for r in rows])])
            bar.update(len(rows))
    return {**meter.compute(), "unlabelled_images": data.unlabelled, "task": model.task.name}


def format_recognition(metrics: dict, max_rows: int = MAX_ROWS) -> str:
    """The per-class table (every food, most photos first; with more than `max_rows` foods the worst by F1,
    train.class_table) and the summary line."""
    lines = class_table(metrics["per_class"], [("f1", "pct"), ("precision", "pct"), ("recall", "pct"),
                                               ("support", "int")], "f1", max_rows) if metrics.get("per_class") else []
    lines.append(f"top-1 {100 * metrics['top1']:.2f}%  top-5 {100 * metrics['top5']:.2f}%  macro F1 "
                 f"{100 * metrics['macro_f1']:.2f}%  ({metrics['images']} images, "
                 f"{metrics.get('unlabelled_images', 0)} without a food left out)")
    return "\n".join(lines)

"""`foodcam eval` of a foodseg artifact (.pt, .onnx, .engine): mask and ingredient-list metrics on a split.

The one evaluation of foodseg models: `foodcam eval`, the export accuracy gate and the single- vs
multi-task table of docs/studies/foodseg-foodrec.md all call `evaluate_food`. Predicted masks are compared at each label's resolution;
the ingredient list is judged against the foods in the true mask (`foodseg_metrics.labels_from_mask`) at
the threshold the artifact carries.
"""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np
from tqdm import tqdm

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.model import Model
from foodcam.train.class_table import MAX_ROWS, class_table
from foodcam.train.class_table import pct as _pct
from foodcam.train.foodseg_metrics import FoodMetrics, labels_from_mask

log = logging.getLogger("foodcam.eval")


def food_split(root: str | Path, split: str):
    """The labelled split of a FoodSeg103 / COCO folder ("val" finds FoodSeg103's "test")."""
    from foodcam.train.data.food import open_food_data

    data = open_food_data(root)
    s = data.split(split)
    if len(s) == 0:
        raise FoodcamError(f"{data.root}: the {s.name!r} split has no usable images")
    return s


def evaluate_food(model: Model, split, progress: bool = True, desc: str = "eval", keep: bool = False) -> dict:
    """Mask metrics (pixel accuracy, mIoU, mean Dice, per class) and label metrics (micro/macro P/R/F1, mAP).

    Items that cannot be read are skipped with a warning and counted ("skipped"). `keep` adds "masks"
    and "label_probs" (per head, (N, K)) for comparing two artifacts."""
    task = model.task
    foods = list(getattr(split, "classes", []))[1:]
    model_foods = list(task.seg_head.classes[1:]) if task.has_segmentation else list(task.image_heads[0].classes)
    if foods and foods != model_foods:
        raise FoodcamError(f"the data's {len(foods)} food classes differ from the {len(model_foods)} "
                           f"{model.path} was trained on (first difference: "
                           f"{next((a, b) for a, b in zip(foods + [''] * 999, model_foods + [''] * 999) if a != b)})")
    metrics = FoodMetrics(task)
    masks, probs = [], {h.name: [] for h in metrics.label_heads}
    skipped = []
    for i in tqdm(range(len(split)), desc=desc, unit="img", disable=not progress, leave=False):
        try:
            frame, truth = split.load(i)
        except FoodcamError as e:
            skipped.append(str(e))
            log.warning("skipped %s", e)
            continue
        res = model.predict(frame)
        if task.has_segmentation:
            pred = res.mask_full
            if pred.shape != truth.shape:
                pred = cv2.resize(pred, (truth.shape[1], truth.shape[0]), interpolation=cv2.INTER_NEAREST)
            metrics.update_mask(pred, truth)
            if keep:
                masks.append(pred)
        for h in metrics.label_heads:
            p = np.asarray(res.probs[h.name], np.float32)
            metrics.update_labels(h.name, p[None], labels_from_mask(truth, h.num_classes)[None])
            if keep:
                probs[h.name].append(p)
    if len(skipped) == len(split):
        raise FoodcamError(f"evaluation: none of the {len(split)} images could be read")
    out = metrics.compute()
    out.update(images=len(split) - len(skipped), skipped=len(skipped), task=task.name,
               heads=[h.name for h in task.heads])
    if keep:
        out["masks"] = masks
        out["label_probs"] = {k: np.stack(v) if v else np.zeros((0, 0), np.float32) for k, v in probs.items()}
    return out


def format_food(metrics: dict, max_rows: int = MAX_ROWS) -> str:
    """The per-class IoU table (every class, largest first; with more than `max_rows` classes the worst ones,
    train.class_table) and the summary lines."""
    lines = []
    if "miou" in metrics:
        lines += class_table(metrics["per_class"], [("iou", "pct"), ("dice", "pct"), ("support", "int")], "iou",
                             max_rows)
        lines.append(f"masks: pixel accuracy {_pct(metrics['pixel_accuracy'])}  mIoU {_pct(metrics['miou'])}  "
                     f"mean Dice {_pct(metrics['mdice'])}")
    for name, m in metrics.get("labels", {}).items():
        lines.append(f"{name} (threshold {m['threshold']:.2f}): micro P {_pct(m['micro_precision'])} "
                     f"R {_pct(m['micro_recall'])} F1 {_pct(m['micro_f1'])} | macro P {_pct(m['macro_precision'])} "
                     f"R {_pct(m['macro_recall'])} F1 {_pct(m['macro_f1'])} | mAP {_pct(m['map'])}")
    lines.append(f"({metrics['images']} images{', ' + str(metrics['skipped']) + ' skipped' if metrics.get('skipped') else ''})")
    return "\n".join(lines)

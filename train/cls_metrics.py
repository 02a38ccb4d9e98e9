"""Multi-head classification metrics: per-head accuracy, per-class precision/recall/F1, confusion matrices.

One implementation for training validation (`ClsMeter`) and `foodcam eval` of any artifact
(`evaluate_classification`), both on `runtime.metrics.ConfusionMatrix`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from tqdm import tqdm

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.fmt import pct
from foodcam.runtime.metrics import ConfusionMatrix
from foodcam.runtime.model import Model
from foodcam.runtime.tasks import TaskSpec


def head_metrics(cm: ConfusionMatrix, classes: Sequence[str]) -> dict:
    """accuracy, macro F1 and per class precision / recall / F1 / support of one head."""
    m = cm.metrics(list(classes))
    per_class = {
        c: {"precision": v["precision"], "recall": v["recall"], "f1": v["dice"], "support": v["support"]}
        for c, v in m["per_class"].items()
    }
    f1 = [v["f1"] for v in per_class.values() if v["support"] > 0 and not math.isnan(v["f1"])]
    return {
        "accuracy": m["pixel_accuracy"],  # share of correct images
        "macro_f1": float(np.mean(f1)) if f1 else float("nan"),
        "per_class": per_class,
        "classes": list(classes),
        "confusion": cm.mat.tolist(),
        "images": int(cm.mat.sum()),
    }


def summarise(cms: dict[str, ConfusionMatrix], task: TaskSpec) -> dict:
    """{"mean_acc", "acc": {head: accuracy}, "heads": {head: head_metrics}}: best = mean of head accuracies."""
    heads = {name: head_metrics(cm, task.head(name).classes) for name, cm in cms.items()}
    acc = {name: h["accuracy"] for name, h in heads.items()}
    return {"mean_acc": float(np.mean(list(acc.values()))), "acc": acc, "heads": heads}


class ClsMeter:
    """Validation of a model returning {head: logits}: confusion matrices and mean cross-entropy per head."""

    def __init__(self, task: TaskSpec) -> None:
        self.task = task
        self.names = [h.name for h in task.heads if h.kind == "classification"]
        self.cms = {n: ConfusionMatrix(task.head(n).num_classes) for n in self.names}
        self.loss_sum = dict.fromkeys(self.names, 0.0)

    def update(self, outputs: dict, targets: dict) -> None:
        import torch.nn.functional as F

        for n in self.names:
            logits, y = outputs[n].float(), targets[n]
            self.cms[n].update(logits.argmax(1).cpu().numpy(), y.cpu().numpy())
            self.loss_sum[n] += float(F.cross_entropy(logits, y, reduction="sum"))

    def compute(self) -> dict:
        out = summarise(self.cms, self.task)
        out["loss"] = {n: self.loss_sum[n] / max(1, int(self.cms[n].mat.sum())) for n in self.names}
        return out


class LabelledImages(Protocol):
    """A split of labelled images: `load(i) -> (BGR uint8, label index per head...)` and class names."""

    def __len__(self) -> int: ...

    def load(self, i: int) -> tuple: ...


def evaluate_classification(model: Model, dataset: LabelledImages, class_names: dict[str, Sequence[str]],
                            batch: int = 16, progress: bool = True, desc: str = "eval",
                            keep_predictions: bool = False, groups: Sequence[str] | None = None) -> dict:
    """Run `model` (any artifact) over `dataset`; labels are matched to the model's classes by name.

    `class_names` gives the dataset's class list per head, in the order of the labels `load` returns.
    `keep_predictions` adds "predictions": {head: top-1 model class index per image, dataset order}.
    `groups` (one name per image, e.g. its renderer style) adds "per_group": {name: {acc per head, images}}.
    """
    task = model.task
    heads = list(class_names)
    maps = {}
    for name in heads:
        model_classes = list(task.head(name).classes)
        unknown = [c for c in class_names[name] if c not in model_classes]
        if unknown:
            raise FoodcamError(f"the data has {name} classes {unknown} that {model.path} does not know "
                               f"(it knows {model_classes})")
        maps[name] = np.asarray([model_classes.index(c) for c in class_names[name]], np.int64)
    cms = {n: ConfusionMatrix(task.head(n).num_classes) for n in heads}
    kept: dict[str, list[np.ndarray]] = {name: [] for name in heads}
    truths: dict[str, list[np.ndarray]] = {name: [] for name in heads}
    n = len(dataset)
    if n == 0:
        raise FoodcamError("evaluation needs at least one labelled image; the split is empty")
    fixed = model.input_spec.shape[0]
    step = int(fixed) if isinstance(fixed, (int, np.integer)) and fixed > 0 else max(1, int(batch))
    with tqdm(total=n, desc=desc, unit="img", disable=not progress, leave=False) as bar:
        for start in range(0, n, step):
            rows = [dataset.load(i) for i in range(start, min(n, start + step))]
            outputs = model.infer(np.concatenate([model.preprocess(r[0]) for r in rows]))
            for k, name in enumerate(heads):
                truth = maps[name][np.asarray([r[1 + k] for r in rows], np.int64)]
                top1 = np.asarray(outputs[name]).argmax(1)
                cms[name].update(top1, truth)
                kept[name].append(top1)
                truths[name].append(truth)
            bar.update(len(rows))
    out = summarise(cms, task)
    out["images"] = n
    if keep_predictions or groups is not None:
        predictions = {name: np.concatenate(p) for name, p in kept.items()}
    if keep_predictions:
        out["predictions"] = predictions
    if groups is not None:
        truth = {name: np.concatenate(t) for name, t in truths.items()}
        names = np.asarray(groups)
        out["per_group"] = {}
        for g in sorted(set(groups)):
            sel = names == g
            acc = {h: float((predictions[h][sel] == truth[h][sel]).mean()) for h in heads}
            out["per_group"][g] = {"acc": acc, "images": int(sel.sum())}
    return out


def format_classification(metrics: dict) -> str:
    """Per head: a per-class precision / recall / F1 table; then the accuracy line."""
    lines = []
    for name, h in metrics["heads"].items():
        w = max(10, *(len(c) for c in h["classes"]))
        lines.append(f"[{name}] accuracy {pct(h['accuracy'])}  macro F1 {pct(h['macro_f1'])}")
        lines.append(f"  {'class':<{w}} {'precision':>9} {'recall':>9} {'f1':>9} {'images':>7}")
        for c, v in h["per_class"].items():
            lines.append(f"  {c:<{w}} {pct(v['precision']):>9} {pct(v['recall']):>9} {pct(v['f1']):>9} "
                         f"{v['support']:>7}")
    accs = "  ".join(f"{name} {pct(a)}" for name, a in metrics["acc"].items())
    lines.append(f"accuracy: {accs}  (mean {pct(metrics['mean_acc'])}, {metrics.get('images', '?')} images)")
    for g, v in (metrics.get("per_group") or {}).items():
        accs = "  ".join(f"{name} {pct(a)}" for name, a in v["acc"].items())
        lines.append(f"  style {g:<8} {accs}  ({v['images']} images)")
    return "\n".join(lines)


def plot_head_confusions(metrics: dict, out: str | Path, title: str = "") -> list[Path]:
    """One confusion_<head>.png per head in `out`; returns the paths (none where matplotlib is missing)."""
    from foodcam.runtime.plotting import can_plot

    if not can_plot("confusion matrices"):
        return []
    from foodcam.train.plots import plot_confusion

    paths = []
    for name, h in metrics["heads"].items():
        p = Path(out) / f"confusion_{name}.png"
        plot_confusion(np.asarray(h["confusion"]), h["classes"], p, title=f"{title} {name}".strip())
        paths.append(p)
    return paths


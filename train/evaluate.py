"""`foodcam eval`: metrics of any artifact (.pt, .onnx, .engine) on a labelled split.

`evaluate_segmentation` is THE evaluation: training reports, the export accuracy gate and the
benchmarks call it, so every artifact is measured by the same code on the same frames.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np
from tqdm import tqdm

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.fmt import missing, pct
from foodcam.runtime.imageio import write_json_atomic
from foodcam.runtime.metrics import ConfusionMatrix
from foodcam.runtime.model import Model
from foodcam.runtime.outdir import output_dir, print_wrote
from foodcam.runtime.plotting import can_plot
from foodcam.runtime.tasks import IGNORE_INDEX
from foodcam.train.configs import EvalConfig


class LabelledFrames(Protocol):
    """What evaluation needs from a dataset: a length and (BGR uint8 frame, class mask with 255=ignore)."""

    def __len__(self) -> int: ...

    def load(self, i: int) -> tuple[np.ndarray, np.ndarray]: ...


def _batch_size(model: Model, batch: int) -> int:
    """`batch`, limited to the model's fixed batch dimension when it has one."""
    n = model.input_spec.shape[0]
    if isinstance(n, (int, np.integer)) and n > 0:
        return max(1, min(int(batch), int(n)))
    return max(1, int(batch))


EDGE_PX = 2  # an error "at the edge" lies within this many pixels of a true class boundary


class EdgeErrors:
    """Per class: the wrong pixels (missed or false) and how many of them lie within EDGE_PX of the class's true
    boundary. A high share says the class is found but its outline is off by a pixel or two (thin objects); a low
    one, that whole objects are missed or invented."""

    def __init__(self, num_classes: int) -> None:
        self.wrong = np.zeros(num_classes, np.int64)
        self.at_edge = np.zeros(num_classes, np.int64)
        self.kernel = np.ones((2 * EDGE_PX + 1, 2 * EDGE_PX + 1), np.uint8)

    def update(self, pred: np.ndarray, target: np.ndarray) -> None:
        valid = target != IGNORE_INDEX
        for c in range(len(self.wrong)):
            truth = (target == c).astype(np.uint8)
            wrong = ((pred == c) != truth.astype(bool)) & valid
            band = cv2.dilate(truth, self.kernel) != cv2.erode(truth, self.kernel, borderType=cv2.BORDER_REPLICATE)
            self.wrong[c] += int(wrong.sum())
            self.at_edge[c] += int((wrong & band).sum())

    def shares(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.at_edge / self.wrong


def _predict_masks(model: Model, frames: Sequence[np.ndarray], shapes: Sequence[tuple[int, int]]) -> list[np.ndarray]:
    """Class masks for `frames`, each resized (nearest) to the matching label shape."""
    if len(frames) == 1:
        results = [model.predict(frames[0])]
    else:
        outputs = model.infer(np.concatenate([model.preprocess(f) for f in frames]))
        results = [model.postprocess(outputs, f.shape[:2], index=j) for j, f in enumerate(frames)]
    masks = []
    for res, (h, w) in zip(results, shapes):
        m = res.mask_full
        if m.shape != (h, w):  # a label stored at another resolution than its frame
            m = cv2.resize(m, (w, h), interpolation=cv2.INTER_NEAREST)
        masks.append(m)
    return masks


def evaluate_segmentation(
    model: Model,
    dataset: LabelledFrames,
    progress: bool = True,
    batch: int = 1,
    keep_masks: bool = False,
    desc: str = "eval",
    groups: Sequence[str] | None = None,
) -> dict:
    """Run `model` on every frame of `dataset`; compare at each label's resolution.

    Returns ConfusionMatrix.metrics (pixel_accuracy, miou, mdice, per_class, pixels) plus
    "classes", "confusion" (rows truth, columns prediction), "images", "ignored_pixels",
    and "masks" (the predicted class masks, dataset order) when `keep_masks`.
    `groups` (one name per image, e.g. its renderer style) adds "per_group": {name: {miou, iou per class, images}}.
    """
    head = model.task.seg_head
    n = len(dataset)
    if n == 0:
        raise FoodcamError("evaluation needs at least one labelled image; the dataset is empty")
    cm = ConfusionMatrix(head.num_classes)
    edges = EdgeErrors(head.num_classes)
    by_group: dict[str, ConfusionMatrix] = {}
    ignored = 0
    kept: list[np.ndarray] = []
    step = _batch_size(model, batch)
    with tqdm(total=n, desc=desc, unit="img", disable=not progress, leave=False) as bar:
        for start in range(0, n, step):
            pairs = [dataset.load(i) for i in range(start, min(n, start + step))]
            targets = [t for _, t in pairs]
            preds = _predict_masks(model, [f for f, _ in pairs], [t.shape[:2] for t in targets])
            for j, (pred, target) in enumerate(zip(preds, targets)):
                cm.update(pred, target, IGNORE_INDEX)
                edges.update(pred, target)
                if groups is not None:
                    g = by_group.setdefault(groups[start + j], ConfusionMatrix(head.num_classes))
                    g.update(pred, target, IGNORE_INDEX)
                ignored += int((target == IGNORE_INDEX).sum())
                if keep_masks:
                    kept.append(pred)
            bar.update(len(pairs))
    out = cm.metrics(head.classes)
    for name, share in zip(head.classes, edges.shares()):
        out["per_class"][name]["edge_error_share"] = float(share)
    out.update(
        classes=list(head.classes),
        confusion=cm.mat.tolist(),
        images=n,
        ignored_pixels=ignored,
    )
    if keep_masks:
        out["masks"] = kept
    if groups is not None:
        out["per_group"] = {}
        for name in sorted(by_group):
            m = by_group[name].metrics(head.classes)
            out["per_group"][name] = {"miou": m["miou"], "iou": {c: m["per_class"][c]["iou"] for c in head.classes},
                                      "images": sum(1 for x in groups if x == name)}
    return out


# ---------------------------------------------------------------- the CLI verb


def _kitchen_split(root: Path, split: str) -> LabelledFrames:
    from foodcam.train.data.kitchen import KitchenFolder

    return KitchenFolder(root, split, require_masks=True)


# task name -> labelled-split reader; a new segmentation task adds its reader here
SEGMENTATION_DATA: dict[str, Callable[[Path, str], LabelledFrames]] = {"kitchen": _kitchen_split}


def _evaluate_segmentation_task(model: Model, root: Path, split: str) -> dict:
    reader = SEGMENTATION_DATA.get(model.task.name)
    if reader is None:
        raise FoodcamError(f"evaluation of segmentation task {model.task.name!r} is not available yet")
    dataset = reader(root, split)
    if len(dataset) == 0:
        raise FoodcamError(f"{root / split}: no labelled images (expected images with masks in this split)")
    return evaluate_segmentation(model, dataset, desc=f"eval {split}", groups=_styles_of(model.task.name, dataset))


def _style_names(task: str) -> dict | tuple:
    """The renderer styles of a task's scenes (none for a task without a renderer)."""
    if task == "kitchen":
        from foodcam.scenes.styles import STYLES

        return STYLES
    if task == "freshness":
        from foodcam.scenes.fruit_styles import FRUIT_STYLES

        return FRUIT_STYLES
    return ()


def _styles_of(task: str, dataset) -> list[str] | None:
    """The renderer style of each image when every file name carries one of the task's styles
    (`wok_curry_000012`, `belt_apple_0_00012`), else None."""
    names = _style_names(task)
    stems = getattr(dataset, "stems", None)
    if not stems or not names:
        return None
    found = [next((t for t in stem.split("_") if t in names), None) for stem in stems]
    return None if None in found else found


def _freshness_split(root: Path, split: str):
    from foodcam.train.data.fruit import FreshnessFolder

    folder = FreshnessFolder.open(root, split)  # the same de-duplicated, seeded split training used
    return folder, {"fruit": folder.fruits, "freshness": folder.freshness}


def _foodrec_split(root: Path, split: str):
    from foodcam.train.foodrec_task import recognition_split

    return recognition_split(root, split)


# task name -> (labelled split with load(i) -> (bgr, label per head...), class names per head)
CLASSIFICATION_DATA: dict[str, Callable] = {"freshness": _freshness_split, "foodrec": _foodrec_split}


def _evaluate_classification_task(model: Model, root: Path, split: str) -> dict:
    from foodcam.train.cls_metrics import evaluate_classification

    reader = CLASSIFICATION_DATA.get(model.task.name)
    if reader is None:
        raise FoodcamError(f"evaluation of classification task {model.task.name!r} is not available yet")
    dataset, classes = reader(root, split)
    return evaluate_classification(model, dataset, classes, desc=f"eval {split}",
                                   groups=_styles_of(model.task.name, dataset))


# TaskSpec.kind -> evaluation of a model on DIR/split
EVALUATORS: dict[str, Callable[[Model, Path, str], dict]] = {
    "segmentation": _evaluate_segmentation_task,
    "classification": _evaluate_classification_task,
}


def _evaluate_foodseg_task(model: Model, root: Path, split: str) -> dict:
    from foodcam.train.foodseg_eval import evaluate_food, food_split

    return evaluate_food(model, food_split(root, split), desc=f"eval {split}")


def _evaluate_foodrec_task(model: Model, root: Path, split: str) -> dict:
    from foodcam.train.foodrec_task import evaluate_recognition

    return evaluate_recognition(model, root, split)


# task name -> evaluation, for tasks read from their own layouts (FoodSeg103 / COCO); checked before the kind
NAMED_EVALUATORS: dict[str, Callable[[Model, Path, str], dict]] = {
    "foodseg": _evaluate_foodseg_task,
    "foodrec": _evaluate_foodrec_task,
}


def evaluate_model(model: Model, root: str | Path, split: str = "val") -> dict:
    """Metrics of `model` on the labelled split `root/split`, dispatched on the task (name, then kind)."""
    root = Path(root)
    if not root.is_dir():
        raise FoodcamError(f"{root}: no such dataset folder")
    if model.task.name in NAMED_EVALUATORS:
        return NAMED_EVALUATORS[model.task.name](model, root, split)
    if model.task.kind == "segmentation" and not (root / split).is_dir():  # classifiers draw their split
        have = sorted(p.name for p in root.iterdir() if p.is_dir())
        raise FoodcamError(f"{root}: no split {split!r} (found: {', '.join(have) or 'no folders'})")
    evaluator = EVALUATORS.get(model.task.kind)
    if evaluator is None:
        raise FoodcamError(f"evaluation of {model.task.kind} task {model.task.name!r} is not available yet")
    return evaluator(model, root, split)


def format_table(metrics: dict) -> str:
    """Per-class table + summary line, as printed by `foodcam eval`."""
    cols = ("accuracy", "precision", "recall", "iou", "dice")
    names = list(metrics["per_class"])
    w = max(8, *(len(n) for n in names))
    lines = [f"{'class':<{w}} " + " ".join(f"{c:>9}" for c in cols) + f" {'pixels':>10}"]
    for name in names:
        row = metrics["per_class"][name]
        lines.append(f"{name:<{w}} " + " ".join(f"{pct(row[c]):>9}" for c in cols) + f" {row['support']:>10}")
    lines.append(
        f"pixel accuracy {pct(metrics['pixel_accuracy'])}  mIoU {pct(metrics['miou'])}  "
        f"mDice {pct(metrics['mdice'])}  ({metrics['images']} images, {metrics['ignored_pixels']} ignored pixels)"
    )
    shares = {n: metrics["per_class"][n].get("edge_error_share") for n in names}
    if all(v is not None for v in shares.values()):
        lines.append(f"wrong pixels within {EDGE_PX} px of a true edge: "
                     + ", ".join(f"{n} none wrong" if missing(v) else f"{n} {pct(v, 0)} %" for n, v in shares.items()))
    return "\n".join(lines)




def describe(model: Model) -> dict:
    """Which artifact was measured: for reports beside the metrics."""
    return {"weights": str(model.path), "backend": model.backend, "precision": model.precision, "task": model.task.name}


def eval_model(cfg: EvalConfig) -> tuple[int, dict]:
    """`foodcam eval` and `model.eval()`: metrics.json (and its plots) in the output folder, a table printed;
    (exit code, {"metrics": the report, "json": its path, "out": the folder})."""
    from foodcam.pinned import check as check_pinned

    check_pinned(cfg)  # --model-sha256: before anything is written or opened
    out = output_dir(cfg.out, "eval")  # default runs/eval/evalN; checked before the model loads
    result = _evaluate(cfg, out)
    print_wrote("eval", out)
    return 0, result


def _evaluate(cfg: EvalConfig, out: Path) -> dict:
    from foodcam.runtime.open import model_label, open_model

    label = model_label(cfg.weights)  # a path, or a served model's URL
    model = open_model(cfg.weights, device=cfg.device, verify=cfg.verify)
    with model:
        metrics = evaluate_model(model, cfg.data, cfg.split)
        report = {**describe(model), "data": str(cfg.data), "split": cfg.split, **metrics}
    write_json_atomic(out / "metrics.json", report)
    result = {"metrics": report, "json": out / "metrics.json", "out": out}
    if model.task.name in NAMED_EVALUATORS:
        from foodcam.train.foodrec_task import format_recognition
        from foodcam.train.foodseg_eval import format_food

        print(f"{label} [{model.backend}, {model.precision}] on {cfg.data} (split {cfg.split})")
        print(format_food(metrics) if model.task.name == "foodseg" else format_recognition(metrics))
        print(f"wrote {out / 'metrics.json'}")
        return result
    if "heads" in metrics:  # classification: a table and a confusion matrix per head
        from foodcam.train.cls_metrics import format_classification, plot_head_confusions

        pngs = plot_head_confusions(metrics, out, f"{label} on {cfg.split}")
        print(f"{label} [{model.backend}, {model.precision}] on {cfg.data} (split {cfg.split})")
        print(format_classification(metrics))
        print(f"wrote {out / 'metrics.json'}" + (f" and {', '.join(p.name for p in pngs)}" if pngs else ""))
        return result
    plotted = "confusion" in metrics and _plot(metrics, out / "confusion.png", f"{label} on {cfg.split}")
    print(f"{label} [{model.backend}, {model.precision}] on {Path(cfg.data) / cfg.split}")
    print(format_table(metrics))
    for name, g in (metrics.get("per_group") or {}).items():
        ious = " ".join(f"{c} {pct(v)}" for c, v in g["iou"].items())
        print(f"  style {name:<8} mIoU {pct(g['miou'])}  ({ious}; {g['images']} images)")
    print(f"wrote {out / 'metrics.json'}" + (f" and {out / 'confusion.png'}" if plotted else ""))
    return result


def _plot(metrics: dict, path: Path, title: str) -> bool:
    """The confusion matrix PNG; False (after one warning) where matplotlib is missing."""
    if not can_plot("confusion matrices"):
        return False
    from foodcam.train.plots import plot_confusion  # writes atomically

    plot_confusion(np.asarray(metrics["confusion"]), list(metrics["classes"]), path, title=title)
    return True

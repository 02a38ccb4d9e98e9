"""The before/after gate of a fine-tune: is the new model better than its base on the user's own frames?

`foodcam train TASK --from CKPT` holds back part of the user's labelled train frames (`--holdout`, default a
seeded HOLDOUT_SHARE of them, at least HOLDOUT_MIN; or a labelled folder of its own), trains without them, and
ends by scoring the base checkpoint and the fine-tuned one on them with the task's own validation metric:
per-class IoU + mIoU (segmentation), per-head accuracy (classifiers). The result is printed as a table and
recorded in the checkpoint as plain types (checkpoints load with torch weights_only=True):

    ckpt["finetune_gate"] = {"holdout": {"frames", "from", "stems"}, "metric": "miou", "base": {...},
                             "before": {"miou": .., "iou": {class: ..}}, "after": {...}, "better": bool}

`foodcam export` refuses a checkpoint whose after-score is below its before-score unless --force
(`refusal`). Tasks with a held-out reader: kitchen (segmentation) and freshness (classification).
"""

from __future__ import annotations

import copy
import logging
import math
import random
from pathlib import Path

import torch

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import json_safe
from foodcam.runtime.tasks import TaskSpec
from foodcam.train.configs import TrainOptions

log = logging.getLogger("foodcam.train")

HOLDOUT_SHARE = 0.2
HOLDOUT_MIN = 2
GATED_TASKS = ("kitchen", "freshness")


def parse_holdout(text: str | None) -> float | Path | None:
    """--holdout: a share of the train frames (0 < x < 1; 0: no gate) or a labelled folder; None: the default."""
    if text is None or str(text).strip() == "":
        return None
    try:
        share = float(text)
    except ValueError:
        path = Path(text)
        if not path.is_dir():
            raise FoodcamError(f"--holdout {text}: expected a share of the frames (e.g. 0.2; 0: none) or a labelled "
                               "folder, and no such folder exists") from None
        return path
    if not 0 <= share < 1:
        raise FoodcamError(f"--holdout {text}: expected a share in 0..1 (e.g. 0.2; 0: no before/after gate)")
    return share


def _with_items(folder, items: list):
    part = copy.copy(folder)
    part.items = list(items)
    return part


def split_holdout(folder, args: TrainOptions, describe: str):
    """(train part, held-back part or None) of a labelled folder with `.items`, per `args.holdout` when
    fine-tuning (args.from_ckpt); the held-back part carries `.described` (where it came from)."""
    if not getattr(args, "from_ckpt", None) or args.task not in GATED_TASKS:
        return folder, None
    choice = parse_holdout(getattr(args, "holdout", None))
    if isinstance(choice, Path):
        held = open_holdout(args.task, choice, getattr(args, "max_dist", 100.0))
        if len(held) == 0:
            raise FoodcamError(f"--holdout {choice}: no labelled frames there")
        held.described = str(choice)
        shared = set(held.stems) & set(getattr(folder, "stems", ()))
        if shared:
            log.warning("--holdout %s: %d of its frames are also training frames (e.g. %s): the check flatters the "
                        "fine-tune", choice, len(shared), sorted(shared)[0])
        return folder, held
    share = HOLDOUT_SHARE if choice is None else choice
    if share == 0:
        return folder, None
    n = len(folder.items)
    k = max(HOLDOUT_MIN, round(share * n))
    if n - k < 1:
        raise FoodcamError(f"{describe}: {n} labelled train frame(s) cannot spare {k} for the before/after check; "
                           f"label more, pass --holdout DIR (frames of their own) or --holdout 0 (no check)")
    picked = set(random.Random(int(args.seed)).sample(range(n), k))
    train = _with_items(folder, [it for i, it in enumerate(folder.items) if i not in picked])
    held = _with_items(folder, [it for i, it in enumerate(folder.items) if i in picked])
    held.described = f"{describe} (seeded {100 * share:.0f}%, seed {args.seed})"
    log.info("held back %d of %d train frames for the before/after check", k, n)
    return train, held


def open_holdout(task: str, path: Path, max_dist: float = 100.0):
    """A labelled folder of the task's layout as one pool: kitchen DIR/images + DIR/masks, or a dataset root
    (its splits pooled); freshness DIR/<Fruit>/<Fresh|Rotten>/... (all of it)."""
    if task == "freshness":
        from foodcam.train.data.fruit import load_freshness

        return load_freshness(path, val_fraction=0.0, progress=False).folder("all")
    from foodcam.train.data.kitchen import KitchenFolder

    if (path / "images").is_dir():
        return KitchenFolder(path.parent, path.name, max_dist=max_dist)
    splits = sorted(p.name for p in path.iterdir() if (p / "images").is_dir())
    if not splits:
        raise FoodcamError(f"--holdout {path}: expected {path}/images + {path}/masks or split folders with them")
    parts = [KitchenFolder(path, s, max_dist=max_dist) for s in splits]
    return _with_items(parts[0], [it for p in parts for it in p.items])


def _dataset(spec: TaskSpec, folder):
    if spec.kind == "segmentation":
        from foodcam.train.datasets import SegmentationDataset

        return SegmentationDataset(folder, spec.input_size, spec.mean, spec.std)
    from foodcam.train.cls_task import ClassificationDataset

    return ClassificationDataset(folder, tuple(h.name for h in spec.heads), spec.input_size, spec.mean, spec.std)


def score(model: torch.nn.Module, task, folder, device: torch.device, batch: int = 8) -> dict:
    """The task's validation metric of `model` on `folder`: {"miou", "iou": {class: ..}} or
    {"mean_acc", "acc": {head: ..}}, plain floats (None for a class absent from truth and prediction)."""
    from torch.utils.data import DataLoader

    from foodcam.train.engine import to_device, to_input

    meter = task.meter()
    model.eval()
    with torch.no_grad():
        for images, targets in DataLoader(_dataset(task.spec, folder), batch_size=batch, shuffle=False):
            meter.update(model(to_input(images, device)), to_device(targets, device))
    m = meter.compute()
    keys = ("miou", "iou") if "miou" in m else ("mean_acc", "acc")
    return json_safe({k: m[k] for k in keys})


def run_gate(task, held, model: torch.nn.Module, base: dict, base_path: str | Path, device: torch.device,
             checkpoints: list[Path]) -> dict:
    """Score the base weights and each checkpoint's weights on the held-back frames; record the gate in each
    checkpoint (rewritten atomically), print the table; the gate of the first checkpoint."""
    from foodcam.train.checkpoint import file_sha256, read_checkpoint, save_checkpoint

    metric = task.best_key if task.best_key in ("miou", "mean_acc") else "miou"
    model.load_state_dict(base["state_dict"])
    before = score(model, task, held, device)
    holdout = {"frames": len(held), "from": held.described, "stems": list(held.stems)}
    src = Path(base_path)
    first = None
    for path in checkpoints:
        ckpt = read_checkpoint(path)
        model.load_state_dict(ckpt["state_dict"])
        after = score(model, task, held, device)
        gate = {"holdout": holdout, "metric": metric, "base": {"checkpoint": str(src), "sha256": file_sha256(src)},
                "before": before, "after": after, "better": better(before, after, metric)}
        save_checkpoint(path, {**{k: v for k, v in ckpt.items() if k not in ("format", "version")},
                               "finetune_gate": gate})
        if first is None:
            first = gate
            print(format_table(gate, path.name), flush=True)
    return first or {}


def better(before: dict, after: dict, metric: str) -> bool:
    b, a = before.get(metric), after.get(metric)
    return a is not None and (b is None or a >= b)


def format_table(gate: dict, name: str = "") -> str:
    """The before/after table: one row per class (segmentation) or head (classifiers), then the metric."""
    metric, before, after = gate["metric"], gate["before"], gate["after"]
    per = "iou" if metric == "miou" else "acc"
    label = "mIoU" if metric == "miou" else "mean acc"
    h = gate["holdout"]
    rows = [(k, before[per].get(k), after[per].get(k)) for k in after[per]] + [(label, before[metric], after[metric])]
    width = max(len(r[0]) for r in rows)

    def num(v) -> str:
        return "   -  " if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:6.4f}"

    def change(b, a) -> str:
        return "" if b is None or a is None else f"{a - b:+.4f}"

    lines = [f"before/after on {h['frames']} held-back frames ({h['from']}){f' -> {name}' if name else ''}:",
             f"  {'':<{width}}  before   after   change"]
    lines += [f"  {k:<{width}}  {num(b)}  {num(a)}  {change(b, a)}" for k, b, a in rows]
    verdict = "better or equal: export it" if gate["better"] else "WORSE than the base: export refuses it without --force"
    lines.append(f"  {label} {num(before[metric]).strip()} -> {num(after[metric]).strip()}: {verdict}")
    return "\n".join(lines)


def refusal(ckpt: dict, path: str | Path) -> str | None:
    """Why `foodcam export` refuses this checkpoint (its fine-tune scored below its base on the held-back
    frames), in one line naming both numbers; None when it may be exported."""
    gate = ckpt.get("finetune_gate")
    if not isinstance(gate, dict) or gate.get("better", True):
        return None
    metric = gate.get("metric", "miou")
    label = "mIoU" if metric == "miou" else "mean accuracy"
    b, a = gate["before"].get(metric), gate["after"].get(metric)
    frames = gate.get("holdout", {}).get("frames", "?")
    base = Path(gate.get("base", {}).get("checkpoint", "its base")).name
    return (f"{path}: refused: the fine-tuned model scores {label} {a:.4f} on its {frames} held-back frames, below "
            f"its base {base}'s {b:.4f}; keep the base, label more frames, or export anyway with --force")

"""The segmentation pieces of `foodcam train`: datasets, loss, validation metric and what "best" means.

Implements the `train.engine.TrainTask` protocol for segmentation tasks (kitchen).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import torch
from torch import nn

from foodcam.runtime.metrics import ConfusionMatrix
from foodcam.runtime.tasks import TaskSpec
from foodcam.train.augment import WithTools, seg_train_transform
from foodcam.train.configs import TrainOptions
from foodcam.train.datasets import Mixed, RenderedFrames, SegmentationDataset, class_frequencies, frame_size
from foodcam.train.losses import SegLoss, class_weights

log = logging.getLogger("foodcam.train")

DICE_WEIGHT = 0.5  # CE + 0.5 * soft Dice: Dice pulls on small classes (the stirrer) where mIoU is decided
# cross-entropy class weights ~ pixel share^-power. 0 (none): Dice already balances the classes, and heavier
# stirrer weights (power 0.5) made a ThinSeg paint every stirrer 1-2 px too wide (precision 0.58, recall 0.78)
CLASS_WEIGHT_POWER = 0.0
CACHE_AUTO_BYTES = 2 * 1024**3  # --cache auto keeps decoded frames in memory up to this size
KITCHEN_PALETTE_P = 0.3  # share of augmented frames repainted (train/augment.py); only 0.3 was measured
KITCHEN_TOOLS_P = 0.0  # share of training frames with procedural tools pasted in (scenes/tools.py)
FINETUNE_COPY_PASTE_P = 0.0  # share of a fine-tune's frames with the user's own tools pasted in (train/copy_paste.py)
REPLAY_STYLES = "train"  # what `--replay` renders: the styles the shipped model was trained on


class SegMeter:
    """Confusion matrix over validation batches -> runtime.metrics (mIoU, per-class IoU, pixel accuracy)."""

    def __init__(self, class_names: tuple[str, ...]) -> None:
        self.names = class_names
        self.cm = ConfusionMatrix(len(class_names))

    def update(self, outputs: torch.Tensor, targets: torch.Tensor) -> None:
        pred = outputs.argmax(1).to(torch.uint8).cpu().numpy()
        self.cm.update(pred, targets.cpu().numpy())

    def compute(self) -> dict:
        m = self.cm.metrics(self.names)
        m["iou"] = {n: m["per_class"][n]["iou"] for n in self.names}
        m["confusion"] = self.cm.mat.tolist()
        return m


class SegTask:
    """Segmentation training: folder datasets, class-weighted CE + Dice, best = highest val mIoU."""

    best_key = "miou"
    # a smaller train split is drawn several times per epoch (freshly augmented): a few dozen frames
    # would otherwise give an epoch only a handful of optimiser steps between validations
    min_epoch_samples = 128

    def __init__(self, spec: TaskSpec, args: TrainOptions) -> None:
        self.args = args
        self.spec = spec
        # evaluation and deployment score the mask at the camera's resolution: the training frames' size
        size = frame_size(self.folders(args)[0], spec.input_size) if getattr(args, "data", None) else None
        log.info("mask output size %s", f"{size[0]}x{size[1]} (the training frames')" if size else "= input size")
        self.spec = spec.with_mask_size(size)
        self.head = spec.seg_head

    def folders(self, args: TrainOptions):
        if self.spec.name != "kitchen":
            raise NotImplementedError(f"no dataset reader for segmentation task {self.spec.name!r}")
        from foodcam.train.data.kitchen import KitchenFolder

        max_dist = getattr(args, "max_dist", 100.0)
        return KitchenFolder(args.data, "train", max_dist=max_dist), KitchenFolder(args.data, "val", max_dist=max_dist)

    def datasets(self, args: TrainOptions, seed: int) -> tuple[SegmentationDataset, SegmentationDataset]:
        from foodcam.train.finetune_gate import split_holdout

        train_folder, val_folder = self.folders(args)
        # fine-tuning: part of the user's frames held back for the before/after gate (train/finetune_gate.py)
        train_folder, self.holdout = split_holdout(train_folder, args, str(Path(args.data) / "train"))
        size, mean, std = self.spec.input_size, self.spec.mean, self.spec.std
        # the kitchen's classes are shapes in any colour: trained on the renderer's wood, steel and curry alone, the
        # model lost 20+ mIoU on the same kitchens repainted (`python -m foodcam.benchmarks.palette`)
        repaint = getattr(args, "repaint", None)
        transform = seg_train_transform(size, seed=seed, palette_p=KITCHEN_PALETTE_P if repaint is None else repaint)
        tools = getattr(args, "tools", None)
        tools = KITCHEN_TOOLS_P if tools is None else float(tools)
        if tools > 0:  # tools the renderer never drew, in every frame source (rendered, user, replayed)
            c = self.head.classes
            transform = WithTools(transform, tools, seed=seed, stirrer=c.index("stirrer"), pan=c.index("pan"),
                                  food=c.index("food"))
        transform = self._copy_paste(args, train_folder, transform, seed)
        train = SegmentationDataset(train_folder, size, mean, std, transform=transform)
        val = SegmentationDataset(val_folder, size, mean, std)
        cache_in_memory(args, train, val)  # replayed frames (below) are rendered in memory already
        replay = int(getattr(args, "replay", 0) or 0)
        if replay and len(train_folder):
            h, w = train_folder.load(0)[0].shape[:2]  # rendered like the user's camera frames
            frames = RenderedFrames(replay, (w, h), seed=seed, styles=REPLAY_STYLES)
            log.info("--replay %d: %d synthetic frames (%s styles) mixed into each epoch", replay, len(frames),
                     REPLAY_STYLES)
            train = Mixed(train, SegmentationDataset(frames, size, mean, std, transform=transform))
        return train, val

    def _copy_paste(self, args: TrainOptions, folder, transform, seed: int):
        """A fine-tune pastes the user's own labelled tools (cut from `folder`, the frames it trains on) into its
        frames (train/copy_paste.py); --copy-paste P sets the share, 0 turns it off."""
        p = getattr(args, "copy_paste", None)
        p = (FINETUNE_COPY_PASTE_P if getattr(args, "from_ckpt", None) else 0.0) if p is None else float(p)
        if p <= 0 or not len(folder):
            return transform
        from foodcam.train.copy_paste import CopyPaste, ObjectBank

        c = self.head.classes
        plain = SegmentationDataset(folder, self.spec.input_size, self.spec.mean, self.spec.std)
        bank = ObjectBank.from_frames((plain.sample(i) for i in range(len(plain))), (c.index("stirrer"),))
        log.info("--copy-paste %.2f: %d tools cut from %d training frames", p, len(bank), len(plain))
        return CopyPaste(transform, bank, p, anchor_class=c.index("food"), seed=seed)

    def criterion(self, train: SegmentationDataset) -> nn.Module:
        freq = class_frequencies(train.folder, self.head.num_classes)
        power = getattr(self.args, "class_weight_power", None)
        weight = class_weights(freq, power=CLASS_WEIGHT_POWER if power is None else float(power))
        log.info("class pixel shares %s -> loss weights %s", _fmt(self.head.classes, freq),
                 _fmt(self.head.classes, weight.numpy()))
        boundary = float(getattr(self.args, "boundary_weight", 0.0) or 0.0)
        return SegLoss(weight, dice_weight=DICE_WEIGHT, boundary_weight=boundary)

    def meter(self) -> SegMeter:
        return SegMeter(self.head.classes)

    def row(self, metrics: dict) -> dict[str, float]:
        """metrics.csv columns of one validation: val_miou, val_pixel_acc, iou_<class>..."""
        row = {"val_miou": metrics["miou"], "val_pixel_acc": metrics["pixel_accuracy"]}
        row.update({f"iou_{n}": metrics["iou"][n] for n in self.head.classes})
        return row

    def summary(self, metrics: dict) -> str:
        per_class = " ".join(f"{n} {v:.3f}" for n, v in metrics["iou"].items())
        return f"mIoU {metrics['miou']:.4f} (pixel acc {metrics['pixel_accuracy']:.4f}; {per_class})"


def cache_in_memory(args: TrainOptions, *datasets: SegmentationDataset) -> None:
    """`--cache ram` decodes every frame once, into memory; `auto` (the default) does so when they fit in
    CACHE_AUTO_BYTES."""
    mode = getattr(args, "cache", "auto") or "auto"
    need = sum(d.cache_bytes() for d in datasets)
    if mode == "off" or (mode == "auto" and need > CACHE_AUTO_BYTES):
        if mode == "auto":
            log.info("frames not cached: %.1f GB > %.1f GB (--cache ram to force)", need / 1e9, CACHE_AUTO_BYTES / 1e9)
        return
    for d in datasets:
        d.cache()
    log.info("%d frames cached in memory (%.0f MB)", sum(len(d) for d in datasets), need / 1e6)


def _fmt(names, values) -> str:
    return ", ".join(f"{n} {float(v):.3f}" for n, v in zip(names, np.asarray(values)))


def make_task(spec: TaskSpec, args: TrainOptions) -> SegTask:
    return SegTask(spec, args)

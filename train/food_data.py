"""torch Dataset over a food split (FoodSeg103 or COCO layout) for the foodseg heads, skipping bad files.

Yields (normalised 3xHxW float, {"mask": int64 HxW with 255 ignore, "<labels head>": float multi-hot}),
prepared as the deployment wrapper prepares a camera frame; the ingredient list is read off the
(augmented) mask, so a food cropped out of view is not "on the plate". An item that cannot be used
(unreadable image, bad mask) is reported once with a warning and replaced by the next usable one: a bad
file never stops an epoch.
"""

from __future__ import annotations

import logging

import numpy as np
import torch

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec
from foodcam.train.augment import normalise
from foodcam.train.datasets import SegmentationDataset
from foodcam.train.foodseg_metrics import labels_from_mask

log = logging.getLogger("foodcam.train")


class SkippingSplit:
    """A split whose `load` never fails: a bad item is warned about once and the next usable one returned."""

    def __init__(self, split) -> None:
        self.split = split
        self.bad: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.split)

    def load(self, i: int):
        n = len(self.split)
        for k in range(n):
            j = (i + k) % n
            if j in self.bad:
                continue
            try:
                return self.split.load(j)
            except FoodcamError as e:
                self.bad[j] = str(e)
                log.warning("skipped %s (%d bad so far in this split)", e, len(self.bad))
        raise FoodcamError(f"no usable image left in split {getattr(self.split, 'name', '?')!r}: "
                           f"all {n} failed to load")

    def __getattr__(self, name):
        if name == "split":  # not set yet (unpickling in a loader worker)
            raise AttributeError(name)
        return getattr(self.split, name)


class FoodDataset(SegmentationDataset):
    """A foodseg split for training: the segmentation dataset's resize + augmentation, then targets per head
    (the class mask, and each multi-label head's foods present in the mask)."""

    def __init__(self, split, task: TaskSpec, transform=None) -> None:
        # `folder`: what train.datasets.class_frequencies reads
        super().__init__(SkippingSplit(split), task.input_size, task.mean, task.std, transform=transform)
        self.task = task
        self.label_heads = [h for h in task.image_heads if h.kind == "multilabel"]
        self.num_foods = len(split.classes) - 1

    def __getitem__(self, i: int) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        rgb, mask = self.sample(i)
        x = torch.from_numpy(normalise(rgb, self.task.mean, self.task.std))
        targets: dict[str, torch.Tensor] = {}
        if self.task.has_segmentation:
            targets[self.task.seg_head.name] = torch.from_numpy(np.ascontiguousarray(mask).astype(np.int64))
        for h in self.label_heads:
            targets[h.name] = torch.from_numpy(labels_from_mask(mask, self.num_foods))
        return x, targets

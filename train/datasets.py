"""torch Datasets over labelled folders (anything with `len()` and `load(i) -> (bgr, mask)`).

`SegmentationDataset` yields (float32 3xHxW normalised RGB, int64 HxW mask with IGNORE_INDEX kept),
prepared exactly as the deployment wrapper prepares a camera frame (see `train.augment`).
"""

from __future__ import annotations

import math
import random
from typing import Protocol

import numpy as np
import torch
from torch.utils.data import Dataset, get_worker_info

from foodcam.runtime.tasks import IGNORE_INDEX
from foodcam.train.augment import normalise, resize_frame, resize_mask


class LabelledFolder(Protocol):
    def __len__(self) -> int: ...

    def load(self, i: int) -> tuple[np.ndarray, np.ndarray]: ...


class SegmentationDataset(Dataset):
    """`folder` items resized to `size` (H, W); `transform` (albumentations, image=RGB + mask) at training."""

    def __init__(self, folder: LabelledFolder, size: tuple[int, int], mean, std, transform=None) -> None:
        self.folder = folder
        self.size = (int(size[0]), int(size[1]))
        self.mean, self.std = tuple(mean), tuple(std)
        self.transform = transform
        self._cache: list[tuple[np.ndarray, np.ndarray]] | None = None

    def __len__(self) -> int:
        return len(self.folder)

    def cache_bytes(self) -> int:
        """Memory `cache()` takes: an RGB frame and its mask at the input size per item."""
        return len(self) * self.size[0] * self.size[1] * 4

    def cache(self) -> None:
        """Decode and resize every item once, into memory. Decoding a frame and its colour mask costs ~7x the
        augmentation, so an epoch over cached frames is bound by the model, not the files. Call before a
        DataLoader forks its workers: they share the frames."""
        self._cache = [self._resized(i) for i in range(len(self))]

    def _resized(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        if self._cache is not None:  # a copy: no augmentation may write into the cached frame
            rgb, mask = self._cache[i]
            return rgb.copy(), mask.copy()
        bgr, mask = self.folder.load(i)
        return np.ascontiguousarray(resize_frame(bgr, self.size)[:, :, ::-1]), resize_mask(mask, self.size)

    def sample(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(RGB uint8 at `size`, uint8 mask at `size`), augmented when a transform is set."""
        rgb, mask = self._resized(i)
        if self.transform is not None:
            out = self.transform(image=rgb, mask=mask)
            rgb, mask = out["image"], out["mask"]
        return rgb, mask

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        rgb, mask = self.sample(i)
        x = torch.from_numpy(normalise(rgb, self.mean, self.std))
        y = torch.from_numpy(np.ascontiguousarray(mask).astype(np.int64))
        return x, y


class Repeat(Dataset):
    """`dataset` seen `times` times per epoch (each draw augmented afresh): small splits get enough steps."""

    def __init__(self, dataset: Dataset, times: int) -> None:
        self.dataset, self.times = dataset, int(times)

    @property
    def transform(self):
        return getattr(self.dataset, "transform", None)

    def __len__(self) -> int:
        return len(self.dataset) * self.times

    def __getitem__(self, i: int):
        return self.dataset[i % len(self.dataset)]


class RenderedFrames:
    """`count` frames of the synthetic kitchen (`scenes.KitchenScene`, `styles`), rendered once, in memory: the
    LabelledFolder a fine-tune replays so it keeps what the base model learnt (`train --from ... --replay N`)."""

    def __init__(self, count: int, size_wh: tuple[int, int], seed: int = 0, styles: str = "train") -> None:
        from foodcam.scenes import KitchenScene

        scene = KitchenScene(size=(int(size_wh[0]), int(size_wh[1])), seed=seed, styles=styles)
        self.frames = [scene.render(i) for i in range(int(count))]

    def __len__(self) -> int:
        return len(self.frames)

    def load(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        return self.frames[i]


class Mixed(Dataset):
    """The user's frames, repeated to at least half of each epoch, then replayed frames after them. `folder`
    (class shares, frame size) stays the user's."""

    def __init__(self, own: SegmentationDataset, replay: Dataset) -> None:
        self.own, self.replay = own, replay
        self.times = max(1, math.ceil(len(replay) / max(1, len(own))))
        self.folder, self.transform = own.folder, own.transform

    def __len__(self) -> int:
        return len(self.own) * self.times + len(self.replay)

    def __getitem__(self, i: int):
        n = len(self.own) * self.times
        return self.own[i % len(self.own)] if i < n else self.replay[i - n]


def frame_size(folder: LabelledFolder, input_size: tuple[int, int], max_images: int = 32,
               max_scale: float = 2.0) -> tuple[int, int] | None:
    """(height, width) the model's mask should come out at for these frames: their common size, scaled down (aspect
    kept) so no side exceeds `max_scale` x the input's longer side; None when the frames differ in size."""
    n = len(folder)
    sizes = {folder.load(int(i))[0].shape[:2]
             for i in np.unique(np.linspace(0, n - 1, min(n, max_images)).round().astype(int))} if n else set()
    if len(sizes) != 1:
        return None
    h, w = sizes.pop()
    scale = min(1.0, max_scale * max(input_size) / max(h, w))
    return max(8, round(h * scale)), max(8, round(w * scale))


def class_frequencies(folder: LabelledFolder, num_classes: int, max_images: int = 64, stride: int = 4) -> np.ndarray:
    """Share of labelled pixels per class, from up to `max_images` evenly spaced items, every `stride`-th pixel."""
    n = len(folder)
    counts = np.zeros(num_classes, np.int64)
    if n == 0:
        return counts.astype(np.float64)
    for i in np.unique(np.linspace(0, n - 1, min(n, max_images)).round().astype(int)):
        _, mask = folder.load(int(i))
        m = mask[::stride, ::stride].ravel()
        m = m[(m != IGNORE_INDEX) & (m < num_classes)]
        counts += np.bincount(m, minlength=num_classes)[:num_classes]
    total = counts.sum()
    return counts / total if total else counts.astype(np.float64)


def seed_worker(worker_id: int) -> None:
    """DataLoader worker_init_fn: distinct, reproducible random streams per worker and epoch."""
    seed = torch.initial_seed() % 2**32
    random.seed(seed)
    np.random.seed(seed)
    info = get_worker_info()
    transform = getattr(info.dataset, "transform", None) if info is not None else None
    if transform is not None and hasattr(transform, "set_random_seed"):
        transform.set_random_seed(seed)

"""Segmentation losses: class-weighted cross-entropy (+ soft Dice), both ignoring IGNORE_INDEX pixels."""

from __future__ import annotations

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from foodcam.runtime.tasks import IGNORE_INDEX


def class_weights(freq: np.ndarray, power: float = 0.5, max_ratio: float = 10.0) -> torch.Tensor:
    """Weights ~ freq^-power (1/sqrt by default), clipped to `max_ratio` x the smallest, normalised so
    that the pixel-weighted mean is 1 (the loss keeps its scale). Absent classes get the largest weight."""
    f = np.asarray(freq, np.float64)
    present = f > 0
    if not present.any():
        return torch.ones(len(f))
    w = np.empty_like(f)
    w[present] = f[present] ** -power
    w_min = w[present].min()
    w[~present] = w_min * max_ratio
    w = np.clip(w, w_min, w_min * max_ratio)
    w = w / float((f * w).sum() / f.sum())
    return torch.tensor(w, dtype=torch.float32)


def soft_dice_loss(logits: torch.Tensor, target: torch.Tensor, ignore_index: int = IGNORE_INDEX,
                   eps: float = 1.0) -> torch.Tensor:
    """1 - mean over classes of the soft Dice between softmax(logits) and one-hot(target), over labelled pixels."""
    probs = logits.float().softmax(1)
    valid = (target != ignore_index).unsqueeze(1)
    # one-hot straight into float (scatter), not int64 one_hot + permute + cast: a third of the time
    index = target.masked_fill(~valid[:, 0], 0).clamp(0, probs.shape[1] - 1).unsqueeze(1).long()
    onehot = torch.zeros_like(probs).scatter_(1, index, 1.0)
    onehot = onehot * valid
    probs = probs * valid
    dims = (0, 2, 3)
    inter = (probs * onehot).sum(dims)
    denom = probs.sum(dims) + onehot.sum(dims)
    return 1.0 - ((2 * inter + eps) / (denom + eps)).mean()


def boundary_map(target: torch.Tensor, radius: int = 2, ignore_index: int = IGNORE_INDEX) -> torch.Tensor:
    """1.0 on pixels within `radius` of a change of class (ignored pixels are no class), else 0.0; (N, H, W).

    A pixel is on a boundary when the (2r+1)² window around it holds more than one value, i.e. its max and min
    differ. On the CPU that is an OpenCV dilate and erode of uint8 labels, ~10x faster than max-pooling floats
    (which the GPU keeps); both give the same map."""
    k = 2 * radius + 1
    values = target.detach().numpy() if target.device.type == "cpu" and target.numel() else None
    if values is not None and values.min() >= 0 and values.max() < 256:  # labels and ignore_index fit uint8
        labels = values.astype(np.uint8)
        kernel = np.ones((k, k), np.uint8)
        out = np.empty(labels.shape, np.float32)
        for i, lab in enumerate(labels):
            out[i] = cv2.dilate(lab, kernel, borderType=cv2.BORDER_REPLICATE) != cv2.erode(
                lab, kernel, borderType=cv2.BORDER_REPLICATE)
        return torch.from_numpy(out)
    t = target.float().unsqueeze(1)
    t = torch.where(t == ignore_index, torch.full_like(t, -1.0), t)
    hi = F.max_pool2d(t, k, stride=1, padding=radius)
    lo = -F.max_pool2d(-t, k, stride=1, padding=radius)
    return (hi != lo).squeeze(1).float()


class SegLoss(nn.Module):
    """CrossEntropy(weight, ignore_index) + dice_weight * soft Dice.

    `boundary_weight` > 0 multiplies the cross-entropy of pixels near a class edge by (1 + boundary_weight):
    a thin object is mostly edge, and its edges are what an upsampled prediction gets wrong."""

    def __init__(self, weight: torch.Tensor | None = None, dice_weight: float = 0.5,
                 ignore_index: int = IGNORE_INDEX, boundary_weight: float = 0.0) -> None:
        super().__init__()
        self.register_buffer("weight", weight)
        self.dice_weight = float(dice_weight)
        self.boundary_weight = float(boundary_weight)
        self.ignore_index = ignore_index

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        # mean over labelled pixels, weighted like F.cross_entropy; 0 (not NaN) when every pixel is ignored
        w = self.weight.float() if self.weight is not None else None
        valid = (target != self.ignore_index).float()
        if w is not None:
            valid = valid * w[target.clamp(0, logits.shape[1] - 1)]
        if self.boundary_weight:
            per_px = F.cross_entropy(logits.float(), target, weight=w, ignore_index=self.ignore_index,
                                     reduction="none")
            extra = 1.0 + self.boundary_weight * boundary_map(target, ignore_index=self.ignore_index)
            ce = (per_px * extra).sum()
            valid = valid * extra
        else:
            ce = F.cross_entropy(logits.float(), target, weight=w, ignore_index=self.ignore_index, reduction="sum")
        loss = ce / valid.sum().clamp_min(1e-6)
        if self.dice_weight:
            loss = loss + self.dice_weight * soft_dice_loss(logits, target, self.ignore_index)
        return loss

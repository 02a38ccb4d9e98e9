"""The deployment wrapper: camera frame in (uint8 NHWC BGR), decoded outputs out.

The same module is exported to ONNX and used to evaluate checkpoints, so a .pt, an .onnx and
an engine see frames through one preprocessing definition and can't disagree about mean/std.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.model import needs_distance
from foodcam.runtime.tasks import TaskSpec


def _whitened(model: nn.Module, task: TaskSpec) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """head -> (whitening W (D, D), class means @ W (K, D)) of every head calibrated with the mahalanobis
    score, from the feature statistics its checkpoint carries (`model.unsure_stats`, train/calibrate.py)."""
    heads = [h for h in task.heads if needs_distance(h)]
    stats = getattr(model, "unsure_stats", None) or {}
    out = {}
    for h in heads:
        if h.name not in stats or not hasattr(model, "embed"):
            raise FoodcamError(f"head {h.name!r} is calibrated with the mahalanobis score, but the model has no "
                               "feature statistics for it; run `foodcam calibrate` on the checkpoint again")
        w = stats[h.name]["whiten"].float()
        out[h.name] = (w, stats[h.name]["means"].float() @ w)
    return out


class DeployWrapper(nn.Module):
    def __init__(self, model: nn.Module, task: TaskSpec, logits: bool = False, uncertainty: bool = False) -> None:
        super().__init__()
        self.model = model
        self.task = task
        self.logits = logits
        self.uncertainty = uncertainty  # + per-pixel entropy / log(C) (segmentation): how unsure each pixel is
        # 1/255 folded into the scale: x_norm = x * scale + shift, per RGB channel
        mean = torch.tensor(task.mean, dtype=torch.float32)
        std = torch.tensor(task.std, dtype=torch.float32)
        self.register_buffer("scale", (1.0 / (255.0 * std)).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("shift", (-mean / std).view(1, 3, 1, 1), persistent=False)
        self.distance_heads = []
        for name, (w, mw) in _whitened(model, task).items():  # the mahalanobis unsure score, in the graph
            self.register_buffer(f"whiten_{name}", w, persistent=False)
            self.register_buffer(f"means_{name}", mw, persistent=False)
            self.distance_heads.append(name)

    def _distance(self, z: torch.Tensor, head: str) -> torch.Tensor:
        """(N,) squared Mahalanobis distance of L2-normalised features `z` to the nearest class mean."""
        z = z / z.norm(dim=1, keepdim=True).clamp_min(1e-12)
        y = z @ self.get_buffer(f"whiten_{head}")
        m = self.get_buffer(f"means_{head}")
        d = y[:, None, :] - m[None]  # (N, K, D): differences, not |y|^2 - 2 y.m + |m|^2 (cancels in FP16)
        return (d * d).sum(2).amin(1)

    def forward(self, images: torch.Tensor):
        """Outputs in `export.onnx_export.output_names` order: per head, segmentation -> mask [+ logits]
        [+ uncertainty] (at the task's output_size), classification -> softmax, multilabel -> sigmoid. A network may return a plain tensor when its
        task has one segmentation head, else {head name: logits}."""
        # uint8 -> float first: TensorRT's parser takes a UINT8 tensor only through Cast (export/graph_rules.py)
        x = images.float().permute(0, 3, 1, 2).flip(1)  # NHWC BGR uint8 -> NCHW RGB float
        x = x * self.scale + self.shift
        if self.distance_heads:
            net: Any = self.model  # a network with embed/classify (checked in _whitened)
            z = net.embed(x)
            out = net.classify(z)
        else:
            out = self.model(x)
        if not isinstance(out, dict):
            out = {self.task.heads[0].name: out}
        outs = []
        for h in self.task.heads:
            logits = out[h.name]
            if h.kind == "segmentation":
                if self.task.mask_size and tuple(logits.shape[-2:]) != tuple(self.task.mask_size):
                    # scores, not labels, are resized to the frame: edges land between input pixels
                    logits = nn.functional.interpolate(logits, size=tuple(self.task.mask_size), mode="bilinear",
                                                       align_corners=False)
                # int64 -> float -> uint8 (exact for < 2**24 classes): TensorRT 10.3 casts to UINT8 only from FLOAT/HALF
                outs.append(logits.argmax(1).to(torch.float32).to(torch.uint8))
                if self.logits:
                    outs.append(logits)
                if self.uncertainty:  # per-pixel entropy / log(C): 0 sure .. 1 uniform
                    logp = torch.log_softmax(logits, dim=1)
                    outs.append(-(logp.exp() * logp).sum(1) * (1.0 / math.log(max(2, logits.shape[1]))))
            elif h.kind == "multilabel":
                outs.append(torch.sigmoid(logits))
            else:
                outs.append(torch.softmax(logits, dim=1))
                if h.name in self.distance_heads:
                    outs.append(self._distance(z, h.name))
        return outs[0] if len(outs) == 1 else tuple(outs)

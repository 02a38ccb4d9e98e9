"""The deployment wrapper: camera frame in (uint8 NHWC BGR), decoded outputs out.

The same module is exported to ONNX and used to evaluate checkpoints, so a .pt, an .onnx and
an engine see frames through one preprocessing definition and can't disagree about mean/std.
"""

from __future__ import annotations

import math

import torch
from foodcam.runtime.tasks import TaskSpec
from torch import nn


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

    def forward(self, images: torch.Tensor):
        x = images.permute(0, 3, 1, 2).flip(1).float()  # NHWC BGR uint8 -> NCHW RGB float
        x = x * self.scale + self.shift
        out = self.model(x)
        if self.task.kind == "segmentation":
            mask = out.argmax(1).to(torch.uint8)
            extra = (out,) if self.logits else ()
            if self.uncertainty:
                logp = torch.log_softmax(out, dim=1)
                ent = -(logp.exp() * logp).sum(1) * (1.0 / math.log(max(2, out.shape[1])))
                extra += (ent,)
            return (mask, *extra) if extra else mask
        return tuple(torch.softmax(out[h.name], dim=1) for h in self.task.heads)

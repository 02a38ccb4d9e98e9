r"""ThinSeg: a small segmentation network built for three classes and one thin, long object (the stirrer).

Borrowed 21-class networks decode at output stride 8 and upsample bilinearly: a stirrer 6-10 px wide at
256 px loses its edges there. ThinSeg keeps the high-resolution path that thin structures need, the way
BiSeNet / Fast-SCNN / PIDNet do on a budget:

  stem   3x3 s2          -> 1/2   (c0)   \
  down   3x3 s2          -> 1/4   (c1)    |  detail path: full convolutions, few channels
  down   3x3 s2 + block  -> 1/8   (c2)   /
  down   3x3 s2 + blocks -> 1/16  (c3)   \  context path: residual blocks with dilation,
  down   3x3 s2 + blocks -> 1/32  (c4)   /  plus a global-average-pool gate (the whole pan in view)
  decoder: top-down, each level upsampled x2, added to a 1x1 projection of the skip, refined by a
  depthwise-separable 3x3; logits at 1/2 resolution, bilinear x2 to the input size.

Plain Conv+BN+ReLU everywhere (fused by ONNX Runtime and TensorRT), no SE blocks or hard-swish, so every
op is cheap and quantises cleanly. `width` scales all channels.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec
from foodcam.train.models import register_model

BASE = (16, 24, 48, 64, 96)  # channels at strides 2, 4, 8, 16, 32 for width 1.0


def cbr(c_in: int, c_out: int, k: int = 3, s: int = 1, d: int = 1, groups: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, k, s, padding=d * (k // 2), dilation=d, groups=groups, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    )


class Block(nn.Module):
    """Residual block: two 3x3 convolutions (the second dilated)."""

    def __init__(self, c: int, dilation: int = 1) -> None:
        super().__init__()
        self.a = cbr(c, c)
        self.b = nn.Sequential(nn.Conv2d(c, c, 3, padding=dilation, dilation=dilation, bias=False), nn.BatchNorm2d(c))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(x + self.b(self.a(x)))


class SepBlock(nn.Module):
    """Depthwise-separable refinement: 3x3 depthwise + 1x1 pointwise (+BN, ReLU)."""

    def __init__(self, c: int) -> None:
        super().__init__()
        self.dw = cbr(c, c, groups=c)
        self.pw = cbr(c, c, k=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pw(self.dw(x))


class Fuse(nn.Module):
    """Top-down step: upsample the coarser level x2, add the projected skip, refine."""

    def __init__(self, c_top: int, c_skip: int) -> None:
        super().__init__()
        self.top = cbr(c_top, c_skip, k=1)
        self.refine = SepBlock(c_skip)

    def forward(self, top: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        up = F.interpolate(self.top(top), size=skip.shape[-2:], mode="bilinear", align_corners=False)
        return self.refine(up + skip)


class Encoder(nn.Module):
    def __init__(self, ch: tuple[int, ...], depth: tuple[int, int, int]) -> None:
        super().__init__()
        c0, c1, c2, c3, c4 = ch
        n8, n16, n32 = depth
        self.channels = ch
        self.s2 = cbr(3, c0, s=2)
        self.s4 = nn.Sequential(cbr(c0, c1, s=2), cbr(c1, c1))
        self.s8 = nn.Sequential(cbr(c1, c2, s=2), *[Block(c2) for _ in range(n8)])
        self.s16 = nn.Sequential(cbr(c2, c3, s=2), *[Block(c3, dilation=1 + i % 2) for i in range(n16)])
        self.s32 = nn.Sequential(cbr(c3, c4, s=2), *[Block(c4, dilation=1 + i % 3) for i in range(n32)])

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        f2 = self.s2(x)
        f4 = self.s4(f2)
        f8 = self.s8(f4)
        f16 = self.s16(f8)
        return [f2, f4, f8, f16, self.s32(f16)]


class ThinSeg(nn.Module):
    size_multiple = 32

    def __init__(self, num_classes: int, width: float = 1.0, depth: tuple[int, int, int] = (1, 2, 2)) -> None:
        super().__init__()
        if not width > 0:
            raise FoodcamError(f"thinseg width {width}: expected a positive channel multiplier")
        ch = tuple(max(8, int(round(c * width / 8)) * 8) for c in BASE)
        self.encoder = Encoder(ch, depth)
        c0, c1, c2, c3, c4 = ch
        self.gate = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(c4, c4, 1), nn.Sigmoid())
        self.fuse = nn.ModuleList([Fuse(c4, c3), Fuse(c3, c2), Fuse(c2, c1), Fuse(c1, c0)])
        self.head = nn.Conv2d(c0, num_classes, 1)

    @property
    def backbone(self) -> nn.Module:
        return self.encoder

    @property
    def context_channels(self) -> int:
        return self.encoder.channels[-1]

    def features(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(logits at half the padded input size, gated stride-32 context features) of a padded input."""
        f2, f4, f8, f16, f32 = self.encoder(x)
        context = f32 * self.gate(f32)
        y = context
        for fuse, skip in zip(self.fuse, (f16, f8, f4, f2)):
            y = fuse(y, skip)
        return self.head(y), context

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h, w = x.shape[-2:]
        pad_h, pad_w = (-h) % self.size_multiple, (-w) % self.size_multiple
        if pad_h or pad_w:
            x = F.pad(x, (0, pad_w, 0, pad_h), mode="replicate")
        y = F.interpolate(self.features(x)[0], scale_factor=2.0, mode="bilinear", align_corners=False)
        if pad_h or pad_w:
            y = y[..., :h, :w]
        return y


@register_model("thinseg", "segmentation")
def build_thinseg(task: TaskSpec, *, width: float = 1.0) -> nn.Module:
    """ThinSeg: stride-2 detail path + dilated context + top-down fusion, built for thin objects (default)."""
    return ThinSeg(task.seg_head.num_classes, width=float(width))

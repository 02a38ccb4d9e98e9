"""U-Net: a four-level encoder-decoder with skip connections, sized by its base width.

Channels double at each of the four downsamplings (width, 2w, 4w, 8w, 16w); the decoder upsamples
(a 1x1 convolution halving the channels then bilinear interpolation, or a transposed convolution),
concatenates the skip and applies two 3x3 conv+BN+ReLU.
Inputs whose sides are not multiples of 16 are padded and the logits cropped back.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec
from foodcam.train.models import register_model

DEPTH = 4
MULTIPLE = 2**DEPTH


class DoubleConv(nn.Sequential):
    def __init__(self, c_in: int, c_out: int) -> None:
        super().__init__(
            nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),
            nn.BatchNorm2d(c_out),
            nn.ReLU(inplace=True),
            nn.Conv2d(c_out, c_out, 3, padding=1, bias=False),
            nn.BatchNorm2d(c_out),
            nn.ReLU(inplace=True),
        )


class Encoder(nn.Module):
    """Stem + DEPTH max-pool/DoubleConv stages; returns the feature of every level (finest first)."""

    def __init__(self, width: int, in_channels: int = 3) -> None:
        super().__init__()
        chans = [width * 2**i for i in range(DEPTH + 1)]
        self.channels = chans
        self.stages = nn.ModuleList([DoubleConv(in_channels, chans[0])])
        for i in range(1, DEPTH + 1):
            self.stages.append(nn.Sequential(nn.MaxPool2d(2), DoubleConv(chans[i - 1], chans[i])))

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        feats = []
        for stage in self.stages:
            x = stage(x)
            feats.append(x)
        return feats


class Up(nn.Module):
    def __init__(self, c_in: int, c_skip: int, mode: str) -> None:
        super().__init__()
        if mode == "transpose":
            self.up = nn.ConvTranspose2d(c_in, c_in // 2, 2, stride=2)
        else:  # halve the channels at the coarse level (cheap), then interpolate
            self.up = nn.Sequential(
                nn.Conv2d(c_in, c_in // 2, 1, bias=False),
                nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False),
            )
        self.conv = DoubleConv(c_in // 2 + c_skip, c_skip)

    def forward(self, x: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        return self.conv(torch.cat([self.up(x), skip], dim=1))


class UNet(nn.Module):
    size_multiple = MULTIPLE

    def __init__(self, num_classes: int, width: int = 32, up: str = "bilinear") -> None:
        super().__init__()
        if width < 1:
            raise FoodcamError(f"unet width {width}: expected a positive number of channels")
        if up not in ("bilinear", "transpose"):
            raise FoodcamError(f"unet up {up!r}: expected 'bilinear' or 'transpose'")
        self.encoder = Encoder(width)
        chans = self.encoder.channels
        self.decoder = nn.ModuleList(Up(chans[i + 1], chans[i], up) for i in reversed(range(DEPTH)))
        self.head = nn.Conv2d(chans[0], num_classes, 1)

    @property
    def backbone(self) -> nn.Module:
        return self.encoder

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h, w = x.shape[-2], x.shape[-1]
        pad_h, pad_w = (-h) % MULTIPLE, (-w) % MULTIPLE
        if pad_h or pad_w:
            x = F.pad(x, (0, pad_w, 0, pad_h), mode="reflect" if min(h, w) > max(pad_h, pad_w) else "constant")
        feats = self.encoder(x)
        y = feats[-1]
        for up, skip in zip(self.decoder, reversed(feats[:-1])):
            y = up(y, skip)
        y = self.head(y)
        if pad_h or pad_w:
            y = y[..., :h, :w]
        return y


@register_model("unet", "segmentation")
def build_unet(task: TaskSpec, *, width: int = 32, up: str = "bilinear") -> nn.Module:
    """Classic U-Net (depth 4, BatchNorm+ReLU); `width` base channels, `up` bilinear|transpose."""
    return UNet(task.seg_head.num_classes, width=int(width), up=up)

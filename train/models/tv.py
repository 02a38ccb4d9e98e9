"""torchvision segmentation models, built without any weights and wrapped to return a plain logits tensor.

torchvision returns {"out": logits}; deployment (ONNX) wants one tensor, so `OutOnly` picks "out".
Pretrained weights come only from a local file through `build_model(..., init=PATH)`.
"""

from __future__ import annotations

import torch
from torch import nn
from torchvision.models.segmentation import deeplabv3_resnet50, lraspp_mobilenet_v3_large

from foodcam.runtime.tasks import TaskSpec
from foodcam.train.models import register_model


class OutOnly(nn.Module):
    """A torchvision segmentation model returning only its "out" logits (N, C, H, W)."""

    def __init__(self, net: nn.Module) -> None:
        super().__init__()
        self.net = net

    @property
    def backbone(self) -> nn.Module:
        return self.net.backbone

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)["out"]


def _bn_momentum(net: nn.Module, momentum: float) -> nn.Module:
    for m in net.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.momentum = momentum
    return net


@register_model("lraspp", "segmentation")
def build_lraspp(task: TaskSpec) -> nn.Module:
    """LR-ASPP with a MobileNetV3-Large backbone (torchvision), randomly initialised."""
    net = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=task.seg_head.num_classes)
    # torchvision's MobileNetV3 keeps BatchNorm running statistics with momentum 0.01 (tuned for long
    # ImageNet runs): after a few hundred steps from scratch they still mostly hold their initial values
    # and validation in eval mode predicts one class. PyTorch's default 0.1 tracks the training batches.
    return OutOnly(_bn_momentum(net, 0.1))


@register_model("deeplabv3", "segmentation")
def build_deeplabv3(task: TaskSpec) -> nn.Module:
    """DeepLabV3 with a ResNet-50 backbone (torchvision), randomly initialised, no auxiliary head."""
    net = deeplabv3_resnet50(weights=None, weights_backbone=None, num_classes=task.seg_head.num_classes, aux_loss=False)
    return OutOnly(net)

"""One shared backbone, two classification heads: fruit type and fresh/rotten.

    image -> torchvision backbone (no weights) -> global pool -> shared MLP (512, ReLU, dropout)
          -> {"fruit": logits (N, F), "freshness": logits (N, 2)}  (one linear head per task head)

`resnet50` is the published reference; `mobilenetv3` (MobileNetV3-Large) and `resnet18` suit the edge.
Nothing is downloaded: `build_model(..., init=PATH)` loads a local torchvision state dict into `backbone`.
`freeze` fixes the stem and the early stages (their BatchNorm statistics too); `finetune_last` trains
only the last stage, the shared MLP and the heads.
"""

from __future__ import annotations

import torch
from torch import nn
from torchvision.models import mobilenet_v3_large, resnet18, resnet50

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec
from foodcam.train.models import register_model

HIDDEN = 512


def _resnet(net: nn.Module) -> tuple[nn.Module, int, list[nn.Module], int, int]:
    dim = net.fc.in_features
    net.fc = nn.Identity()  # keeps torchvision's parameter names, so its state dicts load as they are
    stages = [net.conv1, net.bn1, net.layer1, net.layer2, net.layer3, net.layer4]
    return net, dim, stages, 4, 5  # freeze: stem + layer1-2; finetune_last: all but layer4


def _mobilenet(net: nn.Module) -> tuple[nn.Module, int, list[nn.Module], int, int]:
    dim = net.classifier[0].in_features
    net.classifier = nn.Identity()
    for m in net.modules():  # torchvision's 0.01 suits its 600-epoch recipe; short runs need statistics that keep up
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = 0.1
    return net, dim, list(net.features), 7, 13  # freeze: stages to stride 8; finetune_last: the stride-32 stage


BACKBONES = {
    "mobilenetv3": lambda: _mobilenet(mobilenet_v3_large(weights=None)),
    "resnet18": lambda: _resnet(resnet18(weights=None)),
    "resnet50": lambda: _resnet(resnet50(weights=None)),
}


class MultiHeadClassifier(nn.Module):
    """Backbone features shared by every classification head of the task."""

    def __init__(self, backbone: str, task: TaskSpec, hidden: int = HIDDEN, dropout: float = 0.2,
                 freeze: bool = False, finetune_last: bool = False) -> None:
        super().__init__()
        if backbone not in BACKBONES:
            raise FoodcamError(f"unknown backbone {backbone!r}; expected one of {', '.join(BACKBONES)}")
        heads = [h for h in task.heads if h.kind == "classification"]
        if not heads:
            raise FoodcamError(f"task {task.name!r} has no classification head")
        self.backbone, dim, stages, n_early, n_all_but_last = BACKBONES[backbone]()
        self.shared = nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(inplace=True), nn.Dropout(dropout))
        self.heads = nn.ModuleDict({h.name: nn.Linear(hidden, h.num_classes) for h in heads})
        n_frozen = n_all_but_last if finetune_last else n_early if freeze else 0
        self.frozen: list[nn.Module] = stages[:n_frozen]
        for m in self.frozen:
            for p in m.parameters():
                p.requires_grad_(False)
        self.train()

    def train(self, mode: bool = True) -> MultiHeadClassifier:
        super().train(mode)
        for m in getattr(self, "frozen", []):
            m.eval()  # frozen layers keep their BatchNorm statistics
        return self

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """The pooled features every head reads (N, hidden): what the mahalanobis unsure score measures."""
        return self.shared(self.backbone(x))

    def classify(self, z: torch.Tensor) -> dict[str, torch.Tensor]:
        return {name: head(z) for name, head in self.heads.items()}

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        return self.classify(self.embed(x))


@register_model("mobilenetv3", "classification")
def build_mobilenetv3(task: TaskSpec, *, freeze: bool = False, finetune_last: bool = False,
                      dropout: float = 0.2) -> nn.Module:
    """MobileNetV3-Large backbone + shared MLP + one head per classification head (edge)."""
    return MultiHeadClassifier("mobilenetv3", task, dropout=dropout, freeze=freeze, finetune_last=finetune_last)


@register_model("resnet18", "classification")
def build_resnet18(task: TaskSpec, *, freeze: bool = False, finetune_last: bool = False,
                   dropout: float = 0.2) -> nn.Module:
    """ResNet-18 backbone + shared MLP + one head per classification head (edge)."""
    return MultiHeadClassifier("resnet18", task, dropout=dropout, freeze=freeze, finetune_last=finetune_last)


@register_model("resnet50", "classification")
def build_resnet50(task: TaskSpec, *, freeze: bool = False, finetune_last: bool = False,
                   dropout: float = 0.2) -> nn.Module:
    """ResNet-50 backbone + shared MLP + one head per classification head (the published reference)."""
    return MultiHeadClassifier("resnet50", task, dropout=dropout, freeze=freeze, finetune_last=finetune_last)

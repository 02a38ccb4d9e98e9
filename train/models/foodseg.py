"""Multi-task food models: one encoder, a segmentation head and global-average-pool + linear label heads.

    image -> encoder -> seg head (LR-ASPP | DeepLabV3) -> "mask" logits (N, C, H, W) at input size
                     -> global average pool -> dropout -> linear -> one (N, K) logits per per-image head

The heads follow the task: a task with only "mask" (`--task single-seg`) gets no label head, one with only
"ingredients" (`single-labels`) no segmentation head, `multi` both. The network returns
{head name: logits}; DeployWrapper turns them into the mask, sigmoid (multilabel) or softmax outputs.

  foodseg-edge        MobileNetV3-Large (dilated, output stride 16) + LR-ASPP   the camera loop's model
  foodseg-edge-small  MobileNetV3-Small (dilated) + LR-ASPP                     cheaper still
  foodseg-r50         ResNet-50 (dilated, output stride 8) + DeepLabV3          the published reference

torchvision builders, no weights (nothing is downloaded); `--init PATH` loads a local torchvision state
dict into `backbone`, `--init-from CKPT` the encoder of a foodcam single-task checkpoint.

`mask_evidence=True` (multi-task only, `foodcam train foodseg --mask-evidence`): each food's label logit also
gets a learned per-class scale x logit(peak probability of that food in the mask head's output, 3x3-smoothed)
+ bias. The mask head learns where foods are much sooner than a pooled feature vector learns which foods
are there; the evidence is detached, so the label loss never pulls on the mask.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import mobilenet_v3_large, mobilenet_v3_small
from torchvision.models.segmentation import deeplabv3_resnet50
from torchvision.models.segmentation.lraspp import _lraspp_mobilenetv3

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec
from foodcam.train.models import register_model


def _bn_momentum(net: nn.Module, momentum: float = 0.1) -> nn.Module:
    """torchvision's MobileNetV3 keeps BatchNorm statistics with momentum 0.01 (for long ImageNet runs);
    short runs from scratch need 0.1 so eval-mode statistics follow the training batches."""
    for m in net.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.momentum = momentum
    return net


class FoodSegNet(nn.Module):
    """Encoder + optional segmentation head + one GAP-linear head per per-image head of the task."""

    def __init__(self, encoder: str, task: TaskSpec, dropout: float = 0.2, mask_evidence: bool = False) -> None:
        super().__init__()
        seg = task.seg_head if task.has_segmentation else None
        n_seg = seg.num_classes if seg is not None else 2
        if encoder in ("mobilenetv3", "mobilenetv3-small"):
            make = mobilenet_v3_large if encoder == "mobilenetv3" else mobilenet_v3_small
            tv = _lraspp_mobilenetv3(make(weights=None, dilated=True), n_seg)
            self.backbone, head, self.feature = tv.backbone, tv.classifier, "high"
            self.dict_head = True
            dim = tv.classifier.cbr[0].in_channels
        elif encoder == "resnet50":
            tv = deeplabv3_resnet50(weights=None, weights_backbone=None, num_classes=n_seg, aux_loss=False)
            self.backbone, head, self.feature = tv.backbone, tv.classifier, "out"
            self.dict_head = False
            dim = 2048
        else:
            raise FoodcamError(f"unknown encoder {encoder!r}; expected mobilenetv3, mobilenetv3-small or resnet50")
        self.seg_name = seg.name if seg is not None else None
        self.seg_head = head if seg is not None else None
        self.label_heads = nn.ModuleDict({h.name: nn.Sequential(nn.Dropout(dropout), nn.Linear(dim, h.num_classes))
                                          for h in task.image_heads})
        if seg is None and not self.label_heads:
            raise FoodcamError(f"task {task.name!r} has no heads")
        self.evidence = nn.ParameterDict()
        if mask_evidence:
            for h in task.image_heads:
                if seg is None or list(h.classes) != list(seg.classes[1:]):
                    raise FoodcamError(f"mask evidence: head {h.name!r} needs a mask head over the same foods "
                                       "(--task multi)")
                self.evidence[h.name] = nn.Parameter(torch.stack([torch.ones(h.num_classes),
                                                                  torch.zeros(h.num_classes)]))
        _bn_momentum(self)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        feats = self.backbone(x)
        out: dict[str, torch.Tensor] = {}
        evidence = None
        if self.seg_head is not None:
            logits = self.seg_head(feats) if self.dict_head else self.seg_head(feats[self.feature])
            out[self.seg_name] = F.interpolate(logits, size=x.shape[-2:], mode="bilinear", align_corners=False)
            if len(self.evidence):
                evidence = peak_logit(logits.detach())
        if len(self.label_heads):
            pooled = feats[self.feature].mean((2, 3))
            for name, head in self.label_heads.items():
                out[name] = head(pooled)
                if evidence is not None and name in self.evidence:
                    scale_bias = self.evidence[name]
                    out[name] = out[name] + scale_bias[0] * evidence + scale_bias[1]
        return out


def peak_logit(mask_logits: torch.Tensor) -> torch.Tensor:
    """(N, C, h, w) mask logits -> (N, C-1): logit of each food's highest 3x3-averaged probability."""
    probs = F.avg_pool2d(mask_logits.float().softmax(1)[:, 1:], 3, stride=1, padding=1)
    peak = probs.amax((2, 3)).clamp(1e-4, 1 - 1e-4)
    return torch.log(peak) - torch.log1p(-peak)


@register_model("foodseg-edge", "multitask")
def build_edge(task: TaskSpec, *, dropout: float = 0.2, mask_evidence: bool = False) -> nn.Module:
    """MobileNetV3-Large + LR-ASPP + GAP-linear label heads (edge multi-task)."""
    return FoodSegNet("mobilenetv3", task, dropout, mask_evidence)


@register_model("foodseg-edge-small", "multitask")
def build_edge_small(task: TaskSpec, *, dropout: float = 0.2, mask_evidence: bool = False) -> nn.Module:
    """MobileNetV3-Small + LR-ASPP + GAP-linear label heads (smallest edge multi-task)."""
    return FoodSegNet("mobilenetv3-small", task, dropout, mask_evidence)


@register_model("foodseg-r50", "multitask")
def build_r50(task: TaskSpec, *, dropout: float = 0.2, mask_evidence: bool = False) -> nn.Module:
    """ResNet-50 + DeepLabV3 + GAP-linear label heads (the reference multi-task model)."""
    return FoodSegNet("resnet50", task, dropout, mask_evidence)

"""Food models built on ThinSeg: the plate's mask and ingredient list, and the photo's food, at an edge budget.

  foodseg-thin  (multitask)       ThinSeg body -> mask logits (background + foods), at the input size
                                  gated context (stride 32) -> global average pool -> dropout -> linear
                                  -> ingredient logits, + each food's peak in the mask (detached, as
                                  foodseg-edge --mask-evidence): the mask finds foods long before a pooled
                                  vector learns which foods are there
  foodrec-thin  (classification)  the same body; a food's logit is the log of the share of the image its
                                  pixels cover (mean softmax over pixels). The recognition label is the food
                                  covering the largest area, which is what this head computes; the body starts
                                  from a foodseg-thin checkpoint (`--init-from`), so it has learnt from masks.

Both keep the whole ThinSeg as `backbone`, so `--init-from` a foodseg-thin checkpoint copies the mask network
whole (encoder, decoder and per-pixel head) when the foods agree. `width` scales every channel (ThinSeg).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec
from foodcam.train.models import register_model
from foodcam.train.models.foodseg import peak_logit
from foodcam.train.models.thinseg import ThinSeg

AREA_EPS = 1e-4  # share of the image below which a food's area logit stops falling


class _ThinFood(nn.Module):
    """A ThinSeg over background + the foods, with padding to its size multiple handled once."""

    def __init__(self, num_foods: int, width: float) -> None:
        super().__init__()
        self.backbone = ThinSeg(num_foods + 1, width=float(width))

    def _body(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(mask logits at half resolution cropped to the input's half, context features)."""
        h, w = x.shape[-2:]
        m = self.backbone.size_multiple
        pad_h, pad_w = (-h) % m, (-w) % m
        if pad_h or pad_w:
            x = F.pad(x, (0, pad_w, 0, pad_h), mode="replicate")
        logits, context = self.backbone.features(x)
        if pad_h or pad_w:
            logits = logits[..., : (h + 1) // 2, : (w + 1) // 2]
        return logits, context


class FoodThinSeg(_ThinFood):
    """Mask + multi-label ingredient heads (`--task multi`), or either one alone."""

    def __init__(self, task: TaskSpec, width: float = 1.0, dropout: float = 0.2, mask_evidence: bool = True) -> None:
        seg = task.seg_head if task.has_segmentation else None
        heads = list(task.image_heads)
        foods = seg.num_classes - 1 if seg is not None else (heads[0].num_classes if heads else 0)
        if foods < 1:
            raise FoodcamError(f"task {task.name!r}: foodseg-thin needs a mask head or a label head")
        super().__init__(foods, width)
        self.seg_name = seg.name if seg is not None else None
        dim = self.backbone.context_channels
        self.label_heads = nn.ModuleDict({h.name: nn.Sequential(nn.Dropout(dropout), nn.Linear(dim, h.num_classes))
                                          for h in heads})
        self.evidence = nn.ParameterDict()
        if mask_evidence and seg is not None:
            for h in heads:
                if list(h.classes) == list(seg.classes[1:]):
                    self.evidence[h.name] = nn.Parameter(torch.stack([torch.ones(h.num_classes),
                                                                      torch.zeros(h.num_classes)]))

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        logits, context = self._body(x)
        out: dict[str, torch.Tensor] = {}
        if self.seg_name is not None:
            out[self.seg_name] = F.interpolate(logits, size=x.shape[-2:], mode="bilinear", align_corners=False)
        pooled = context.mean((2, 3))
        for name, head in self.label_heads.items():
            out[name] = head(pooled)
            if name in self.evidence:
                scale_bias = self.evidence[name]
                out[name] = out[name] + scale_bias[0] * peak_logit(logits.detach()) + scale_bias[1]
        return out


class FoodThinRec(_ThinFood):
    """One classification head whose logits are log(area share) of each food in the body's mask."""

    def __init__(self, task: TaskSpec, width: float = 1.0) -> None:
        heads = [h for h in task.heads if h.kind == "classification"]
        if len(heads) != 1:
            raise FoodcamError(f"task {task.name!r}: foodrec-thin has one classification head, the task has "
                               f"{len(heads)}")
        super().__init__(heads[0].num_classes, width)
        self.head_name = heads[0].name

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """(N, K + C): each food's area share, then the pooled context: what the unsure score measures."""
        logits, context = self._body(x)
        return torch.cat([logits.float().softmax(1)[:, 1:].mean((2, 3)), context.mean((2, 3))], 1)

    def classify(self, z: torch.Tensor) -> dict[str, torch.Tensor]:
        k = self.backbone.head.out_channels - 1
        return {self.head_name: torch.log(z[:, :k] + AREA_EPS)}

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        return self.classify(self.embed(x))


@register_model("foodseg-thin", "multitask")
def build_foodseg_thin(task: TaskSpec, *, width: float = 1.0, dropout: float = 0.2,
                       mask_evidence: bool = True) -> nn.Module:
    """ThinSeg body + pooled-context ingredient head with the mask's evidence (edge multi-task, default)."""
    return FoodThinSeg(task, width=float(width), dropout=dropout, mask_evidence=mask_evidence)


@register_model("foodrec-thin", "classification")
def build_foodrec_thin(task: TaskSpec, *, width: float = 1.0) -> nn.Module:
    """ThinSeg body; each food's logit is the log of its area share (start it from a foodseg-thin checkpoint)."""
    return FoodThinRec(task, width=float(width))

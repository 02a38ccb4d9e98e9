"""`--mask-evidence`: the ingredient head of a multi-task foodseg model also reads the mask head's peaks."""

from __future__ import annotations

import pytest
import torch

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import food_segmentation_task
from foodcam.train.models import build_model
from foodcam.train.models.foodseg import peak_logit

CLASSES = ["background", "rice", "egg", "leaf"]


def test_peak_logit_follows_the_mask():
    logits = torch.zeros(1, 4, 8, 8)
    logits[0, 0] = 5.0  # background everywhere ...
    logits[0, 2, 2:6, 2:6] = 10.0  # ... but a patch of egg
    ev = peak_logit(logits)
    assert ev.shape == (1, 3)
    assert ev[0, 1] > 3 and ev[0, 0] < -3 and ev[0, 2] < -3


def test_model_with_evidence_trains_the_labels_without_pulling_on_the_mask():
    task = food_segmentation_task(CLASSES, "multi", (32, 32))
    model = build_model("foodseg-edge-small", task, mask_evidence=True).train()
    out = model(torch.randn(2, 3, 32, 32))
    assert out["mask"].shape == (2, 4, 32, 32) and out["ingredients"].shape == (2, 3)
    out["ingredients"].sum().backward()
    assert model.evidence["ingredients"].grad is not None
    seg_grads = [p.grad for p in model.seg_head.parameters()]
    assert all(g is None or not g.any() for g in seg_grads)  # the evidence is detached


def test_evidence_needs_a_mask_head():
    task = food_segmentation_task(CLASSES, "single-labels", (32, 32))
    with pytest.raises(FoodcamError, match="mask evidence"):
        build_model("foodseg-edge-small", task, mask_evidence=True)

"""The ThinSeg food models: foodseg-thin (mask + ingredients) and foodrec-thin (the food by area share), and the
recipe that ships them: a foodseg-thin run, then foodrec-thin started from it with --init-from."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from conftest import foodcam

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec, food_segmentation_task, get_task
from foodcam.train.models import build_model

FOODS = ["rice", "tomato", "egg"]


def _rec_task() -> TaskSpec:
    return get_task("foodrec").with_head_classes("food", FOODS).with_input_size(64, 64)


@pytest.mark.parametrize("variant", ["multi", "single-seg", "single-labels"])
def test_foodseg_thin_heads_follow_the_task(variant):
    task = food_segmentation_task(["background", *FOODS], variant, (64, 64))
    net = build_model("foodseg-thin", task, width=0.5).eval()
    out = net(torch.randn(2, 3, 72, 40))  # not a multiple of 32: padded inside, cropped back
    assert set(out) == {h.name for h in task.heads}
    if task.has_segmentation:
        assert out["mask"].shape == (2, 4, 72, 40)
    if task.image_heads:
        assert out["ingredients"].shape == (2, 3)
    assert (len(net.evidence) == 1) == (variant == "multi")  # the mask's evidence only where both heads are


def test_foodrec_thin_scores_each_food_by_its_area_share():
    net = build_model("foodrec-thin", _rec_task(), width=0.5).eval()
    with torch.no_grad():
        head = net.backbone.head  # make food 2 ("egg") cover most of every image
        head.weight.zero_()
        head.bias.copy_(torch.tensor([0.0, 1.0, 0.5, 3.0]))
        x = torch.randn(2, 3, 64, 64)
        logits = net(x)["food"]
        z = net.embed(x)
    share = torch.softmax(torch.tensor([0.0, 1.0, 0.5, 3.0]), 0)[1:]
    assert torch.allclose(logits.exp() - 1e-4, share.expand(2, 3), atol=1e-5)
    assert logits.argmax(1).tolist() == [2, 2]
    assert z.shape == (2, 3 + net.backbone.context_channels)  # area shares + pooled context: the unsure score's
    assert torch.equal(net.classify(z)["food"], logits)


def test_foodrec_thin_needs_one_classification_head():
    with pytest.raises(FoodcamError, match="one classification head, the task has 2"):
        build_model("foodrec-thin", get_task("freshness"))  # fruit + freshness
    with pytest.raises(FoodcamError, match="needs a segmentation model"):
        build_model("foodrec-thin", get_task("kitchen"))


@pytest.mark.slow
def test_foodrec_starts_from_the_foodseg_mask_network(tmp_path, capsys):
    """foodseg-thin -> foodrec-thin --init-from (the whole mask network copied) -> calibrate -> export -> eval."""
    pytest.importorskip("pycocotools")
    data = tmp_path / "fs"
    assert foodcam("synth", "foodseg", "--out", data, "--count", 16, "--classes", 6, "--size", "64x64") == 0
    common = ("--imgsz", 64, "--epochs", 1, "--batch", 4, "--device", "cpu", "--width", 0.5)
    assert foodcam("train", "foodseg", "--data", data, "--model", "foodseg-thin", "--out", tmp_path / "seg",
                   *common) == 0
    capsys.readouterr()
    rec = tmp_path / "rec"
    assert foodcam("train", "foodrec", "--data", data, "--model", "foodrec-thin", "--init-from",
                   tmp_path / "seg" / "best.pt", "--out", rec, *common) == 0
    copied = capsys.readouterr().out
    n = len(build_model("foodrec-thin", _rec_task(), width=0.5).backbone.state_dict())
    assert f"encoder initialised with {n}/{n} tensors" in copied  # encoder, decoder and per-pixel head

    assert foodcam("calibrate", "--weights", rec / "best.pt", "--data", data, "--out", rec / "cal.pt") == 0
    assert foodcam("export", "--weights", rec / "cal.pt", "--out", rec / "model.onnx", "--data", data) in (0, 1)
    from foodcam.runtime.open import open_model

    with open_model(rec / "model.onnx", backend="cpu") as model:
        out = model.infer(np.zeros((1, 64, 64, 3), np.uint8))
        assert out["food"].shape == (1, 6) and abs(float(out["food"].sum()) - 1) < 1e-4
        assert model.task.head("food").calibration is not None
    assert foodcam("eval", "--weights", rec / "model.onnx", "--data", data, "--out", tmp_path / "ev") == 0
    assert {"top1", "top5"} <= set(json.loads((tmp_path / "ev" / "metrics.json").read_text()))

    from foodcam.benchmarks.unsure import main as unsure  # in task (its val) against pans and fruit

    assert unsure(["--model", str(rec / "model.onnx"), "--data", str(data), "--count", "3", "--compare",
                   str(rec / "cal.pt"), "--out", str(tmp_path / "unsure")]) == 0
    report = json.loads((tmp_path / "unsure" / "unsure.json").read_text())
    assert set(report["sizes"]) == {"val", "kitchen", "fruit"} and report["sizes"]["fruit"] == 3
    assert set(report["flagged"]) == {"model (mahalanobis)", "msp", "energy", "mahalanobis"}
    assert all(0 <= v <= 1 for row in report["flagged"].values() for head in row.values() for v in head.values())

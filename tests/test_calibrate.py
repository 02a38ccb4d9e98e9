"""`foodcam calibrate` on a tiny two-head checkpoint: temperature + mahalanobis threshold on val, the statistics in
the checkpoint, the distance computed inside the exported graph, and the .onnx (msp) route."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("torch")
import torch  # noqa: E402
from torch import nn  # noqa: E402

from foodcam.runtime.open import open_model  # noqa: E402
from foodcam.runtime.tasks import FRESHNESS, TaskSpec  # noqa: E402
from foodcam.train.checkpoint import read_checkpoint, save_checkpoint  # noqa: E402
from foodcam.train.models import MODELS, register_model  # noqa: E402
from tests.conftest import foodcam  # noqa: E402

ARCH = "_test_calibrate"


class _TinyEmbed(nn.Module):
    """Pooled features + one linear head per task head, with the embed/classify split of MultiHeadClassifier."""

    def __init__(self, task: TaskSpec) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 12, 3, stride=2, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                  nn.Flatten())
        self.heads = nn.ModuleDict({h.name: nn.Linear(12, h.num_classes) for h in task.heads})

    def embed(self, x):
        return self.body(x)

    def classify(self, z):
        return {name: head(z) for name, head in self.heads.items()}

    def forward(self, x):
        return self.classify(self.embed(x))


@pytest.fixture(scope="module")
def ckpt(tmp_path_factory):
    root = tmp_path_factory.mktemp("cal")
    data = root / "fruit"
    assert foodcam("synth", "fruit", "--out", data, "--count", 60, "--seed", 0, "--size", "32x32") == 0
    register_model(ARCH, "classification")(lambda task: _TinyEmbed(task))
    torch.manual_seed(0)
    task = FRESHNESS.with_input_size(32, 32)
    path = root / "tiny.pt"
    save_checkpoint(path, {"task": task.to_dict(), "arch": {"name": ARCH, "kwargs": {}},
                           "state_dict": _TinyEmbed(task).state_dict(), "config": {}, "metrics": {}, "epoch": 0})
    yield path, data
    MODELS.pop(ARCH, None)


def test_calibrate_checkpoint_then_export_puts_the_distance_in_the_graph(ckpt, tmp_path, capsys):
    path, data = ckpt
    out = tmp_path / "cal.pt"
    assert foodcam("calibrate", "--weights", path, "--data", data, "--out", out) == 0
    printed = capsys.readouterr().out
    assert "fruit: T " in printed and "ECE" in printed and "unsure when mahalanobis >" in printed
    record = json.loads((tmp_path / "cal.pt.calibration.json").read_text())
    for h in ("fruit", "freshness"):
        r = record["heads"][h]
        assert r["flagged"] <= 0.02 and r["temperature"] > 0 and 0 <= r["ece_after"] <= 1
    ck = read_checkpoint(out)
    task = TaskSpec.from_dict(ck["task"])
    assert task.head("fruit").calibration.score == "mahalanobis"
    assert ck["unsure_stats"]["fruit"]["means"].shape == (4, 12)
    onnx_path = tmp_path / "cal.onnx"
    assert foodcam("export", "--weights", out, "--out", onnx_path) == 0
    frames = [np.random.default_rng(i).integers(0, 256, (32, 32, 3), dtype=np.uint8) for i in range(4)]
    with open_model(onnx_path) as m, open_model(out) as t:
        assert "fruit_distance" in m.required_outputs
        for f in frames:
            a, b = m.predict(f), t.predict(f)
            assert a.unsure_scores["fruit"] == pytest.approx(b.unsure_scores["fruit"], rel=1e-3)
            assert a.unsure["fruit"] == (a.unsure_scores["fruit"] > task.head("fruit").calibration.threshold)
    # an uncalibrated export of the same network has the old outputs only
    plain = tmp_path / "plain.onnx"
    assert foodcam("export", "--weights", path, "--out", plain) == 0
    with open_model(plain) as m:
        assert m.required_outputs == ["fruit", "freshness"] and m.predict(frames[0]).unsure == {}


def test_calibrate_onnx_uses_msp_and_keeps_the_graph(ckpt, tmp_path, capsys):
    path, data = ckpt
    plain = tmp_path / "plain.onnx"
    assert foodcam("export", "--weights", path, "--out", plain) == 0
    out = tmp_path / "plain.cal.onnx"
    assert foodcam("calibrate", "--weights", plain, "--data", data, "--out", out) == 0
    with open_model(out, verify=True) as m:
        assert m.task.head("freshness").calibration.score == "msp" and m.required_outputs == ["fruit", "freshness"]
    capsys.readouterr()
    assert foodcam("calibrate", "--weights", plain, "--data", data, "--out", tmp_path / "x.onnx",
                   "--score", "mahalanobis") == 2
    assert "needs a checkpoint" in capsys.readouterr().err
    assert foodcam("calibrate", "--weights", path, "--data", data, "--out", tmp_path / "x.onnx") == 2


def test_python_twin(ckpt, tmp_path):
    import foodcam as fc

    path, data = ckpt
    record = fc.load(path).calibrate(data, tmp_path / "api.pt", score="msp", max_flagged=0.1)
    assert record["score"] == "msp" and set(record["heads"]) == {"fruit", "freshness"}
    assert fc.load(tmp_path / "api.pt").task.head("fruit").calibration.score == "msp"


def test_calibrate_a_foodrec_checkpoint(tmp_path, ckpt, capsys):
    """foodrec: one top-k head over the data's foods, calibrated on the COCO val split (ckpt: registers the arch)."""
    from foodcam.runtime.tasks import FOODREC
    from foodcam.train.foodrec_task import recognition_split

    data = tmp_path / "coco"
    assert foodcam("synth", "foodseg", "--out", data, "--count", 24, "--classes", 6, "--size", "48x48",
                   "--format", "coco") == 0
    _, classes = recognition_split(data, "val")
    task = FOODREC.with_head_classes("food", classes["food"]).with_input_size(32, 32)
    path = tmp_path / "rec.pt"
    save_checkpoint(path, {"task": task.to_dict(), "arch": {"name": ARCH, "kwargs": {}},
                           "state_dict": _TinyEmbed(task).state_dict(), "config": {}, "metrics": {}, "epoch": 0})
    assert foodcam("calibrate", "--weights", path, "--data", data, "--out", tmp_path / "rec.cal.pt") == 0
    record = json.loads((tmp_path / "rec.cal.pt.calibration.json").read_text())
    assert set(record["heads"]) == {"food"} and record["score"] == "mahalanobis"
    with open_model(tmp_path / "rec.cal.pt") as m:
        r = m.predict(np.zeros((40, 40, 3), np.uint8))
    assert "food" in r.unsure and len(r.top("food", 3)) == 3


def test_a_finetune_drops_the_base_calibration(ckpt, tmp_path):
    """A calibration is fitted to the base's weights: a fine-tune starts uncalibrated, says so, and exports the
    plain outputs until it is calibrated again."""
    import argparse

    from foodcam.train.finetune import resolve_defaults

    path, data = ckpt
    out = tmp_path / "cal.pt"
    assert foodcam("calibrate", "--weights", path, "--data", data, "--out", out) == 0
    args = argparse.Namespace(task="freshness", model=None, imgsz=None, epochs=None, lr=None, init=None,
                              from_ckpt=str(out), freeze_encoder=False, replay=None)
    base = resolve_defaults(args)
    assert all(h.calibration is None for h in base["task"].heads) and "unsure_stats" not in base
    assert TaskSpec.from_dict(read_checkpoint(out)["task"]).head("fruit").calibration is not None  # file untouched

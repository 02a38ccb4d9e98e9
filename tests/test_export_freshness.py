"""`foodcam export` of a two-head freshness classifier: parity on real frames, the per-head accuracy gate, report."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

pytest.importorskip("torch")  # the training side: skipped in a torch-free (deployed) install
import torch  # noqa: E402
from torch import nn  # noqa: E402

from foodcam.runtime.backends.onnx_meta import read_metadata  # noqa: E402
from foodcam.runtime.open import open_model  # noqa: E402
from foodcam.runtime.tasks import FRESHNESS, TaskSpec  # noqa: E402
from foodcam.train.checkpoint import save_checkpoint  # noqa: E402
from foodcam.train.data.fruit import FreshnessFolder  # noqa: E402
from foodcam.train.models import MODELS, register_model  # noqa: E402
from tests.conftest import foodcam  # noqa: E402

ARCH = "_test_export_freshness"
HEADS = {"fruit", "freshness"}


class _TinyTwoHeads(nn.Module):
    """A tiny two-head classifier: the gate's mechanics do not need a good one."""

    def __init__(self, task: TaskSpec) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                  nn.Flatten())
        self.heads = nn.ModuleDict({h.name: nn.Linear(8, h.num_classes) for h in task.heads})

    def forward(self, x):
        z = self.body(x)
        return {name: head(z) for name, head in self.heads.items()}


@pytest.fixture(scope="module")
def fruit_data(tmp_path_factory):
    """A few dozen photos at 32x32 in the <Fruit>/<Fresh|Rotten> layout (no split folders)."""
    out = tmp_path_factory.mktemp("fruit") / "fruit"
    assert foodcam("synth", "fruit", "--out", out, "--count", 48, "--seed", 0, "--size", "32x32") == 0
    return out


def _fit(net: _TinyTwoHeads, task: TaskSpec, data) -> None:
    """A few full-batch steps on the train split, so predictions vary between images (not a real training)."""
    train = FreshnessFolder.open(data, "train", progress=False)
    rows = [train.load(i) for i in range(len(train))]
    x = torch.from_numpy(np.stack([cv2.resize(r[0], (32, 32)) for r in rows])).permute(0, 3, 1, 2).flip(1).float()
    x = (x / 255.0 - torch.tensor(task.mean).view(1, 3, 1, 1)) / torch.tensor(task.std).view(1, 3, 1, 1)
    fruits = list(task.head("fruit").classes)
    y = {"fruit": torch.tensor([fruits.index(train.fruits[r[1]]) for r in rows]),
         "freshness": torch.tensor([r[2] for r in rows])}
    opt = torch.optim.Adam(net.parameters(), lr=3e-2)
    for _ in range(40):
        out = net(x)
        loss = sum(nn.functional.cross_entropy(out[h], y[h]) for h in y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    net.eval()


@pytest.fixture(scope="module")
def fresh_ckpt(fruit_data, tmp_path_factory):
    register_model(ARCH, "classification")(lambda task: _TinyTwoHeads(task))
    torch.manual_seed(0)
    torch.set_num_threads(1)
    task = FRESHNESS.with_input_size(32, 32)
    net = _TinyTwoHeads(task)
    _fit(net, task, fruit_data)
    path = tmp_path_factory.mktemp("fresh") / "fresh.pt"
    save_checkpoint(path, {"task": task.to_dict(), "arch": {"name": ARCH, "kwargs": {}},
                           "state_dict": net.state_dict(), "config": {}, "metrics": {}, "epoch": 0})
    yield path
    MODELS.pop(ARCH, None)


def _report(artifact) -> dict:
    return json.loads(artifact.with_name(artifact.name + ".report.json").read_text())


def _accuracy(onnx_path, data) -> dict[str, float]:
    """Top-1 accuracy per head, computed here without the evaluation code under test."""
    val = FreshnessFolder.open(data, "val", progress=False)
    names = {"fruit": list(val.fruits), "freshness": list(val.freshness)}
    hits = dict.fromkeys(names, 0)
    with open_model(onnx_path, backend="cpu") as m:
        for i in range(len(val)):
            frame, *labels = val.load(i)
            res = m.predict(frame)
            for (head, classes), label in zip(names.items(), labels):
                model_classes = list(m.task.head(head).classes)
                hits[head] += int(np.argmax(res.probs[head]) == model_classes.index(classes[label]))
    return {h: n / len(val) for h, n in hits.items()}


def _check_rows(report: dict, precision: str) -> None:
    rows = report["rows"]
    assert {(r["precision"], r["head"]) for r in rows} == {(p, h) for p in ("fp32", precision) for h in HEADS}
    for r in rows:
        if r["precision"] == "fp32":
            assert r["status"] == "reference" and r["drop_points"] == 0.0 and r["agreement"] == 1.0
        else:
            assert r["status"] == ("validated" if r["drop_points"] <= report["gate"]["max_drop_points"] else "failed")
            assert 0.0 <= r["agreement"] <= 1.0 and 0.0 <= r["accuracy"] <= 1.0
    worst = max(r["drop_points"] for r in rows if r["precision"] == precision)
    assert report["drop_points"] == pytest.approx(worst)


def test_fp32_export_is_gated_per_head_on_the_drawn_split(fresh_ckpt, fruit_data, tmp_path, capsys):
    out = tmp_path / "model.onnx"
    assert foodcam("export", "--weights", fresh_ckpt, "--out", out, "--data", fruit_data) == 0
    printed = capsys.readouterr().out
    assert "accuracy gate passed" in printed
    report = _report(out)
    assert report["status"] == "validated" and report["gate"]["ran"] and report["gate"]["split"] == "val"
    rows = report["rows"]
    assert {r["head"] for r in rows} == HEADS and all(r["status"] == "validated" for r in rows)
    expected = _accuracy(out, fruit_data)
    assert report["gate"]["images"] == len(FreshnessFolder.open(fruit_data, "val", progress=False))
    for r in rows:
        assert r["accuracy"] == pytest.approx(expected[r["head"]]) and r["agreement"] == 1.0
    meta = read_metadata(out)["export"]
    assert "val frames of" in meta["parity"]["source"] and meta["parity"]["agreement"] >= 0.99
    assert meta["gate"]["status"] == "validated" and set(meta["gate"]["accuracy"]) == HEADS
    md = out.with_name("model.onnx.report.md").read_text()
    assert "| model.onnx | fp32 | fruit | validated |" in md and "| model.onnx | fp32 | freshness | validated |" in md


@pytest.mark.parametrize("precision", ["fp16", "int8"])
def test_lower_precision_rows_for_both_heads(precision, fresh_ckpt, fruit_data, tmp_path):
    ckpt = tmp_path / "best.pt"
    ckpt.write_bytes(fresh_ckpt.read_bytes())
    extra = ["--calib", fruit_data, "--calib-count", 16] if precision == "int8" else []
    rc = foodcam("export", "--weights", ckpt, "--precision", precision, "--data", fruit_data, *extra)
    artifact = tmp_path / f"model.{precision}.onnx"
    report = _report(artifact)
    _check_rows(report, precision)
    assert rc == (0 if report["status"] == "validated" else 1)  # exit code and report tell the same story
    assert report["gate"]["max_drop_points"] == pytest.approx({"fp16": 0.2, "int8": 1.0}[precision])
    assert read_metadata(artifact)["export"]["gate"]["status"] == report["status"]
    md = artifact.with_name(artifact.name + ".report.md").read_text()
    for head in HEADS:
        assert f"| model.onnx | fp32 | {head} | reference |" in md and f"| {artifact.name} | {precision} | {head} |" in md


def test_negative_max_drop_fails_the_gate_and_keeps_the_artifact(fresh_ckpt, fruit_data, tmp_path, capsys):
    out = tmp_path / "m.onnx"
    assert foodcam("export", "--weights", fresh_ckpt, "--out", out, "--data", fruit_data, "--max-drop", -1) == 1
    assert "accuracy gate failed" in capsys.readouterr().err
    report = _report(out)
    assert out.is_file() and report["status"] == "failed" and "accuracy drop 0.00 points > -1.00" in report["reason"]
    assert {r["head"] for r in report["rows"]} == HEADS and all(r["status"] == "failed" for r in report["rows"])
    assert read_metadata(out)["export"]["gate"]["status"] == "failed"


def test_without_data_parity_uses_rendered_fruit(fresh_ckpt, tmp_path, capsys):
    out = tmp_path / "m.onnx"
    assert foodcam("export", "--weights", fresh_ckpt, "--out", out) == 0
    assert "no accuracy gate ran" in capsys.readouterr().out
    assert "foodcam.scenes.fruit" in read_metadata(out)["export"]["parity"]["source"]
    assert _report(out)["status"] == "exported"


def test_bad_split_is_a_one_line_error(fresh_ckpt, fruit_data, tmp_path, capsys):
    assert foodcam("export", "--weights", fresh_ckpt, "--out", tmp_path / "m.onnx", "--data", fruit_data,
                   "--split", "test") == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("foodcam export: error:")]
    assert len(errors) == 1 and "split 'test'" in errors[0]
    assert not list(tmp_path.iterdir())

"""`foodcam demo --quick`: the whole chain (synth -> train -> eval -> export -> camera loop) on a tiny plan."""

import json

import cv2
import pytest

from foodcam.cli import main

pytest.importorskip("torch")  # the demo trains a model: skipped in a torch-free (deployed) install
pytestmark = pytest.mark.slow  # the whole chain end to end


def test_quick_demo_leaves_every_output(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--quick", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and "summary:" in printed

    summary = json.loads((out / "summary.json").read_text())
    assert summary["frames"] == 30
    assert 0.0 <= summary["accuracy"]["miou"] <= 1.0

    cap = cv2.VideoCapture(str(out / "demo.mp4"))
    n = 0
    while cap.read()[0]:
        n += 1
    assert n == 30

    lines = (out / "events.jsonl").read_text().splitlines()
    assert lines and all(json.loads(line) for line in lines)
    for name in ("train/best.pt", "train/metrics.csv", "train/curves.png", "eval/metrics.json",
                 "eval/confusion.png", "model.onnx", "model.onnx.report.md"):
        assert (out / name).is_file(), name


def test_default_demo_runs_the_shipped_model(tmp_path, capsys):
    from foodcam.demo import DemoPlan, run_demo
    from foodcam.shipped import shipped

    out = tmp_path / "demo"
    assert run_demo(out, DemoPlan(frames=20)) == 0
    printed = capsys.readouterr().out
    assert str(shipped("kitchen")) in printed and "train" not in {p.name for p in out.iterdir()}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["frames"] == 20
    assert summary["accuracy"]["miou"] > 0.5  # a trained model, not chance, on every renderer style

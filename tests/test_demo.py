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
    captured = capsys.readouterr()
    printed = captured.out
    assert str(shipped("kitchen")) in printed and "train" not in {p.name for p in out.iterdir()}
    # quiet: one line per step on the terminal, the step's own output (the run's command, log, summary) in demo.log
    assert "step 1/1 camera loop ... done in" in printed and "INFO" not in printed + captured.err
    assert len(printed.splitlines()) <= 8, printed
    log = (out / "demo.log").read_text()
    assert "$ foodcam run --model" in log and "20 frames in" in log and str(out / "demo.log") in printed
    summary = json.loads((out / "summary.json").read_text())
    assert summary["frames"] == 20
    assert summary["accuracy"]["miou"] > 0.5  # a trained model, not chance, on every renderer style


def test_a_failing_step_shows_the_end_of_its_log(tmp_path, capsys, monkeypatch):
    from foodcam import demo
    from foodcam.runtime.errors import FoodcamError

    out = tmp_path / "demo"
    missing = tmp_path / "no_such_model.onnx"
    monkeypatch.setattr(demo, "steps", lambda out, plan: [("camera loop", ["run", "--model", missing,
                                                                            "--source", "synth://kitchen"])])
    with pytest.raises(FoodcamError, match=r"demo step 1 \(camera loop\) failed with exit code 2"):
        demo.run_demo(out, demo.DemoPlan(frames=5))
    printed = capsys.readouterr().out
    assert "failed (exit code 2)" in printed and str(missing) in printed  # the verb's one-line error, from the log

"""foodcam.benchmarks.frame_cost: the host cost per frame around the model is measured per stage and written out."""

import json

from tiny_onnx import seg_onnx

from foodcam.benchmarks.frame_cost import STAGES, main


def test_frame_cost_reports_every_stage(tmp_path, capsys):
    model = seg_onnx(tmp_path / "seg.onnx")
    assert main(["--model", str(model), "--size", "160x120", "--frames", "5", "--out", str(tmp_path)]) == 0
    res = json.loads((tmp_path / "frame_cost.json").read_text())
    assert res["frame_size"] == [160, 120] and res["frames"] == 5
    assert set(res["stages"]) == set(STAGES)
    assert all(v["median_ms"] >= 0 and v["p90_ms"] >= v["median_ms"] for v in res["stages"].values())
    assert "total" in capsys.readouterr().out
    assert res["spin"] is False  # opened as `foodcam run` opens it


def test_frame_cost_spin_is_recorded(tmp_path, capsys):
    model = seg_onnx(tmp_path / "seg.onnx")
    assert main(["--model", str(model), "--size", "64x48", "--frames", "2", "--spin", "--out", str(tmp_path)]) == 0
    assert json.loads((tmp_path / "frame_cost.json").read_text())["spin"] is True
    assert "workers spin" in capsys.readouterr().out


def test_frame_cost_bad_size_is_one_line(tmp_path, capsys):
    model = seg_onnx(tmp_path / "seg.onnx")
    assert main(["--model", str(model), "--size", "wide"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0

"""A served model's URL (grpc://HOST:PORT/NAME, http://...) goes wherever a model file goes: every verb hands it
to open_model as the string it is, never as a file to stat, suffix-check, hash or write. No server here: a port
nobody listens on gives the client's one-line "not reachable" error, which proves the URL got that far."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from foodcam.benchmarks.plan import plan_rows
from foodcam.cli import main
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.open import is_model_url, model_label, open_model

DOWN = "grpc://127.0.0.1:1/kitchen"  # port 1: connection refused at once


@pytest.mark.parametrize("text, expected", [
    ("grpc://gpu:8001/kitchen", True), ("http://10.0.0.2:8000/fresh/2?shm=1", True), ("GRPC://gpu/kitchen", True),
    ("model.onnx", False), ("runs/k/model.engine", False), ("https://example.com/m.onnx", False),
    ("rtsp://cam/stream", False), (Path("grpc://gpu:8001/kitchen"), False), (None, False),
])
def test_url_detection(text, expected):
    assert is_model_url(text) is expected


def test_reports_name_a_file_by_its_name_and_a_url_by_itself():
    assert model_label("runs/k/model.onnx") == "model.onnx" and model_label(Path("a/b.engine")) == "b.engine"
    assert model_label("grpc://gpu:8001/kitchen") == "grpc://gpu:8001/kitchen"


def test_verify_of_a_url_is_refused_before_any_connection():
    with pytest.raises(FoodcamError, match=r"grpc://127.0.0.1:1/kitchen: --verify compares a model file's sha256"):
        open_model(DOWN, verify=True)


def test_bench_plans_a_url_as_a_triton_row_not_a_missing_file(tmp_path):
    pytest.importorskip("tritonclient")
    onnx = tmp_path / "m.onnx"
    rows = plan_rows([str(onnx), DOWN, DOWN], backends=["cpu"], batches=[1, 2])
    served = [r for r in rows if r["model"] == DOWN]
    assert [r["batch"] for r in served] == [1, 2]  # named twice, planned once per batch size
    for r in served:
        assert (r["format"], r["backend"], r["name"], r["status"], r["reason"]) == ("triton", "triton", DOWN, None, None)
    assert {r["status"] for r in rows if r["model"] == str(onnx)} == {"failed"}  # the file is still checked
    verified = plan_rows([str(onnx), DOWN], backends=["cpu"], verify=True)
    served = [r for r in verified if r["model"] == DOWN]
    assert [r["status"] for r in served] == ["skipped"]  # no file to hash: never shown as if verified
    assert "--verify" in served[0]["reason"] and "no local file" in served[0]["reason"]


def _line(tmp_path: Path) -> str:
    p = tmp_path / "line.yaml"
    p.write_text(json.dumps({"name": "l", "lane": {"rect": [0, 24, 480, 176]}, "camera_line": 240,
                             "ejector": {"travel_time_s": 2.5}, "actuator": {"type": "dryrun", "pulse_ms": 40}}))
    return str(p)


@pytest.mark.parametrize("verb", ["eval", "predict", "sort", "run", "app"])
def test_every_verb_takes_the_url_to_the_client(verb, tmp_path, capsys):
    pytest.importorskip("tritonclient.grpc")
    (tmp_path / "img").mkdir()
    import numpy as np

    from foodcam.runtime.imageio import write_image

    write_image(tmp_path / "img" / "a.png", np.zeros((32, 40, 3), np.uint8))
    argv = {
        "eval": ["eval", "--weights", DOWN, "--data", str(tmp_path), "--out", str(tmp_path / "o")],
        "predict": ["predict", "--weights", DOWN, "--source", str(tmp_path / "img"), "--out", str(tmp_path / "o")],
        "sort": ["sort", "--model", DOWN, "--source", "synth://conveyor", "--line", _line(tmp_path),
                 "--max-frames", "2"],
        "run": ["run", "--model", DOWN, "--source", "synth://kitchen", "--max-frames", "2"],
        "app": ["app", "--model", DOWN, "--port", "1"],
    }[verb]
    if verb == "app":
        pytest.importorskip("gradio")
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"foodcam {verb}: error: {DOWN}: Triton server not reachable"), err
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())  # nothing half-written


def test_python_api_keeps_the_url():
    """foodcam.load(URL) hands the URL to the Triton client unchanged (a Path would fold grpc:// into grpc:/)."""
    import foodcam
    from foodcam.runtime.errors import FoodcamError

    url = "grpc://127.0.0.1:1/kitchen"
    with pytest.raises(FoodcamError, match=r"grpc://127\.0\.0\.1:1/kitchen: Triton server not reachable"):
        foodcam.load(url)

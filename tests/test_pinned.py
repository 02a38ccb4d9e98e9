"""`--model-sha256`: each verb's core checks the pinned hash once, before it opens the model file (foodcam/pinned.py);
the command line adds no second hashing of a file that may be hundreds of megabytes."""

from __future__ import annotations

import pytest
from tiny_onnx import seg_onnx

import foodcam.pinned as pinned
from foodcam.cli import main


@pytest.fixture
def counted(monkeypatch):
    calls: list[str] = []
    real = pinned.file_sha256

    def hasher(path):
        calls.append(str(path))
        return real(path)

    monkeypatch.setattr(pinned, "file_sha256", hasher)
    return calls


def test_the_cli_hashes_a_pinned_model_once(tmp_path, counted, capsys):
    model = seg_onnx(tmp_path / "m.onnx")
    want = pinned.file_sha256(model)
    counted.clear()
    rc = main(["run", "--model", str(model), "--source", "synth://kitchen?fps=0&size=64x48", "--max-frames", "1",
               "--model-sha256", want, "--no-analytics"])
    assert rc == 0, capsys.readouterr().err
    assert counted == [str(model)]


def test_a_wrong_pin_is_refused_after_one_hash(tmp_path, counted, capsys):
    model = seg_onnx(tmp_path / "m.onnx")
    rc = main(["predict", "--weights", str(model), "--source", str(tmp_path / "x.jpg"), "--out", str(tmp_path / "p"),
               "--model-sha256", "0" * 64])
    assert rc == 2 and "not the pinned " + "0" * 64 in capsys.readouterr().err
    assert counted == [str(model)]


def test_app_takes_the_pin_from_its_config():
    from foodcam.app.cli import AppConfig

    cfg = AppConfig.make("app", model=["m.onnx"], model_sha256="AB" * 32)
    assert cfg.model_sha256 == "ab" * 32
    with pytest.raises(pinned.FoodcamError, match="m.onnx: no such model file"):
        pinned.check(cfg)

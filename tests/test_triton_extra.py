"""Without the `triton` extra, a Triton URL or --triton-repo says what to install, in one line."""

from __future__ import annotations

import sys

import pytest
from tiny_onnx import seg_onnx

from foodcam.cli import main


@pytest.fixture
def no_tritonclient(monkeypatch):
    for name in [m for m in sys.modules if m == "tritonclient" or m.startswith("tritonclient.")]:
        monkeypatch.delitem(sys.modules, name)
    for name in ("tritonclient", "tritonclient.grpc", "tritonclient.http"):
        monkeypatch.setitem(sys.modules, name, None)  # import -> ImportError, as when not installed


def test_missing_extra_is_one_line(no_tritonclient, tmp_path, capsys):
    assert main(["run", "--model", "grpc://127.0.0.1:1/kitchen", "--source", "synth://kitchen"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install 'foodcam[triton]'" in err[0]
    onnx_path = seg_onnx(tmp_path / "m.onnx")
    assert main(["export", "--onnx", str(onnx_path), "--triton-repo", str(tmp_path / "repo")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install 'foodcam[triton]'" in err[0]
    assert not (tmp_path / "repo").exists()

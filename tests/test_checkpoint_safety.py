"""A .pt crafted to run code when unpickled is refused by every entry point that reads checkpoints, and runs nothing."""

from __future__ import annotations

import os

import pytest

torch = pytest.importorskip("torch")

from foodcam.cli import main  # noqa: E402
from foodcam.runtime.errors import FoodcamError  # noqa: E402
from tests.ports import free_port  # noqa: E402


class _Payload:
    """What a hostile checkpoint carries: unpickling it calls os.system."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def hostile(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "hostile.pt"
    # shaped like a foodcam checkpoint, so only the payload can be what refuses it
    torch.save({"format": "foodcam-checkpoint", "version": 1, "task": {}, "arch": {"name": "thinseg"},
                "state_dict": {}, "config": _Payload(str(marker))}, path)
    return path, marker


def _one_line_refusal(capsys, path) -> str:
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    assert str(path) in err and "refused" in err and "system" in err
    return err


@pytest.mark.parametrize("argv", [
    ["predict", "--weights", "{pt}", "--source", "{img}"],
    ["eval", "--weights", "{pt}", "--data", "{data}"],
    ["export", "--weights", "{pt}"],
    ["train", "kitchen", "--from", "{pt}", "--data", "{data}", "--out", "{out}"],
], ids=["predict", "eval", "export", "train-from"])
def test_every_verb_refuses_a_code_running_checkpoint(hostile, tmp_path, capsys, argv):
    pt, marker = hostile
    (tmp_path / "data").mkdir()
    img = tmp_path / "x.jpg"
    img.write_bytes(b"")
    fill = {"pt": str(pt), "img": str(img), "data": str(tmp_path / "data"), "out": str(tmp_path / "out")}
    code = main([a.format(**fill) for a in argv])
    assert code != 0
    assert not marker.exists(), "the checkpoint's payload ran"
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    assert str(pt) in err and "refused" in err


def test_python_api_refuses_it(hostile):
    import foodcam

    pt, marker = hostile
    with pytest.raises(FoodcamError, match="refused.*system.*nothing in it was run"):
        foodcam.load(pt)
    assert not marker.exists()


def test_app_refuses_it(hostile, capsys):
    pytest.importorskip("gradio")
    pt, marker = hostile
    assert main(["app", "--model", str(pt), "--port", str(free_port())]) != 0
    assert not marker.exists()
    _one_line_refusal(capsys, pt)


def test_shipped_checkpoints_still_load():
    import foodcam
    from foodcam.shipped import TASKS

    for task in TASKS:
        model = foodcam.load(foodcam.shipped(task, "pt"))
        assert model.task.name == task


def test_numpy_values_in_a_checkpoint_are_saved_as_plain_numbers(tmp_path):
    import numpy as np

    from foodcam.train.checkpoint import read_checkpoint, save_checkpoint

    path = tmp_path / "c.pt"
    save_checkpoint(path, {"metrics": {"miou": np.float32(0.5), "iou": np.array([0.1, 0.2])},
                           "history": [{"epoch": np.int64(1)}], "state_dict": {"w": torch.ones(2)}})
    ckpt = read_checkpoint(path)  # weights_only: would refuse numpy objects
    assert ckpt["metrics"]["miou"] == 0.5 and ckpt["history"][0]["epoch"] == 1
    assert torch.equal(ckpt["state_dict"]["w"], torch.ones(2))

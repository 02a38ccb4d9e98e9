"""`foodcam adapt` end to end on a tiny "new kitchen": a CVAT export of frames in the held-out closeup style ->
import -> fine-tune from a tiny base model -> before/after gate -> export (refused when worse unless forced)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from foodcam.train.checkpoint import read_checkpoint
from tests.conftest import foodcam

LABELMAP = "# label:color_rgb:parts:actions\nstirrer:255,0,0::\npan:0,255,0::\nfood:0,0,255::\n"
TINY = ("--epochs", 1, "--replay", 4, "--device", "cpu")


@pytest.fixture(scope="module")
def base_ckpt(tmp_path_factory) -> Path:
    """A tiny kitchen model trained one epoch on the default (home) style."""
    root = tmp_path_factory.mktemp("adapt_base")
    assert foodcam("synth", "kitchen", "--out", root / "data", "--count", 24, "--size", "64x48", "--seed", 0) == 0
    assert foodcam("train", "kitchen", "--data", root / "data", "--model", "thinseg", "--width", 0.25, "--imgsz", 32,
                   "--epochs", 1, "--out", root / "run", "--device", "cpu") == 0
    return root / "run" / "best.pt"


@pytest.fixture(scope="module")
def cvat_export(tmp_path_factory) -> Path:
    """20 labelled frames of a kitchen style the base never saw (closeup), as a CVAT segmentation export."""
    root = tmp_path_factory.mktemp("adapt_new")
    new = root / "new"
    assert foodcam("synth", "kitchen", "--out", new, "--count", 20, "--size", "64x48", "--seed", 5,
                   "--styles", "closeup") == 0
    export = root / "cvat"
    for sub in ("JPEGImages", "SegmentationClass", "ImageSets/Segmentation"):
        (export / sub).mkdir(parents=True)
    (export / "labelmap.txt").write_text(LABELMAP)
    names = []
    for image in sorted(new.glob("*/images/*")):
        shutil.copy(image, export / "JPEGImages" / image.name)
        shutil.copy(image.parent.parent / "masks" / f"{image.stem}.png", export / "SegmentationClass")
        names.append(image.stem)
    (export / "ImageSets" / "Segmentation" / "default.txt").write_text("\n".join(names) + "\n")
    return export


def test_adapt_imports_finetunes_gates_and_exports(base_ckpt, cvat_export, tmp_path, capsys):
    out = tmp_path / "adapt"
    rc = foodcam("adapt", "--from", base_ckpt, "--labels", cvat_export, "--labels-format", "cvat", "--out", out, *TINY)
    printed = capsys.readouterr().out
    steps = [line for line in printed.splitlines() if line.startswith("adapt ")]
    assert [s.split(":")[0] for s in steps] == ["adapt 1/4 labels", "adapt 2/4 finetune", "adapt 3/4 gate",
                                                "adapt 4/4 export"]
    assert f"imported 20 frames from {cvat_export} (cvat) -> {out / 'data'}" in steps[0]
    assert str(out / "train" / "best.pt") in steps[1] and "held-back frames" in steps[2]
    assert "mIoU" in printed and "before   after" in printed  # the table
    assert "epoch 1/1" not in printed and "epoch 1/1" in (out / "adapt.log").read_text()  # the verbs' own output
    record = json.loads((out / "adapt.json").read_text())
    gate = read_checkpoint(out / "train" / "best.pt")["finetune_gate"]
    assert record["gate"] == gate and record["base"] == str(base_ckpt)
    # the fine-tune is exported exactly when it is no worse than its base on the held-back frames
    if gate["better"]:
        assert rc == 0 and record["status"] == "exported" and (out / "model.onnx").is_file()
        assert f"{out / 'model.onnx'} (fp32, validated" in steps[3]
    else:
        assert rc == 1 and record["status"] == "refused" and not (out / "model.onnx").exists()
        assert "refused" in steps[3]


def test_python_twin_refuses_a_worse_finetune_unless_forced(base_ckpt, cvat_export, tmp_path, monkeypatch, capsys):
    import foodcam as api
    from foodcam.train import finetune_gate

    data = tmp_path / "data"
    assert foodcam("data", "import", "cvat", cvat_export, "--out", data) == 0
    monkeypatch.setattr(finetune_gate, "better", lambda before, after, metric: False)  # as if it got worse
    kw = dict(from_ckpt=base_ckpt, data=data, epochs=1, replay=0, device="cpu")
    worse = api.adapt(out=tmp_path / "a", **kw)
    assert worse.status == "refused" and worse.rc == 1 and worse.onnx is None
    assert not (tmp_path / "a" / "model.onnx").exists()
    line = [s for s in capsys.readouterr().out.splitlines() if s.startswith("adapt 4/4")][0]
    m = worse.gate["metric"]
    assert f"{worse.gate['after'][m]:.4f}" in line and f"{worse.gate['before'][m]:.4f}" in line and "--force" in line
    forced = api.adapt(out=tmp_path / "b", force=True, **kw)
    assert forced.status == "exported" and forced.rc == 0 and forced.onnx.is_file()
    assert "forced past the gate" in forced["steps"][-1]["line"]


@pytest.mark.parametrize("kw, message", [
    (dict(), "give data= (labelled frames"),
    (dict(labels="x.zip"), "labels= needs labels_format="),
    (dict(data="d", epochs=0), "epochs: "),
    (dict(data="d", colour="red"), "unexpected keyword colour="),
])
def test_bad_config_is_one_line(kw, message):
    import foodcam as api
    from foodcam.runtime.errors import FoodcamError

    with pytest.raises(FoodcamError, match=message.replace("(", r"\(")):
        api.adapt(**kw)


def test_cli_bad_input_is_one_line(tmp_path, capsys):
    assert foodcam("adapt", "--labels", tmp_path / "x.zip", "--out", tmp_path / "o") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "labels_format" in err[0]

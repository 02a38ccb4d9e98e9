"""Only better models go live: a fine-tune holds back part of the user's frames, scores its base and itself on
them, records the before/after in the checkpoint, and export refuses one that got worse unless --force."""

from __future__ import annotations

import pytest
import torch

from foodcam.train.checkpoint import read_checkpoint, save_checkpoint
from foodcam.train.finetune_gate import HOLDOUT_MIN, format_table, refusal
from tests.conftest import foodcam


def _finetune(ckpt, data, out, *extra) -> int:
    return foodcam("train", "kitchen", "--from", ckpt, "--data", data, "--epochs", 1, "--replay", 8, "--out", out,
                   "--device", "cpu", "--seed", 3, *extra)


@pytest.fixture(scope="module")
def gated_run(kitchen_ckpt, kitchen_data, tmp_path_factory):
    run = tmp_path_factory.mktemp("gate") / "ft"
    assert _finetune(kitchen_ckpt, kitchen_data, run) == 0
    return run


def test_finetune_holds_back_frames_and_records_the_before_after(gated_run, kitchen_ckpt, kitchen_data):
    # read_checkpoint loads with weights_only=True: the record is plain types
    ckpt = torch.load(gated_run / "best.pt", map_location="cpu", weights_only=True)
    gate = ckpt["finetune_gate"]
    own = sorted(p.stem for p in (kitchen_data / "train" / "images").iterdir())
    h = gate["holdout"]
    assert h["frames"] == len(h["stems"]) == max(HOLDOUT_MIN, round(0.2 * len(own)))
    assert set(h["stems"]) <= set(own) and "seed 3" in h["from"]
    assert gate["metric"] == "miou" and gate["base"]["checkpoint"] == str(kitchen_ckpt)
    for side in ("before", "after"):
        assert set(gate[side]["iou"]) == {"stirrer", "pan", "food"}
        assert 0 < gate[side]["miou"] <= 1
    assert gate["better"] == (gate["after"]["miou"] >= gate["before"]["miou"])
    # the base scored on the held-back frames is the checkpoint it started from: the same frames, the same number
    again = read_checkpoint(gated_run / "best.pt")["finetune_gate"]
    assert again["before"] == gate["before"]


@pytest.mark.parametrize("holdout", [None, "0"])
def test_held_back_frames_are_not_trained_on(kitchen_data, holdout):
    import argparse

    from foodcam.runtime.tasks import KITCHEN
    from foodcam.train.engine import make_train_task

    args = argparse.Namespace(task="kitchen", data=str(kitchen_data), from_ckpt="base.pt", holdout=holdout, seed=3,
                              replay=0, cache="off", max_dist=100.0, repaint=None)
    task = make_train_task(KITCHEN.with_input_size(64, 64), args)
    train, _ = task.datasets(args, seed=3)
    own = {p.stem for p in (kitchen_data / "train" / "images").iterdir()}
    if holdout == "0":  # no check asked for: every frame trains
        assert task.holdout is None and set(train.folder.stems) == own
        return
    held = set(task.holdout.stems)
    assert len(held) == max(HOLDOUT_MIN, round(0.2 * len(own)))
    assert not held & set(train.folder.stems) and held | set(train.folder.stems) == own


def test_table_is_printed_and_a_folder_can_be_the_holdout(kitchen_ckpt, kitchen_data, tmp_path, capsys):
    run = tmp_path / "ft"
    assert _finetune(kitchen_ckpt, kitchen_data, run, "--holdout", kitchen_data / "test") == 0
    out = capsys.readouterr().out
    assert "before/after on" in out and "mIoU" in out and "stirrer" in out
    gate = read_checkpoint(run / "best.pt")["finetune_gate"]
    test_stems = sorted(p.stem for p in (kitchen_data / "test" / "images").iterdir())
    assert gate["holdout"]["from"] == str(kitchen_data / "test") and sorted(gate["holdout"]["stems"]) == test_stems


def _worse(src, dst):
    ckpt = read_checkpoint(src)
    gate = ckpt["finetune_gate"]
    gate["before"]["miou"], gate["after"]["miou"], gate["better"] = 0.7, 0.6, False
    save_checkpoint(dst, {k: v for k, v in ckpt.items() if k not in ("format", "version")})


def test_export_refuses_a_worse_finetune_unless_forced(gated_run, tmp_path, capsys):
    bad = tmp_path / "worse.pt"
    _worse(gated_run / "best.pt", bad)
    assert foodcam("export", "--weights", bad) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "0.6000" in err[0] and "0.7000" in err[0] and "--force" in err[0]
    assert not (tmp_path / "model.onnx").exists()
    import foodcam as api
    from foodcam.runtime.errors import FoodcamError

    with pytest.raises(FoodcamError, match="0.6000"):  # the Python twin raises the same line
        api.load(bad).export()
    assert foodcam("export", "--weights", bad, "--force") == 0
    assert (tmp_path / "model.onnx").is_file()
    good = read_checkpoint(gated_run / "best.pt")
    if good["finetune_gate"]["better"]:
        assert refusal(good, "best.pt") is None


def test_table_says_worse(gated_run):
    gate = dict(read_checkpoint(gated_run / "best.pt")["finetune_gate"])
    gate.update(before={**gate["before"], "miou": 0.9}, after={**gate["after"], "miou": 0.8}, better=False)
    text = format_table(gate)
    assert "0.9000 -> 0.8000" in text and "WORSE" in text and "-0.1000" in text


@pytest.mark.parametrize("argv, message", [
    (("--holdout", "0.5"), "--holdout needs --from"),
    (("--holdout", "nowhere/"), "no such folder"),
    (("--holdout", "1.5"), "expected a share"),
])
def test_bad_holdout_is_one_line(kitchen_data, tmp_path, capsys, argv, message):
    extra = ("--from", tmp_path / "x.pt") if message != "--holdout needs --from" else ()
    assert foodcam("train", "kitchen", "--data", kitchen_data, "--out", tmp_path / "r", *extra, *argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_too_few_frames_to_hold_back(kitchen_ckpt, kitchen_data, tmp_path, capsys):
    import shutil

    small = tmp_path / "small"
    for split, n in (("train", 2), ("val", 2)):
        for kind in ("images", "masks"):
            (small / split / kind).mkdir(parents=True)
            for p in sorted((kitchen_data / split / kind).iterdir())[:n]:
                shutil.copy(p, small / split / kind / p.name)
    assert _finetune(kitchen_ckpt, small, tmp_path / "r") == 2
    assert "cannot spare 2" in capsys.readouterr().err


def test_freshness_finetune_reports_per_head_accuracy(tmp_path, capsys):
    data = tmp_path / "fruit"
    assert foodcam("synth", "fruit", "--out", data, "--count", 60, "--seed", 0, "--size", "32x32") == 0
    base = tmp_path / "base"
    common = ("--model", "mobilenetv3", "--imgsz", 32, "--batch", 16, "--device", "cpu", "--epochs", 1)
    assert foodcam("train", "freshness", "--data", data, "--out", base, *common) == 0
    ft = tmp_path / "ft"
    assert foodcam("train", "freshness", "--data", data, "--from", base / "best.pt", "--out", ft, *common) == 0
    gate = read_checkpoint(ft / "best.pt")["finetune_gate"]
    assert gate["metric"] == "mean_acc" and set(gate["after"]["acc"]) == {"fruit", "freshness"}
    assert "freshness" in capsys.readouterr().out.split("before/after", 1)[1]

"""`foodcam train kitchen --from CKPT`: weights, task and architecture carried over; short schedule; frozen encoder."""

from __future__ import annotations

import argparse

import pytest
import torch

from foodcam.runtime.errors import FoodcamError
from foodcam.train.checkpoint import read_checkpoint
from foodcam.train.finetune import (
    FINETUNE_EPOCHS,
    FINETUNE_LR_FACTOR,
    FINETUNE_REPLAY,
    SCRATCH_DEFAULTS,
    resolve_defaults,
)
from tests.conftest import foodcam


def _args(**kw) -> argparse.Namespace:
    base = dict(task="kitchen", model=None, imgsz=None, epochs=None, lr=None, init=None, from_ckpt=None,
                freeze_encoder=False, replay=None)
    return argparse.Namespace(**{**base, **kw})


def test_defaults_from_scratch_and_from_a_checkpoint(kitchen_ckpt):
    a = _args()
    assert resolve_defaults(a) is None
    assert (a.imgsz, a.epochs, a.lr) == tuple(SCRATCH_DEFAULTS[k] for k in ("imgsz", "epochs", "lr"))
    assert a.model is None  # the engine's default model
    assert a.replay == 0  # nothing to keep when training from scratch
    saved = read_checkpoint(kitchen_ckpt)
    b = _args(from_ckpt=str(kitchen_ckpt))
    ckpt = resolve_defaults(b)
    assert ckpt["task"].name == "kitchen"
    assert b.model == saved["arch"]["name"] == "unet" and b.imgsz == 64
    assert b.epochs == FINETUNE_EPOCHS["kitchen"]
    assert b.lr == pytest.approx(saved["config"]["lr"] * FINETUNE_LR_FACTOR["kitchen"])
    assert b.replay == FINETUNE_REPLAY["kitchen"] > 0
    c = _args(from_ckpt=str(kitchen_ckpt), epochs=30, lr=1e-2, imgsz=96, replay=0)  # explicit options win
    resolve_defaults(c)
    assert (c.epochs, c.lr, c.imgsz, c.replay) == (30, 1e-2, 96, 0)
    with pytest.raises(FoodcamError, match="--replay: only kitchen"):
        resolve_defaults(_args(task="freshness", replay=5))
    with pytest.raises(FoodcamError, match="--cache: only kitchen"):
        resolve_defaults(_args(task="foodseg", cache="ram"))


def test_replayed_frames_are_rendered_once_and_mixed_after_the_users(kitchen_data):
    import numpy as np

    from foodcam.runtime.tasks import KITCHEN
    from foodcam.train.data.kitchen import KitchenFolder
    from foodcam.train.datasets import Mixed, RenderedFrames, SegmentationDataset

    frames = RenderedFrames(10, (96, 72), seed=3)
    again = RenderedFrames(10, (96, 72), seed=3)
    assert len(frames) == 10 and frames.load(0)[0].shape == (72, 96, 3) and frames.load(0)[1].shape == (72, 96)
    assert all(np.array_equal(frames.load(i)[1], again.load(i)[1]) for i in range(10))
    assert set(np.unique(np.concatenate([frames.load(i)[1].ravel() for i in range(10)]))) <= {0, 1, 2}
    folder = KitchenFolder(kitchen_data, "train")
    own = SegmentationDataset(folder, (64, 64), KITCHEN.mean, KITCHEN.std)
    few = SegmentationDataset(RenderedFrames(3 * len(folder), (96, 72)), (64, 64), KITCHEN.mean, KITCHEN.std)
    mixed = Mixed(own, few)
    assert mixed.times == 3 and len(mixed) == 6 * len(folder) and mixed.folder is folder
    x, y = mixed[len(mixed) - 1]
    assert x.shape == (3, 64, 64) and torch.equal(y, few[len(few) - 1][1])
    assert torch.equal(mixed[len(folder)][1], own[0][1])  # the user's frames come round again


@pytest.mark.parametrize("kw, message", [
    (dict(model="lraspp"), "is a 'unet' model"),
    (dict(init="backbone.pt"), "use one"),
])
def test_conflicting_options_are_refused(kitchen_ckpt, kw, message):
    with pytest.raises(FoodcamError, match=message):
        resolve_defaults(_args(from_ckpt=str(kitchen_ckpt), **kw))


def test_cli_errors(kitchen_data, tmp_path, capsys):
    assert foodcam("train", "kitchen", "--data", kitchen_data, "--out", tmp_path / "r", "--freeze-encoder") == 2
    assert "--freeze-encoder needs --from" in capsys.readouterr().err
    assert foodcam("train", "kitchen", "--data", kitchen_data, "--out", tmp_path / "r", "--from", tmp_path / "no.pt") == 2
    assert "no such checkpoint" in capsys.readouterr().err


def _tensors(state: dict, prefix: str, kind: str) -> dict[str, torch.Tensor]:
    return {k: v for k, v in state.items() if k.startswith(prefix) and k.endswith(kind)}


def test_finetune_carries_weights_task_and_arch(kitchen_ckpt, kitchen_data, tmp_path, capsys):
    run = tmp_path / "ft"
    assert foodcam("train", "kitchen", "--from", kitchen_ckpt, "--data", kitchen_data, "--epochs", 1, "--lr", 1e-9,
                   "--out", run, "--device", "cpu", "--seed", 1) == 0
    # 30 own frames (8 of the 38 held back for the before/after gate) three times + 64 replayed synthetic frames
    assert "154 train / 12 val images" in capsys.readouterr().out
    base, ft = read_checkpoint(kitchen_ckpt), read_checkpoint(run / "best.pt")
    assert ft["arch"] == base["arch"] and ft["task"] == base["task"]
    assert ft["config"]["from_ckpt"] == str(kitchen_ckpt) and ft["config"]["imgsz"] == 64
    weights = [k for k, v in base["state_dict"].items() if k.endswith(".weight") and v.ndim == 4]
    assert weights
    for k in weights:  # an lr of 1e-9 leaves the convolutions where the checkpoint had them
        torch.testing.assert_close(ft["state_dict"][k], base["state_dict"][k], atol=1e-6, rtol=0)
    # ... and it starts where the checkpoint was: far above chance on the first epoch
    assert ft["metrics"]["miou"] > 0.5 * base["metrics"]["miou"]


def test_freeze_encoder_keeps_the_backbone_and_trains_the_rest(kitchen_ckpt, kitchen_data, tmp_path):
    run = tmp_path / "frozen"
    assert foodcam("train", "kitchen", "--from", kitchen_ckpt, "--data", kitchen_data, "--epochs", 1,
                   "--freeze-encoder", "--out", run, "--device", "cpu") == 0
    base, ft = read_checkpoint(kitchen_ckpt)["state_dict"], read_checkpoint(run / "last.pt")["state_dict"]
    enc = {k for k in base if k.startswith("encoder.")}
    assert enc and any(k.endswith("running_mean") for k in enc)
    for k in enc:  # weights and BatchNorm statistics alike
        torch.testing.assert_close(ft[k], base[k], atol=0, rtol=0)
    changed = [k for k in base if k not in enc and base[k].is_floating_point() and not torch.equal(ft[k], base[k])]
    assert changed, "the decoder did not train"

"""Copy-paste of the user's labelled tools in a kitchen fine-tune (train/copy_paste.py)."""

from __future__ import annotations

import numpy as np

from foodcam.train.copy_paste import MIN_AREA, CopyPaste, ObjectBank, paste
from tests.conftest import foodcam

STIRRER, PAN, FOOD = 0, 1, 2


def _frame(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A 64x64 frame: pan everywhere, food in a disc, two stirrer bars (one too small to cut out)."""
    rng = np.random.default_rng(seed)
    rgb = rng.integers(0, 60, (64, 64, 3), dtype=np.uint8)
    mask = np.full((64, 64), PAN, np.uint8)
    yy, xx = np.mgrid[:64, :64]
    mask[(yy - 40) ** 2 + (xx - 40) ** 2 < 15 ** 2] = FOOD
    mask[5:9, 4:40] = STIRRER  # 144 px
    mask[60:62, 60:62] = STIRRER  # 4 px: a tip peeking out, below MIN_AREA
    rgb[mask == STIRRER] = (250, 20, 200)
    return rgb, mask


def test_the_bank_cuts_each_instance_large_enough():
    bank = ObjectBank.from_frames([_frame(0), _frame(1)], (STIRRER,))
    assert len(bank) == 2  # one bar per frame; the 4-pixel piece is left
    inst = bank.instances[0]
    assert inst.label == STIRRER and inst.alpha.sum() == 144 >= MIN_AREA
    assert inst.rgb.shape[:2] == inst.alpha.shape == (4, 36)
    assert (inst.rgb[inst.alpha] == (250, 20, 200)).all()
    assert len(ObjectBank.from_frames([_frame(0)], (STIRRER,), min_area=2)) == 2


def test_pasted_pixels_take_the_instance_and_its_label():
    bank = ObjectBank.from_frames([_frame(0)], (STIRRER,))
    rgb, mask = _frame(1)
    rgb[:] = 0
    mask[5:9, 4:40] = PAN  # a frame with no stirrer of its own
    mask[60:62, 60:62] = PAN
    rng = np.random.default_rng(3)
    for _ in range(10):
        out, lab = paste(rng, bank, rgb, mask, FOOD, 1)
        pasted = lab == STIRRER
        assert pasted.sum() > 40  # scaled 0.7..1.3 and turned: most of the 144 px, maybe partly out of frame
        assert out[pasted].mean(axis=0)[0] > 100  # the bar's own colour, brightness jittered
        assert (lab[~pasted] == mask[~pasted]).all()  # nothing else relabelled
        assert (out[lab == mask].max() < 255)
    assert (mask != STIRRER).all() and rgb.max() == 0  # the inputs are untouched


def test_the_transform_passes_frames_through_without_a_bank_or_at_p0():
    calls = []

    def inner(image, mask):
        calls.append((image, mask))
        return {"image": image, "mask": mask}

    rgb, mask = _frame(0)
    empty = CopyPaste(inner, ObjectBank([]), p=1.0, anchor_class=FOOD, seed=0)
    off = CopyPaste(inner, ObjectBank.from_frames([_frame(1)], (STIRRER,)), p=0.0, anchor_class=FOOD, seed=0)
    for t in (empty, off):
        out = t(image=rgb, mask=mask)
        assert out["image"] is rgb and out["mask"] is mask
    on = CopyPaste(inner, ObjectBank.from_frames([_frame(1)], (STIRRER,)), p=1.0, anchor_class=FOOD, seed=0)
    assert (on(image=rgb, mask=mask)["mask"] == STIRRER).sum() > (mask == STIRRER).sum()
    on.set_random_seed(5)  # a DataLoader worker's own stream
    a = on(image=rgb, mask=mask)["mask"]
    on.set_random_seed(5)
    assert np.array_equal(a, on(image=rgb, mask=mask)["mask"])


def test_a_finetune_cuts_tools_from_its_training_frames_only(kitchen_ckpt, kitchen_data, tmp_path, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="foodcam.train")
    assert foodcam("train", "kitchen", "--from", kitchen_ckpt, "--data", kitchen_data, "--epochs", 1,
                   "--out", tmp_path / "ft", "--device", "cpu", "--replay", 0, "--copy-paste", 0.5) == 0
    # 38 train frames, 8 held back for the before/after gate: the bank is cut from the other 30
    assert any("tools cut from 30 training frames" in r.getMessage() for r in caplog.records)
    caplog.clear()
    assert foodcam("train", "kitchen", "--from", kitchen_ckpt, "--data", kitchen_data, "--epochs", 1,
                   "--out", tmp_path / "ft0", "--device", "cpu", "--replay", 0, "--copy-paste", 0) == 0
    assert not any("--copy-paste" in r.getMessage() for r in caplog.records)

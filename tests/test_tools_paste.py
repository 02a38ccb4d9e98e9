"""Procedural tools (scenes/tools.py) and their pasting into training frames (train/augment.WithTools)."""

from __future__ import annotations

import numpy as np
import pytest

from foodcam.scenes.tools import HEADS, Classes, paste_tools, random_tool


def _frame(h=120, w=160):
    rng = np.random.default_rng(3)
    bgr = rng.integers(60, 200, (h, w, 3), dtype=np.uint8)
    mask = np.full((h, w), 1, np.uint8)  # pan everywhere ...
    mask[30:90, 40:120] = 2  # ... and a heap of food
    return bgr, mask


def test_random_tools_vary_and_have_a_body():
    shapes, covered = set(), []
    for seed in range(60):
        bgr, alpha = random_tool(np.random.default_rng(seed), 200, 1.0)
        assert bgr.shape[:2] == alpha.shape and bgr.dtype == alpha.dtype == np.uint8
        assert alpha.shape[1] == 200
        covered.append((alpha >= 128).mean())
        shapes.add(alpha.shape[0])
    assert min(covered) > 0.01  # every tool is something
    assert len(shapes) > 12  # widths differ: not a catalogue of a few sprites
    assert len(HEADS) >= 10


def test_paste_is_deterministic_and_labels_only_what_it_drew():
    bgr, mask = _frame()
    a = paste_tools(np.random.default_rng(7), bgr, mask)
    b = paste_tools(np.random.default_rng(7), bgr, mask)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    hits = 0
    for seed in range(40):
        out, lab = paste_tools(np.random.default_rng(seed), bgr, mask)
        assert out.shape == bgr.shape and lab.shape == mask.shape
        assert not np.any((lab == 2) & (mask != 2)), "food appeared where there was none"
        new = lab == Classes().stirrer
        if new.any():
            hits += 1
            # a stirrer pixel is a drawn pixel: the frame changed there
            assert np.abs(out[new].astype(int) - bgr[new].astype(int)).sum(axis=1).mean() > 5
        unchanged = (lab == mask) & np.all(out == bgr, axis=2)
        assert unchanged.mean() > 0.3  # the rest of the scene stays as it was
    assert hits >= 34  # a tool lands in the frame nearly always


def test_buried_and_held_parts_keep_the_contract():
    """Pixels a heap of food covers stay food; a hand holding a tool is background (pan), never stirrer."""
    bgr, mask = _frame()
    buried = held = 0
    for seed in range(80):
        out, lab = paste_tools(np.random.default_rng(seed), bgr, mask, count=1)
        back_to_pan = (mask == 2) & (lab == 1)  # only a hand turns food into background
        held += int(back_to_pan.any())
        buried += int(((mask == 2) & (lab == 2) & np.any(out != bgr, axis=2)).any())
    assert held >= 2 and buried >= 5


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_with_tools_wraps_the_albumentations_pipeline(p):
    pytest.importorskip("albumentations")
    from foodcam.train.augment import WithTools, seg_train_transform

    bgr, mask = _frame(64, 64)
    rgb = np.ascontiguousarray(bgr[:, :, ::-1])
    inner = seg_train_transform((64, 64), seed=0, p=0.0)  # identity: only the paste acts
    t = WithTools(inner, p, seed=1)
    out = t(image=rgb.copy(), mask=mask.copy())
    changed = not np.array_equal(out["mask"], mask)
    assert changed == (p == 1.0)
    t.set_random_seed(5)  # what each DataLoader worker calls
    assert t(image=rgb.copy(), mask=mask.copy())["image"].shape == rgb.shape

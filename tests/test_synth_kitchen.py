"""The procedural kitchen: training frames, the dataset writer, the live feed."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from foodcam.runtime.colour import palette_bgr
from foodcam.runtime.imageio import read_image
from foodcam.runtime.tasks import KITCHEN
from foodcam.scenes import FEEDS, KitchenFeed, KitchenScene
from foodcam.scenes.dishes import DISH_NAMES
from foodcam.train.synth import split_counts, write_kitchen_dataset

HEAD = KITCHEN.seg_head
STIRRER, PAN, FOOD = (HEAD.classes.index(c) for c in ("stirrer", "pan", "food"))
SIZE = (96, 72)


def test_scene_is_deterministic_per_seed_and_index():
    a, ma = KitchenScene(SIZE, seed=3).render(5)
    b, mb = KitchenScene(SIZE, seed=3).render(5)
    assert a.shape == (72, 96, 3) and a.dtype == np.uint8
    assert ma.shape == (72, 96) and ma.dtype == np.uint8
    assert a.tobytes() == b.tobytes() and ma.tobytes() == mb.tobytes()
    c, _ = KitchenScene(SIZE, seed=4).render(5)
    d, _ = KitchenScene(SIZE, seed=3).render(6)
    assert np.abs(a.astype(int) - c).mean() > 5
    assert np.abs(a.astype(int) - d).mean() > 5


def test_scene_classes_present_and_stirrer_sometimes_absent():
    scene = KitchenScene((64, 48), seed=0)
    masks = [scene.render(i)[1] for i in range(40)]
    assert set(np.unique(np.stack(masks))) == {STIRRER, PAN, FOOD}
    absent = sum(int((m == STIRRER).sum() == 0) for m in masks)
    assert 1 <= absent <= 14  # about 15% of frames have no stirrer
    assert all((m == FOOD).any() for m in masks)
    # the food sits inside the pan: never on the frame's corners
    corners = np.stack([m[[0, 0, -1, -1], [0, -1, 0, -1]] for m in masks])
    assert (corners != FOOD).all()


def test_scene_looks_like_a_photo_not_flat_colours():
    frame, mask = KitchenScene((160, 120), seed=1).render(2)
    food = frame[mask == FOOD].astype(np.float32)
    assert food.std(0).mean() > 4  # textured, not a flat fill
    assert len(np.unique(frame.reshape(-1, 3), axis=0)) > 2000


def test_split_counts_follow_the_real_proportions():
    assert split_counts(720) == {"train": 450, "val": 140, "test": 130}
    assert sum(split_counts(7).values()) == 7


def test_dataset_layout_exact_mask_colours_and_same_bytes(tmp_path):
    counts = write_kitchen_dataset(tmp_path / "a", 20, seed=1, size=SIZE, progress=False)
    write_kitchen_dataset(tmp_path / "b", 20, seed=1, size=SIZE, progress=False)
    assert counts == {"train": 12, "val": 4, "test": 4}
    scene = KitchenScene(SIZE, seed=1)
    colours = {tuple(c) for c in palette_bgr(HEAD)[:3].tolist()}
    index = 0
    for split, n in counts.items():
        images = sorted((tmp_path / "a" / split / "images").iterdir())
        masks = sorted((tmp_path / "a" / split / "masks").iterdir())
        assert len(images) == len(masks) == n
        assert [p.stem for p in images] == [p.stem for p in masks]
        for img_path, mask_path in zip(images, masks):
            dish, number = img_path.stem.rsplit("_", 1)
            assert dish in DISH_NAMES and len(number) == 6
            assert img_path.suffix == ".jpg" and mask_path.suffix == ".png"
            mask = cv2.imread(str(mask_path), cv2.IMREAD_UNCHANGED)
            assert mask.shape == (72, 96, 3)
            assert {tuple(c) for c in np.unique(mask.reshape(-1, 3), axis=0).tolist()} <= colours
            assert read_image(img_path).shape == (72, 96, 3)
            twin = tmp_path / "b" / split / img_path.parent.name / img_path.name
            assert twin.read_bytes() == img_path.read_bytes()
            # the PNG is exactly the renderer's mask, colour-coded
            _, truth = scene.render(int(number))
            assert (mask == palette_bgr(HEAD)[truth]).all()
            index += 1
    assert index == 20


def test_synth_cli_writes_and_rejects_bad_count(tmp_path, capsys):
    from foodcam.cli import main

    assert main(["synth", "kitchen", "--out", str(tmp_path / "d"), "--count", "5", "--size", "64x48"]) == 0
    assert str(tmp_path / "d") in capsys.readouterr().out
    assert len(list((tmp_path / "d").glob("*/images/*.jpg"))) == 5
    with pytest.raises(SystemExit) as e:  # argparse refuses it (foodcam/argtypes.py) before anything runs
        main(["synth", "kitchen", "--out", str(tmp_path / "e"), "--count", "0"])
    assert e.value.code == 2 and "--count: expected a whole number >= 1" in capsys.readouterr().err
    assert not (tmp_path / "e").exists()


def test_feed_is_registered_and_deterministic():
    assert FEEDS["kitchen"] is KitchenFeed
    feed = KitchenFeed(SIZE, seed=2)
    seq = [feed.next() for _ in range(5)]
    again = KitchenFeed(SIZE, seed=2, prefetch=False)
    for i in (4, 0, 2):
        frame, mask = again.frame(i)
        assert frame.tobytes() == seq[i][0].tobytes() and mask.tobytes() == seq[i][1].tobytes()


def test_feed_is_temporally_coherent_and_stirrer_moves():
    feed = KitchenFeed(SIZE, seed=0)
    frames = [feed.next() for _ in range(40)]
    diffs = [np.abs(a[0].astype(int) - b[0]).mean() for a, b in zip(frames, frames[1:])]
    other = KitchenFeed(SIZE, seed=9).frame(0)[0]
    assert max(diffs) < 15 < np.abs(frames[0][0].astype(int) - other).mean()
    centroids = [np.argwhere(m == STIRRER).mean(0) for _, m in frames if (m == STIRRER).sum() > 20]
    assert len(centroids) >= 30
    steps = np.linalg.norm(np.diff(centroids, axis=0), axis=1)
    assert steps.max() < 8  # smooth
    assert np.linalg.norm(centroids[-1] - centroids[0]) > 1 or steps.sum() > 5  # but moving


def test_feed_masks_follow_the_pixels():
    """Where the label changes between two frames, the picture changes much more than elsewhere."""
    feed = KitchenFeed(SIZE, seed=0)
    changed, same = [], []
    prev = feed.next()
    for _ in range(20):
        cur = feed.next()
        moved = prev[1] != cur[1]
        d = np.abs(cur[0].astype(int) - prev[0]).mean(2)
        if moved.sum() > 10:
            changed.append(d[moved].mean())
            same.append(d[~moved].mean())
        prev = cur
    assert len(changed) >= 10
    assert np.mean(changed) > 2 * np.mean(same)


@pytest.mark.parametrize("seed", [1])
def test_feed_stirrer_leaves_and_comes_back(seed):
    feed = KitchenFeed((48, 36), seed=seed)
    present = np.array([(feed.next()[1] == STIRRER).any() for _ in range(900)])
    assert 0.5 < present.mean() < 1.0  # absent for stretches, present most of the time
    runs = np.flatnonzero(np.diff(present.astype(int)))
    assert len(runs) >= 2  # it left and came back
    assert np.diff(runs).min() >= 10  # stretches, not flicker

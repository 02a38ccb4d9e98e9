"""Procedural fruit: sprites, scenes, determinism, labels, the dataset writer's layout and planted duplicates."""

from __future__ import annotations

import numpy as np
import pytest

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import FRESHNESS
from foodcam.scenes.fruit import BACKGROUNDS, FRUITS, FruitScene, background, composite, render_fruit
from foodcam.scenes.fruit_styles import FRUIT_HELD_OUT, FRUIT_STYLES, FRUIT_TRAIN_STYLES, parse_fruit_styles


def test_fruit_names_come_from_the_task():
    assert FRUITS == FRESHNESS.head("fruit").classes


@pytest.mark.parametrize("fruit", FRUITS)
def test_sprite_shape_alpha_and_determinism(fruit):
    a = render_fruit(np.random.default_rng(5), fruit, True, 0.8, 48)
    b = render_fruit(np.random.default_rng(5), fruit, True, 0.8, 48)
    bgr, alpha = a
    assert bgr.shape == (48, 48, 3) and bgr.dtype == np.uint8
    assert alpha.shape == (48, 48) and alpha.dtype == np.uint8
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    covered = (alpha > 128).mean()
    assert 0.05 < covered < 0.9, covered  # a fruit, not an empty or a full square
    assert alpha[0, 0] == 0 and alpha[-1, -1] == 0  # transparent corners


def test_rot_darkens_and_dulls_the_fruit():
    """Same fruit, same random draws up to the decay: rotten is darker and less saturated on average."""
    import cv2

    def stats(rotten: bool):
        vals = []
        for k in range(4):
            bgr, alpha = render_fruit(np.random.default_rng(k), "orange", rotten, 1.0, 48)
            hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV).reshape(-1, 3)[alpha.ravel() > 200]
            vals.append(hsv[:, 1:].mean(0))
        return np.mean(vals, 0)

    fresh, rotten = stats(False), stats(True)
    assert rotten[0] < fresh[0] - 10  # saturation
    assert rotten[1] < fresh[1] - 10  # brightness


def test_bad_fruit_or_size_is_a_clear_error():
    with pytest.raises(FoodcamError, match="unknown fruit"):
        render_fruit(np.random.default_rng(0), "kiwi", False, 0.0, 32)
    with pytest.raises(FoodcamError, match="at least 8"):
        render_fruit(np.random.default_rng(0), "apple", False, 0.0, 4)


def test_scene_is_deterministic_per_seed_and_index_and_balanced():
    a, b, c = FruitScene((64, 48), seed=3), FruitScene((64, 48), seed=3), FruitScene((64, 48), seed=4)
    f1, name1, rot1 = a.render(7)
    f2, name2, rot2 = b.render(7)
    assert f1.shape == (48, 64, 3) and f1.dtype == np.uint8
    assert np.array_equal(f1, f2) and (name1, rot1) == (name2, rot2)
    assert not np.array_equal(f1, c.render(7)[0])
    assert not np.array_equal(f1, a.render(15)[0])
    labels = [a.label(i) for i in range(16)]
    assert sorted(set(labels)) == sorted((f, r) for f in FRUITS for r in (False, True))
    assert all(labels.count(x) == 2 for x in set(labels))


def test_backgrounds_and_composite():
    rng = np.random.default_rng(0)
    for kind in BACKGROUNDS:
        bg = background(rng, kind, 40, 30)
        assert bg.shape == (30, 40, 3) and bg.dtype == np.uint8
    plate = background(np.random.default_rng(1), "plate", 64, 64).astype(float).mean(2)
    assert plate[28:36, 28:36].mean() > 200 > plate[:3, :3].mean()  # a white glaze in the middle of a table
    with pytest.raises(FoodcamError):
        background(rng, "marble", 8, 8)
    frame = np.full((30, 40, 3), 128, np.uint8)
    sprite = np.zeros((10, 10, 3), np.uint8)
    alpha = np.full((10, 10), 255, np.uint8)
    composite(frame, sprite, alpha, 35, -5, shadow=0)  # hangs over two edges
    assert (frame[:5, 35:] == 0).all() and (frame[5:, :35] == 128).all()


def test_write_fruit_dataset_layout_balance_and_duplicates(tmp_path):
    from foodcam.runtime.imageio import read_image
    from foodcam.train.data.dedup import DEFAULT_THRESHOLD, hamming, phash
    from foodcam.train.synth import write_fruit_dataset

    info = write_fruit_dataset(tmp_path, 40, seed=1, size=(48, 40), progress=False)
    files = sorted(tmp_path.rglob("*.jpg"))
    assert len(files) == 40 and info["images"] == 40
    folders = {p.relative_to(tmp_path).parts[:2] for p in files}
    assert folders == {(f.capitalize(), r) for f in FRUITS for r in ("Fresh", "Rotten")}
    assert read_image(files[0]).shape == (40, 48, 3)
    dups = info["duplicates"]
    assert len(dups) == 2
    for src, dst in dups:
        assert src != dst and src.parent == dst.parent and dst.is_file()
        assert hamming(phash(read_image(src)), phash(read_image(dst))) <= DEFAULT_THRESHOLD


def test_parse_fruit_styles():
    assert parse_fruit_styles(None) == ("table",)
    assert parse_fruit_styles("belt, bunch") == ("belt", "bunch")
    assert parse_fruit_styles("all") == tuple(FRUIT_STYLES)
    assert parse_fruit_styles("train") == FRUIT_TRAIN_STYLES and FRUIT_HELD_OUT not in FRUIT_TRAIN_STYLES
    with pytest.raises(FoodcamError, match="unknown fruit style 'belts'"):
        parse_fruit_styles("belt,belts")


def test_styles_take_turns_by_whole_label_cycles():
    """Every style sees every fruit x freshness pair equally often: the style changes every 8 photos, never
    in step with the labels."""
    scene = FruitScene((48, 48), seed=0, styles="train")
    seen = {}
    for i in range(8 * len(FRUIT_TRAIN_STYLES) * 2):
        seen.setdefault(scene.style_of(i), []).append(scene.label(i))
    assert set(seen) == set(FRUIT_TRAIN_STYLES)
    pairs = sorted((f, r) for f in FRUITS for r in (False, True))
    assert all(sorted(v) == sorted(pairs * 2) for v in seen.values())


@pytest.mark.parametrize("style", list(FRUIT_STYLES))
def test_every_style_renders_deterministically(style):
    a, b = FruitScene((64, 48), seed=3, styles=style), FruitScene((64, 48), seed=3, styles=style)
    f1, f2 = a.render(5)[0], b.render(5)[0]
    assert f1.shape == (48, 64, 3) and f1.dtype == np.uint8 and np.array_equal(f1, f2)
    assert f1.std() > 5  # a picture, not a flat fill


def test_styles_draw_the_fruit_they_say(monkeypatch):
    """How many fruit and how big: one big fruit on a table, 2-4 of them in a bunch, small ones on a belt."""
    import foodcam.scenes.fruit as fruit_mod

    drawn = []
    real = fruit_mod.render_fruit
    monkeypatch.setattr(fruit_mod, "render_fruit", lambda rng, f, r, sev, s: drawn.append(s) or real(rng, f, r, sev, s))

    def sprites(style):
        scene, out = FruitScene((100, 100), seed=2, styles=style), []
        for i in range(12):
            drawn.clear()
            scene.render(i)
            out.append(list(drawn))
        return out

    assert all(len(d) == 1 and 80 <= d[0] <= 130 for d in sprites("table"))
    bunch = sprites("bunch")
    assert all(2 <= len(d) <= 4 and max(d) <= 75 for d in bunch) and len({len(d) for d in bunch}) > 1
    assert all(1 <= len(d) <= 2 and max(d) <= 70 for d in sprites("belt"))


def test_write_fruit_dataset_with_styles_names_each_photo_by_style(tmp_path):
    from foodcam.train.synth import write_fruit_dataset

    info = write_fruit_dataset(tmp_path, 40, seed=1, size=(48, 48), progress=False, styles="belt,studio")
    files = sorted(tmp_path.rglob("*.jpg"))
    assert len(files) == 40
    assert {f.name.split("_")[0] for f in files} == {"belt", "studio"}
    for src, dst in info["duplicates"]:  # a planted copy keeps its original's style and fruit
        assert dst.name.split("_")[:2] == src.name.split("_")[:2]

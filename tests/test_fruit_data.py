"""Freshness data: both real layouts, skipped files, duplicate groups, a leak-free split, `foodcam data check`."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_image
from foodcam.train.data.dedup import (
    base_stem,
    find_duplicates,
    hamming,
    near_pairs,
    overlap,
    phash,
    stem_key,
    stratified_split,
)
from foodcam.train.data.fruit import fruit_name, load_freshness, parse_labels, singular
from tests.conftest import foodcam


def noise_image(seed: int, size: int = 48) -> np.ndarray:
    """A distinct picture per seed: smooth random blobs (pHashes far apart)."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (6, 6, 3), dtype=np.uint8)
    return cv2.resize(small, (size, size), interpolation=cv2.INTER_CUBIC)


def put(root: Path, rel: str, seed: int) -> Path:
    p = root / rel
    write_image(p, noise_image(seed))
    return p


def test_names_and_labels_from_folders():
    assert [singular(w) for w in ("apples", "strawberries", "tomatoes", "peaches", "banana", "oranges")] == [
        "apple", "strawberry", "tomato", "peach", "banana", "orange"]
    assert fruit_name("Apples") == "apple" and fruit_name("Bitter Gourd") == "bitter_gourd"
    assert fruit_name("train") is None and fruit_name("Fruit Freshness Dataset") == "fruit_freshness_dataset"
    assert parse_labels(("X", "Fruit Freshness Dataset", "Fruit Freshness Dataset", "Banana", "Rotten")) == (
        "banana", True, "nested")
    assert parse_labels(("train", "freshapples")) == ("apple", False, "flat")
    assert parse_labels(("test", "RottenStrawberries")) == ("strawberry", True, "flat")
    assert parse_labels(("data", "orange_fresh")) == ("orange", False, "flat")
    assert parse_labels(("Fruit Freshness Dataset",)) is None
    assert parse_labels(("train", "misc")) is None


def test_nested_layout_twice_nested_with_skipped_files(tmp_path):
    base = tmp_path / "X" / "Fruit Freshness Dataset" / "Fruit Freshness Dataset"
    seed = 0
    for fruit in ("Apple", "Banana", "Orange", "Strawberry"):
        for state in ("Fresh", "Rotten"):
            for k in range(3):
                put(base, f"{fruit}/{state}/{fruit.lower()}_{state.lower()}_{k}.jpg", seed := seed + 1)
    (base / "Apple" / "Fresh" / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    (base / "Apple" / "Fresh" / "notes.txt").write_text("not an image")
    (base / "Banana" / "Rotten" / ".DS_Store").write_bytes(b"\0\0")
    put(tmp_path / "X", "stray/extra.jpg", 999)  # an image in no labelled folder
    data = load_freshness(tmp_path, progress=False)
    s = data.scan
    assert len(s.paths) == 24 and s.layouts["nested"] == 24
    assert [p.name for p, _ in s.corrupt] == ["broken.jpg"]
    assert sorted(p.name for p in s.not_images) == [".DS_Store", "notes.txt"]
    assert [p.name for p in s.unlabelled] == ["extra.jpg"]
    assert data.fruits == ("apple", "banana", "orange", "strawberry")
    assert data.counts() == {(f, c): 3 for f in data.fruits for c in ("fresh", "rotten")}
    folder = data.folder("all")
    for path, fi, ri in folder.items:
        assert path.parent.name == ("Rotten" if ri else "Fresh")
        assert path.parent.parent.name.lower() == data.fruits[fi]
    bgr, fi, ri = folder.load(0)
    assert bgr.shape == (48, 48, 3) and (fi, ri) == folder.items[0][1:]


def test_flat_layout_pools_splits_and_extends_the_fruit_list(tmp_path):
    names = {"freshapples": ("apple", 0), "RottenBanana": ("banana", 1), "freshoranges": ("orange", 0),
             "rotten_strawberries": ("strawberry", 1), "freshtomatoes": ("tomato", 0)}
    seed = 100
    for split in ("train", "test"):
        for folder in names:
            for k in range(3):
                put(tmp_path / "dataset", f"{split}/{folder}/{split}_{folder}_{k}.png", seed := seed + 1)
    data = load_freshness(tmp_path, progress=False)
    assert data.scan.layouts["flat"] == 30
    assert data.fruits == ("apple", "banana", "orange", "strawberry", "tomato")
    for path, fi, ri in data.items("all"):
        assert (data.fruits[fi], ri) == names[path.parent.name]
    assert len(data.train) + len(data.val) == 30 and data.leaks() == 0


def test_phash_survives_re_encoding_and_resizing_but_tells_pictures_apart():
    img = noise_image(1, 96)
    small = cv2.resize(img, (70, 70), interpolation=cv2.INTER_AREA)
    jpeg = cv2.imdecode(cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 60])[1], cv2.IMREAD_COLOR)
    h = phash(img)
    assert 0 <= h < 2**64
    assert hamming(h, phash(small)) <= 4 and hamming(h, phash(jpeg)) <= 4
    assert hamming(h, phash(noise_image(2, 96))) > 12
    pairs = near_pairs([h, phash(small), phash(noise_image(2, 96))], 6)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]


def test_stems_name_the_picture_without_augmentation_prefixes():
    a = base_stem("train/freshapples/Screen Shot 2018-06-08 at 4.59.44 PM.png")
    assert base_stem("test/freshapples/rotated_by_15_Screen Shot 2018-06-08 at 4.59.44 PM.png") == a
    assert base_stem("x/vertical_flip_Screen Shot 2018-06-08 at 4.59.44 PM (1).png") == a
    assert stem_key("a/1.jpg") is None and stem_key("a/img_0012.jpg") is None and stem_key("a/image (3).jpg") is None
    assert stem_key("a/apple_0_00012.jpg") == "apple_0_00012"


def test_duplicate_rules_chain_and_keep_one_per_label():
    paths = ["a/Fresh/x_photo_one.jpg", "b/Fresh/x_photo_one.jpg", "a/Fresh/copy.jpg", "a/Fresh/other.jpg",
             "a/Fresh/1.jpg", "b/Rotten/1.jpg", "a/Fresh/near.jpg"]
    labels = [("apple", False)] * 5 + [("apple", True), ("apple", False)]
    far = [0, 0x5555555555555555, 0x3333333333333333, 0xFFFF0000FFFF0000, 0x0F0F0F0F0F0F0F0F, 0xF0F0F0F0F0F0F0F0]
    hashes = [*far, far[3] ^ 0b111]  # 3 bits from image 3; every other pair 32 bits apart
    digests = ["d0", "d1", "d0", "d3", "d4", "d5", "d6"]
    d = find_duplicates(paths, labels, hashes, digests, threshold=6)
    groups = sorted(sorted(g) for g in d.groups)
    assert groups == [[0, 1, 2], [3, 6]]  # stem links 0-1, content 0-2, pHash 3-6; generic "1" never links
    assert d.links == {"content": 1, "stem": 1, "phash": 1}
    assert d.dropped == 3 and len(d.keep) == 4
    assert 2 in d.keep  # the shortest name of its group
    assert not d.conflicts


def test_split_is_stratified_by_group_and_leak_free():
    n = 60
    labels = [(f"f{i % 3}", bool(i % 2)) for i in range(n)]
    groups = list(range(n))
    groups[5] = groups[7] = groups[9] = 3  # a group of four: it must land in one split
    labels[5] = labels[7] = labels[9] = labels[3]
    train, val = stratified_split(list(range(n)), labels, groups, 0.25, seed=1)
    assert sorted(train + val) == list(range(n)) and not set(train) & set(val)
    side = {i: ("v" if i in val else "t") for i in (3, 5, 7, 9)}
    assert len(set(side.values())) == 1
    for lab in set(labels):
        assert any(labels[i] == lab for i in val) and any(labels[i] == lab for i in train)
    again = stratified_split(list(range(n)), labels, groups, 0.25, seed=1)
    assert again == (train, val)
    paths = [f"p/{i}_pic.jpg" for i in range(n)]
    hashes = [i * 0x0101010101010101 for i in range(n)]
    assert overlap(train, val, paths, labels, hashes, 6) == {"path": [], "stem": [], "phash": []}
    leak = overlap(train, val + [train[0]], paths, labels, hashes, 6)
    assert len(leak["path"]) == 1 and len(leak["stem"]) == 1 and len(leak["phash"]) >= 1


def test_planted_near_duplicates_are_grouped_and_never_straddle(tmp_path):
    from foodcam.train.synth import write_fruit_dataset

    info = write_fruit_dataset(tmp_path, 60, seed=2, size=(64, 64), progress=False)
    data = load_freshness(tmp_path, progress=False)
    index = {p: i for i, p in enumerate(data.scan.paths)}
    group = {i: k for k, g in enumerate(data.dedup.groups) for i in g}
    assert len(info["duplicates"]) == 3
    for src, dst in info["duplicates"]:
        i, j = index[src], index[dst]
        assert i in group and group[i] == group[j]
    kept = set(data.dedup.keep)
    for g in data.dedup.groups:
        assert len(kept & set(g)) == 1
        sides = {"train" if i in data.train else "val" if i in data.val else None for i in g} - {None}
        assert len(sides) == 1
    assert data.leaks() == 0
    data.assert_no_overlap()
    assert len(data.train) + len(data.val) == 60 - data.dedup.dropped


def test_data_check_exit_codes(tmp_path, capsys):
    from foodcam.train.synth import write_fruit_dataset

    write_fruit_dataset(tmp_path, 24, seed=0, size=(48, 48), progress=False)
    assert foodcam("data", "check", "freshness", tmp_path) == 0
    out = capsys.readouterr().out
    assert "zero overlap" in out and "no problems found" in out and "apple" in out
    (tmp_path / "Banana" / "Fresh" / "broken.jpg").write_bytes(b"garbage")
    (tmp_path / "Banana" / "Fresh" / "readme.txt").write_text("hello")
    assert foodcam("data", "check", "freshness", tmp_path) == 1
    out = capsys.readouterr().out
    assert "1 not images, 1 corrupt" in out and "broken.jpg" in out
    empty = tmp_path / "empty"
    empty.mkdir()
    assert foodcam("data", "check", "freshness", empty) == 2  # nothing labelled: a one-line error


def test_bad_split_name_and_fraction(tmp_path):
    put(tmp_path, "Apple/Fresh/a_pic.jpg", 1)
    put(tmp_path, "Apple/Rotten/b_pic.jpg", 2)
    data = load_freshness(tmp_path, progress=False)
    with pytest.raises(FoodcamError, match="split 'test'"):
        data.items("test")
    with pytest.raises(FoodcamError, match="val fraction"):
        load_freshness(tmp_path, val_fraction=1.5, progress=False)

"""The generators written from the label contract (the blind held-out sets in benchmarks/heldout, the other hands'
training scenes in scenes/hands): each writes its task's real layout, labels only what the contract allows, and is
deterministic for a seed; the benchmark scores a model on the blind ones in one table."""

from __future__ import annotations

import hashlib

import cv2
import numpy as np
import pytest

from foodcam.benchmarks.heldout import SETS, HeldoutSet
from foodcam.scenes.hands import HANDS
from foodcam.scenes.hands import generator as hand_generator

KITCHEN_COLOURS = {(255, 0, 0), (0, 255, 0), (0, 0, 255)}  # RGB: stirrer, pan, food
FRUIT_FOLDERS = {f"{f}{k}" for f in ("fresh", "rotten") for k in ("apple", "banana", "orange", "strawberry")}


def _digest(folder) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


# every generator written from the contract: the blind sets (they score) and the other hands (scenes/hands: they train)
GENERATORS = [(s.name, s.task.replace("freshness", "fruit"), s.generator, s.size) for s in SETS] + [
    (h, t, lambda h=h: hand_generator(h), (320, 240) if t == "kitchen" else (128, 128)) for h, t in HANDS.items()]


def _of(task: str):
    return pytest.mark.parametrize("name,gen,size", [g[:1] + g[2:] for g in GENERATORS if g[1] == task],
                                   ids=[g[0] for g in GENERATORS if g[1] == task])


@_of("kitchen")
def test_kitchen_generator_labels_match_the_contract(name, gen, size, tmp_path):
    n = 8
    gen().generate(tmp_path / "a", n, 5, size)
    images = sorted((tmp_path / "a" / "test" / "images").glob("*.jpg"))
    masks = sorted((tmp_path / "a" / "test" / "masks").glob("*.png"))
    assert len(images) == len(masks) == n
    assert [p.stem for p in images] == [p.stem for p in masks]
    seen = set()
    for img, msk in zip(images, masks):
        bgr, lab = cv2.imread(str(img)), cv2.imread(str(msk), cv2.IMREAD_UNCHANGED)
        assert bgr.shape[:2] == lab.shape[:2] == (size[1], size[0])
        colours = {tuple(int(v) for v in c[::-1]) for c in np.unique(lab.reshape(-1, 3), axis=0)}
        assert colours <= KITCHEN_COLOURS, f"{msk.name}: colours outside the contract {colours - KITCHEN_COLOURS}"
        seen |= colours
        stirrer = np.all(lab == (0, 0, 255), axis=2).mean()
        assert stirrer < 0.3  # a tool, not a wall of red
    assert seen == KITCHEN_COLOURS  # every class drawn somewhere
    gen().generate(tmp_path / "b", n, 5, size)
    gen().generate(tmp_path / "c", n, 6, size)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b") != _digest(tmp_path / "c")


@_of("fruit")
def test_fruit_generator_writes_the_eight_labelled_folders(name, gen, size, tmp_path):
    n = 16
    gen().generate(tmp_path / "a", n, 5, size)
    folders = {p.name: sorted(p.glob("*.jpg")) for p in (tmp_path / "a").iterdir() if p.is_dir()}
    assert set(folders) == FRUIT_FOLDERS
    assert {len(v) for v in folders.values()} == {n // 8}
    for files in folders.values():
        img = cv2.imread(str(files[0]))
        assert img.shape[:2] == (size[1], size[0])
    gen().generate(tmp_path / "b", n, 5, size)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_the_fruit_reader_labels_a_blind_set_by_its_folders(tmp_path):
    pytest.importorskip("torch")
    from foodcam.train.data.fruit import scan_folder

    hs = next(s for s in SETS if s.task == "freshness")
    hs.generator().generate(tmp_path, 16, 1, hs.size)
    scan = scan_folder(tmp_path, progress=False)
    assert len(scan.paths) == 16 and scan.skipped == 0
    for path, fruit, rotten in zip(scan.paths, scan.fruit, scan.rotten):
        assert path.parent.name == ("rotten" if rotten else "fresh") + fruit


PLATE_CLASSES = ["background", "rice", "noodles", "lettuce", "tomato", "cucumber", "carrot", "potato", "tofu", "beef",
                 "chicken", "salmon", "fried egg", "broccoli", "peas", "corn", "curry", "tomato sauce",
                 "cream sauce", "bread", "strawberry", "blueberry", "orange", "mushroom", "cheese"]


@pytest.mark.parametrize("hs", [s for s in SETS if s.task == "foodseg"], ids=lambda s: s.name)
def test_plate_generator_writes_the_foodseg103_layout_of_the_contract(hs: HeldoutSet, tmp_path):
    n = 12
    hs.generator().generate(tmp_path / "a", n, 5, hs.size)
    lines = (tmp_path / "a" / "category_id.txt").read_text().splitlines()
    assert [line.split("\t") for line in lines] == [[str(i), c] for i, c in enumerate(PLATE_CLASSES)]
    images = sorted((tmp_path / "a" / "Images" / "img_dir" / "test").glob("*.jpg"))
    masks = sorted((tmp_path / "a" / "Images" / "ann_dir" / "test").glob("*.png"))
    assert len(images) == len(masks) == n and [p.stem for p in images] == [p.stem for p in masks]
    for img, msk in zip(images, masks):
        bgr, lab = cv2.imread(str(img)), cv2.imread(str(msk), cv2.IMREAD_UNCHANGED)
        assert lab.ndim == 2 and lab.dtype == np.uint8 and lab.shape == bgr.shape[:2] == (hs.size[1], hs.size[0])
        foods = set(np.unique(lab).tolist()) - {0}
        assert foods <= set(range(1, 25)) and 1 <= len(foods) <= 6, f"{msk.name}: foods {sorted(foods)}"
    hs.generator().generate(tmp_path / "b", n, 5, hs.size)
    hs.generator().generate(tmp_path / "c", n, 6, hs.size)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b") != _digest(tmp_path / "c")


@pytest.mark.slow
def test_the_benchmark_scores_a_food_model_on_the_plate_set(tmp_path, monkeypatch, capsys):
    """`python -m foodcam.benchmarks.heldout` reads the blind plates with the FoodSeg103 reader and gives the mask's
    mIoU and the ingredient head's micro-F1 of a model trained on our renders (24 foods, the contract's order), and
    a recognition model's top-1 / top-5 on each plate's largest food."""
    pytest.importorskip("torch")
    pytest.importorskip("pycocotools")
    import json

    import foodcam.benchmarks.heldout as heldout
    from foodcam.benchmarks.heldout.__main__ import main
    from tests.conftest import foodcam

    data, run = tmp_path / "fs", tmp_path / "run"
    assert foodcam("synth", "foodseg", "--out", data, "--count", 14, "--classes", 24, "--size", "48x48") == 0
    common = ("--imgsz", 32, "--epochs", 1, "--batch", 8, "--device", "cpu", "--width", 0.5)
    assert foodcam("train", "foodseg", "--data", data, "--task", "multi", "--model", "foodseg-thin", "--out", run,
                   *common) == 0
    assert foodcam("train", "foodrec", "--data", data, "--model", "foodrec-thin", "--init-from", run / "best.pt",
                   "--out", tmp_path / "rec", *common) == 0
    small = heldout.HeldoutSet("plate_a", "foodseg", 6, (64, 64), "test")
    monkeypatch.setattr(heldout, "SETS", (small,))
    capsys.readouterr()
    assert main(["--model", str(run / "best.pt"), "--model", str(tmp_path / "rec" / "best.pt"),
                 "--out", str(tmp_path / "h")]) == 0
    seg, rec = json.loads((tmp_path / "h" / "heldout.json").read_text())["rows"]
    assert seg["set"] == rec["set"] == "plate_a" and seg["images"] == 6 and 1 <= rec["images"] <= 6
    assert 0 <= seg["mIoU"] <= 100 and 0 <= seg["ingredients micro-F1"] <= 100
    assert 0 <= rec["top-1"] <= rec["top-5"] <= 100  # the largest food of each plate, as foodcam eval scores it
    out = capsys.readouterr().out
    assert "| mIoU | ingredients micro-F1 |" in out and "| top-1 | top-5 |" in out


@pytest.mark.parametrize("task,hand", [("kitchen", "kitchen_c"), ("fruit", "fruit_c")])
def test_synth_with_another_hand_writes_the_training_layout(task, hand, tmp_path, capsys):
    from tests.conftest import foodcam

    out = tmp_path / hand
    assert foodcam("synth", task, "--hand", hand, "--out", out, "--count", 16, "--seed", 3) == 0
    if task == "kitchen":  # split like the renderer's frames, every name led by the hand
        for split, n in (("train", 10), ("val", 3), ("test", 3)):
            images = sorted((out / split / "images").iterdir())
            masks = sorted((out / split / "masks").iterdir())
            assert len(images) == len(masks) == n
            assert [p.stem for p in images] == [p.stem for p in masks]
            assert all(p.name.startswith(f"{hand}_3_") for p in images)
    else:  # the fruit reader labels them like the renderer's photos
        from foodcam.train.data.fruit import scan_folder

        scan = scan_folder(out, progress=False)
        assert len(scan.paths) == 16 and scan.skipped == 0
        for path, fruit, rotten in zip(scan.paths, scan.fruit, scan.rotten):
            assert path.parts[-3:-1] == (fruit.capitalize(), "Rotten" if rotten else "Fresh")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # the contract-layout draft is gone
    capsys.readouterr()
    wrong = "fruit_c" if task == "kitchen" else "kitchen_c"
    assert foodcam("synth", task, "--hand", wrong, "--out", tmp_path / "x", "--count", 8) != 0
    err = capsys.readouterr().err.strip().splitlines()
    mine = ", ".join(f"{task}_{x}" for x in "cdef")
    assert err == [f"foodcam synth: error: --hand {wrong}: expected one of {mine} for {task}"]
    assert foodcam("synth", task, "--hand", hand, "--styles", "train", "--out", tmp_path / "y", "--count", 8) != 0
    assert "the styles are our renderer's; pick one" in capsys.readouterr().err
    assert not (tmp_path / "y").exists()

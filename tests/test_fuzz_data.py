"""Seeded fuzzing of the data boundaries: image files, frames handed to a model, masks, dataset trees.

Same rules as tests/test_fuzz.py (harness: tests/fuzzing.py; `FOODCAM_FUZZ=N` cases per kind).
"""

from __future__ import annotations

import shutil

import cv2
import numpy as np
import pytest
from fuzzing import Fuzz, count, mutate_bytes
from tiny_onnx import seg_onnx

from foodcam.runtime.imageio import read_image
from foodcam.runtime.open import open_model
from foodcam.runtime.tasks import KITCHEN
from foodcam.train.data.fruit import load_freshness
from foodcam.train.data.kitchen import KitchenFolder, scan_dataset


@pytest.fixture(autouse=True)
def _quiet_opencv():
    """Broken files make OpenCV's decoders log to stderr; the outcome is what the test checks."""
    before = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    yield
    cv2.utils.logging.setLogLevel(before)


COLOURS_BGR = np.array([c[::-1] for c in KITCHEN.seg_head.colours], np.uint8)  # stirrer, pan, food as BGR


def _picture(rng: np.random.Generator, w: int = 40, h: int = 30) -> np.ndarray:
    return rng.integers(0, 256, (h, w, 3), np.uint8)


def _mask(rng: np.random.Generator, w: int = 40, h: int = 30) -> np.ndarray:
    """A plausible kitchen mask: pan everywhere, a food blob, a thin stirrer line."""
    idx = np.ones((h, w), np.uint8)
    cy, cx = rng.integers(5, h - 5), rng.integers(5, w - 5)
    cv2.circle(idx, (int(cx), int(cy)), int(rng.integers(4, 10)), 2, -1)
    cv2.line(idx, (0, int(rng.integers(0, h))), (w - 1, int(rng.integers(0, h))), 0, 1)
    return COLOURS_BGR[idx]


def _encode(img: np.ndarray, ext: str) -> bytes:
    ok, buf = cv2.imencode(ext, img)
    assert ok
    return buf.tobytes()


def _read(path) -> None:
    img = read_image(path)
    assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3 and img.size > 0


def test_fuzz_image_files(tmp_path):
    fz = Fuzz("image file")
    np_rng = np.random.default_rng(0)
    bases = {ext: _encode(_picture(np_rng), ext) for ext in (".png", ".jpg", ".bmp", ".webp", ".tif")}
    bases[".png16"] = _encode(np_rng.integers(0, 65535, (20, 20), np.uint16), ".png")
    for i in range(count(400)):
        kind = fz.rng.choice(sorted(bases))
        path = tmp_path / f"f{i % 7}{kind[:4]}"
        path.write_bytes(mutate_bytes(fz.rng, bases[kind]))
        fz.case(f"image#{i}", _read, path, name=str(path))
    fz.check()


def _odd_frame(rng: np.random.Generator, pick) -> object:
    r = pick.random()
    if r < 0.1:
        return pick.choice([None, "frame", [[1, 2, 3]], 3.5, np.float64(1.0)])
    dtype = pick.choice([np.uint8, np.uint16, np.int8, np.int32, np.float32, np.float64, np.bool_, np.complex64])
    ndim = pick.choice([0, 1, 2, 3, 3, 3, 4])
    shape = tuple(pick.choice([0, 1, 2, 3, 4, 5, 17, 64]) for _ in range(ndim))
    arr = (rng.random(shape) * pick.choice([1, 255, 70000, -5])).astype(dtype)
    if dtype in (np.float32, np.float64) and arr.size and pick.random() < 0.3:
        arr.flat[0] = pick.choice([np.nan, np.inf])
    return arr


def test_fuzz_frames_into_a_model(tmp_path):
    fz = Fuzz("frame")
    np_rng = np.random.default_rng(1)
    path = seg_onnx(tmp_path / "seg.onnx")
    with open_model(path, backend="cpu", threads=1) as model:
        for i in range(count(400)):
            frame = _odd_frame(np_rng, fz.rng)
            fz.case(f"frame#{i}", model.predict, frame, name=str(path))
    fz.check()


def _kitchen_tree(fz: Fuzz, root, np_rng) -> None:
    """A random dataset tree: splits, folders and files that are sometimes missing, misnamed or broken."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    for split in fz.rng.sample(["train", "val", "test", "extra", "Train"], fz.rng.randint(0, 3)):
        has_images, has_masks = fz.rng.random() < 0.9, fz.rng.random() < 0.85
        for sub, wanted in (("images", has_images), ("masks", has_masks)):
            if wanted:
                (root / split / sub).mkdir(parents=True)
        for k in range(fz.rng.randint(0, 4)):
            stem = fz.rng.choice([f"img{k}", f"IMG{k}", f"img{k}.x", " ", "a" * 200])
            w, h = fz.rng.choice([(40, 30), (40, 30), (30, 40), (1, 1), (2, 300)])
            if has_images:
                _write_variant(fz, root / split / "images" / (stem + fz.rng.choice([".jpg", ".png", ".JPG"])),
                               _picture(np_rng, w, h))
            if has_masks and fz.rng.random() < 0.9:
                mask = _mask(np_rng, max(w, 12), max(h, 12))
                if fz.rng.random() < 0.15:
                    mask = mask[..., ::-1]  # red/blue swapped
                if fz.rng.random() < 0.1:
                    mask = cv2.cvtColor(mask, cv2.COLOR_BGR2GRAY)
                if fz.rng.random() < 0.15:
                    mask = cv2.resize(mask, (w, h), interpolation=cv2.INTER_NEAREST)
                _write_variant(fz, root / split / "masks" / (stem + fz.rng.choice([".png", ".png", ".jpg"])), mask)
        if fz.rng.random() < 0.1:
            (root / split / "images" / "dir.png").mkdir(parents=True, exist_ok=True)


def _write_variant(fz: Fuzz, path, img: np.ndarray) -> None:
    data = _encode(img, ".png" if path.suffix.lower() == ".png" else ".jpg")
    r = fz.rng.random()
    if r < 0.15:
        data = mutate_bytes(fz.rng, data)
    elif r < 0.2:
        data = b""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _use_kitchen(root) -> None:
    report = scan_dataset(root, progress=False)
    assert report["errors"] == sum(p["level"] == "error" for p in report["problems"])
    for split in ("train", "val", "test"):
        if (root / split).is_dir():
            folder = KitchenFolder(root, split)
            for i in range(len(folder)):
                image, mask = folder.load(i)
                assert image.shape[:2] == mask.shape and mask.dtype == np.uint8


def test_fuzz_kitchen_dataset_trees(tmp_path):
    fz = Fuzz("kitchen dataset tree")
    np_rng = np.random.default_rng(2)
    root = tmp_path / "kitchen"
    for i in range(count(200)):
        _kitchen_tree(fz, root, np_rng)
        fz.case(f"tree#{i}", _use_kitchen, root, name=str(root))
    fz.check()


def _fruit_tree(fz: Fuzz, root, np_rng) -> None:
    shutil.rmtree(root, ignore_errors=True)
    for _ in range(fz.rng.randint(0, 6)):
        layout = fz.rng.random()
        fruit = fz.rng.choice(["Apple", "Banana", "strawberries", "", "Fresh", "__MACOSX", "x" * 100])
        state = fz.rng.choice(["Fresh", "Rotten", "fresh", "mouldy"])
        folder = root / fruit / state if layout < 0.6 else root / "train" / f"{state.lower()}{fruit.lower()}"
        folder.mkdir(parents=True, exist_ok=True)
        for k in range(fz.rng.randint(0, 3)):
            _write_variant(fz, folder / f"p{k}{fz.rng.choice(['.jpg', '.png', '.txt'])}", _picture(np_rng, 24, 24))
    root.mkdir(exist_ok=True)


def _use_fruit(root) -> None:
    data = load_freshness(root, progress=False)
    data.assert_no_overlap()
    folder = data.folder("train")
    for i in range(len(folder)):
        img, fruit, rotten = folder.load(i)
        assert 0 <= fruit < len(folder.fruits) and rotten in (0, 1)


def test_fuzz_fruit_dataset_trees(tmp_path):
    fz = Fuzz("fruit dataset tree")
    np_rng = np.random.default_rng(3)
    root = tmp_path / "fruit"
    for i in range(count(150)):
        _fruit_tree(fz, root, np_rng)
        fz.case(f"fruit#{i}", _use_fruit, root, name=str(root))
    fz.check()


@pytest.mark.parametrize("swapped", [False, True])
def test_swapped_masks_are_refused_and_good_ones_load(tmp_path, swapped):
    """The issue's case: masks with red/blue swapped used to load as valid kitchen labels."""
    np_rng = np.random.default_rng(4)
    for k in range(6):
        for sub, img in (("images", _picture(np_rng)), ("masks", _mask(np_rng))):
            (tmp_path / "train" / sub).mkdir(parents=True, exist_ok=True)
            cv2.imwrite(str(tmp_path / "train" / sub / f"f{k}.png"), img[..., ::-1] if swapped and sub == "masks" else img)
    report = scan_dataset(tmp_path, progress=False)
    if swapped:
        with pytest.raises(Exception, match="red/blue swapped"):
            KitchenFolder(tmp_path, "train")
        assert any("red/blue swapped" in p["message"] for p in report["problems"])
    else:
        assert len(KitchenFolder(tmp_path, "train")) == 6 and report["errors"] == 0

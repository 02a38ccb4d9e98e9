"""The real-format kitchen loader and `foodcam data check kitchen`."""

from __future__ import annotations

import shutil

import cv2
import numpy as np
import pytest

from foodcam.runtime.colour import colorize
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import IGNORE_INDEX, KITCHEN
from foodcam.train.data.kitchen import KitchenFolder, scan_dataset

HEAD = KITCHEN.seg_head
STIRRER, PAN, FOOD = (HEAD.classes.index(c) for c in ("stirrer", "pan", "food"))


def _labels(h: int = 72, w: int = 96) -> np.ndarray:
    m = np.full((h, w), PAN, np.uint8)
    cv2.ellipse(m, (w // 2, h // 2), (w // 3, h // 3), 0, 0, 360, FOOD, -1)
    cv2.line(m, (0, 0), (w // 2, h // 2), STIRRER, 5)
    return m


def _near_edges(labels: np.ndarray, radius: int = 2) -> np.ndarray:
    """Pixels within `radius` of a class boundary."""
    k = np.ones((2 * radius + 1, 2 * radius + 1), np.uint8)
    return cv2.dilate(labels, k) != cv2.erode(labels, k)


def _photo(h: int = 72, w: int = 96, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 255, (h, w, 3), dtype=np.uint8)


def _split(root, split="train", names=(("a.jpg", "a.png"),), masks=True):
    (root / split / "images").mkdir(parents=True, exist_ok=True)
    if masks:
        (root / split / "masks").mkdir(parents=True, exist_ok=True)
    for i, (img, mask) in enumerate(names):
        if img:
            cv2.imwrite(str(root / split / "images" / img), _photo(seed=i))
        if mask and masks:
            cv2.imwrite(str(root / split / "masks" / mask), colorize(_labels(), HEAD))
    return root


def test_pairs_case_insensitively_across_extensions(tmp_path):
    _split(tmp_path, names=(("A.JPG", "a.png"), ("b.jpeg", "B.JPG"), ("c.png", "C.PNG")))
    folder = KitchenFolder(tmp_path, "train")
    assert len(folder) == 3 and folder.stems == ["A", "b", "c"]
    assert [m.name for _, _, m in folder.items] == ["a.png", "B.JPG", "C.PNG"]
    image, mask = folder.load(0)
    assert image.shape == (72, 96, 3) and image.dtype == np.uint8
    assert (mask == _labels()).all()
    _, jpeg_mask = folder.load(1)  # a mask saved as JPEG still decodes; blurred edges are ignored
    labelled = jpeg_mask != IGNORE_INDEX
    assert (jpeg_mask == _labels())[labelled].mean() > 0.99
    assert (labelled | _near_edges(_labels())).all()
    assert folder.far_pixels == (~labelled).sum()


def test_compressed_antialiased_mask_decodes_and_counts_far_pixels(tmp_path):
    _split(tmp_path, names=(("x.jpg", None),))
    truth = _labels()
    colour = cv2.GaussianBlur(colorize(truth, HEAD), (3, 3), 0.7)  # anti-aliased edges
    colour[5:9, 80:90] = (128, 128, 128)  # 40 grey pixels: far from every class colour
    ok, buf = cv2.imencode(".jpg", colour, [cv2.IMWRITE_JPEG_QUALITY, 80])
    (tmp_path / "train" / "masks" / "X.jpg").write_bytes(buf.tobytes())
    folder = KitchenFolder(tmp_path, "train", max_dist=100)
    _, mask = folder.load(0)
    grey = np.zeros_like(truth, bool)
    grey[5:9, 80:90] = True
    labelled = mask != IGNORE_INDEX
    assert (mask == truth)[labelled].mean() >= 0.99  # what is decoded is right
    assert labelled[~grey & ~_near_edges(truth)].mean() >= 0.99  # and only edges are left out
    assert (mask[grey] == IGNORE_INDEX).mean() > 0.9
    assert folder.far_pixels == (~labelled).sum() >= 36
    before = folder.far_pixels
    folder.load(0)
    assert folder.far_pixels == 2 * before  # a running count


@pytest.mark.parametrize("kind", ["grey", "rgba", "16bit"])
def test_grey_rgba_and_16bit_images_load_as_bgr8(tmp_path, kind):
    _split(tmp_path, names=(("", "p.png"),))
    grey = np.tile(np.arange(96, dtype=np.uint8) * 2, (72, 1))
    img = {
        "grey": grey,
        "rgba": np.dstack([grey, grey, grey, np.full_like(grey, 255)]),
        "16bit": grey.astype(np.uint16) * 257,
    }[kind]
    cv2.imwrite(str(tmp_path / "train" / "images" / "p.png"), img)
    image, mask = KitchenFolder(tmp_path, "train").load(0)
    assert image.shape == (72, 96, 3) and image.dtype == np.uint8
    assert (image[:, :, 1] == grey).all()
    assert mask.shape == (72, 96)


def test_orphans_name_the_files(tmp_path):
    _split(tmp_path, names=(("a.jpg", "a.png"), ("lonely_image.jpg", None), ("", "lonely_mask.png")))
    with pytest.raises(FoodcamError, match="lonely_image.jpg"):
        KitchenFolder(tmp_path, "train")
    (tmp_path / "train" / "images" / "lonely_image.jpg").unlink()
    with pytest.raises(FoodcamError, match="lonely_mask.png"):
        KitchenFolder(tmp_path, "train")


def test_unreadable_and_mismatched_files_are_named(tmp_path):
    _split(tmp_path, names=(("a.jpg", "a.png"), ("b.jpg", "b.png")))
    (tmp_path / "train" / "images" / "a.jpg").write_bytes(b"not a jpeg at all")
    cv2.imwrite(str(tmp_path / "train" / "masks" / "b.png"), np.zeros((10, 10, 3), np.uint8))
    folder = KitchenFolder(tmp_path, "train")
    with pytest.raises(FoodcamError, match="a.jpg"):
        folder.load(0)
    with pytest.raises(FoodcamError, match=r"b\.png.*b\.jpg"):
        folder.load(1)


def test_unlabelled_split_missing_split_and_duplicate_stems(tmp_path):
    _split(tmp_path, "test", names=(("t1.jpg", None), ("t2.jpg", None)), masks=False)
    with pytest.raises(FoodcamError, match="masks"):
        KitchenFolder(tmp_path, "test")
    folder = KitchenFolder(tmp_path, "test", require_masks=False)
    assert len(folder) == 2 and all(m is None for _, _, m in folder.items)
    assert folder.load_image(1).shape == (72, 96, 3)
    with pytest.raises(FoodcamError, match="t1.jpg"):
        folder.load(0)
    with pytest.raises(FoodcamError, match="val"):
        KitchenFolder(tmp_path, "val")
    _split(tmp_path, "train", names=(("d.jpg", "d.png"), ("D.png", None)))
    with pytest.raises(FoodcamError, match="d.jpg"):
        KitchenFolder(tmp_path, "train")


def test_scan_reports_counts_shares_and_problems(tmp_path):
    _split(tmp_path, "train", names=(("a.jpg", "a.png"), ("b.jpg", "b.png")))
    _split(tmp_path, "test", names=(("t.jpg", None),), masks=False)
    report = scan_dataset(tmp_path, progress=False)
    assert report["splits"]["train"] == {
        "images": 2, "masks": 2, "pairs": 2, "far_pixels": 0,
        "class_pixels": [*np.bincount(_labels().ravel(), minlength=3) * 2, 0],
    }
    assert report["errors"] == 0 and report["warnings"] == 1  # the unlabelled test split


def test_data_check_cli_good_data(kitchen_data, capsys):
    from foodcam.cli import main

    assert main(["data", "check", "kitchen", str(kitchen_data)]) == 0
    out = capsys.readouterr().out
    assert "no problems found" in out
    for word in ("train", "val", "test", "stirrer", "pan", "food"):
        assert word in out


def test_data_check_cli_broken_data(kitchen_data, tmp_path, capsys):
    from foodcam.cli import main

    root = tmp_path / "broken"
    shutil.copytree(kitchen_data, root)
    masks = sorted((root / "val" / "masks").iterdir())
    masks[0].unlink()
    bad = sorted((root / "train" / "images").iterdir())[0]
    bad.write_bytes(b"\xff\xd8 truncated")
    assert main(["data", "check", "kitchen", str(root)]) == 1
    out = capsys.readouterr().out
    assert f"image without a mask: {root / 'val' / 'images' / masks[0].with_suffix('.jpg').name}" in out
    assert bad.name in out and "error" in out

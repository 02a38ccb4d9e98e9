"""`foodcam data import`: files written here in each tool's own format, imported, checked pixel by pixel."""

from __future__ import annotations

import base64
import json
import shutil
import zipfile

import cv2
import numpy as np
import pytest

from foodcam.runtime.colour import decode_colour_mask
from foodcam.runtime.tasks import IGNORE_INDEX, KITCHEN
from foodcam.train.data.imports import import_annotations
from foodcam.train.data.imports.common import ImportProblems, assign_splits
from foodcam.train.data.imports.mapping import LabelMap, norm, parse_map
from foodcam.train.data.kitchen import KitchenFolder, scan_dataset
from tests.conftest import foodcam

HEAD = KITCHEN.seg_head
STIRRER, PAN, FOOD = (HEAD.classes.index(c) for c in ("stirrer", "pan", "food"))
H, W = 30, 40


def _photo(seed: int = 0) -> np.ndarray:
    """A smooth picture (JPEG keeps it close), different per seed."""
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    base = np.stack([xx * 4, yy * 6, (xx + yy) * 3], -1) + 30 * seed
    return np.clip(base + 10, 0, 255).astype(np.uint8)


def _labels(out, split, stem):
    mask, far = decode_colour_mask(cv2.imread(str(out / split / "masks" / f"{stem}.png")), HEAD)
    return mask, far


def _only_split(out, stem) -> str:
    found = [s for s in ("train", "val", "test") if (out / s / "masks" / f"{stem}.png").exists()]
    assert len(found) == 1, found
    return found[0]


# --- LabelMe -----------------------------------------------------------------------------------------------

def _labelme(path, shapes, image_path="frame.jpg", image_data=None, size=(H, W)):
    doc = {"version": "5.5.0", "flags": {}, "shapes": [
        {"label": lab, "points": pts, "group_id": None, "description": "", "shape_type": kind, "flags": {}, **extra}
        for lab, kind, pts, extra in shapes
    ], "imagePath": image_path, "imageData": image_data, "imageHeight": size[0], "imageWidth": size[1]}
    path.write_text(json.dumps(doc))


def test_labelme_shapes_are_drawn_as_labelme_draws_them(tmp_path):
    src = tmp_path / "lm"
    src.mkdir()
    cv2.imwrite(str(src / "frame.jpg"), _photo())
    small = np.zeros((4, 5), np.uint8)
    small[1:3, 1:4] = 255
    png = base64.b64encode(cv2.imencode(".png", small)[1].tobytes()).decode()
    _labelme(src / "frame.json", [
        ("Spatula", "rectangle", [[10, 8], [2, 3]], {}),  # corners in any order, inclusive
        ("rice", "polygon", [[20, 5], [30, 5], [30, 15], [20, 15]], {}),  # outline included: 20..30 x 5..15
        ("wooden_spoon", "rectangle", [[25, 8], [28, 12]], {}),  # later shapes on top of the food
        ("food", "circle", [[8, 20], [8, 23]], {}),  # radius 3
        ("ladle", "line", [[0, 27], [39, 27]], {}),  # width 3: rows 26..28
        ("Food", "mask", [[33, 2], [37, 5]], {"mask": png}),  # 5x4 box, 3x2 set pixels at +1,+1
        ("hand", "point", [[1, 1]], {}),  # no area: skipped and counted
    ])
    out = tmp_path / "out"
    report = import_annotations("labelme", src, out, parse_map("rice=food"), split="train", line_width=3,
                                progress=False)
    assert report["splits"] == {"train": 1, "val": 0, "test": 0}
    assert any("1 point shape(s) skipped" in w for w in report["warnings"])
    mask, far = _labels(out, "train", "frame")
    assert far == 0
    circle = np.zeros((7, 7), bool)
    yy, xx = np.mgrid[-3:4, -3:4]
    circle[:] = (yy**2 + xx**2) <= 9 + 3  # PIL's ellipse of radius 3: the 37 pixels of this disc
    want = np.full((H, W), PAN, np.uint8)
    want[3:9, 2:11] = STIRRER
    want[5:16, 20:31] = FOOD
    want[8:13, 25:29] = STIRRER
    want[17:24, 5:12][circle] = FOOD
    want[26:29, :] = STIRRER
    want[3:5, 34:37] = FOOD
    assert circle.sum() == 37
    np.testing.assert_array_equal(mask, want)
    # the JPEG is copied byte for byte, not re-encoded
    assert (out / "train" / "images" / "frame.jpg").read_bytes() == (src / "frame.jpg").read_bytes()
    # this one frame is drawn mostly with tools (stirrer 16 % of pixels, food 12 %), so the data check's
    # red/blue-swap heuristic (train/data/kitchen.py) fires on it; nothing else may be wrong
    problems = scan_dataset(out, progress=False)["problems"]
    assert [p for p in problems if "red/blue swapped" not in p["message"]] == []


def test_labelme_embedded_image_data_and_windows_paths(tmp_path):
    src = tmp_path / "lm"
    (src / "sub").mkdir(parents=True)
    ok, png = cv2.imencode(".png", _photo(1))
    _labelme(src / "sub" / "a.json", [("stirrer", "polygon", [[1, 1], [5, 1], [5, 5]], {})],
             image_path="C:\\Users\\me\\gone.png", image_data=base64.b64encode(png.tobytes()).decode())
    (src / "sub" / "pics").mkdir()
    cv2.imwrite(str(src / "sub" / "pics" / "b.png"), _photo(2))
    _labelme(src / "sub" / "b.json", [], image_path="pics\\b.png")  # no shapes: all background
    out = tmp_path / "out"
    import_annotations("labelme", src, out, split="val", progress=False)
    folder = KitchenFolder(out, "val")
    assert folder.stems == ["sub_a", "sub_b"]
    image, mask = folder.load(0)
    assert np.abs(image.astype(int) - _photo(1)).mean() < 3  # PNG re-encoded once as JPEG q95
    assert mask[3, 4] == STIRRER and mask[20, 20] == PAN
    assert (folder.load(1)[1] == PAN).all()


def test_labelme_problems_are_each_named_with_their_file_and_nothing_is_written(tmp_path, capsys):
    src = tmp_path / "lm"
    src.mkdir()
    cv2.imwrite(str(src / "a.jpg"), _photo())
    _labelme(src / "a.json", [("tofu", "polygon", [[1, 1], [5, 1], [5, 5]], {}),
                              ("spatula", "polygon", [[1, 1], [5, 1]], {}),
                              ("spatula", "cuboid", [[1, 1], [5, 1]], {})])
    _labelme(src / "b.json", [("garnish", "rectangle", [[1, 1], [5, 5]], {})], image_path="missing.jpg")
    cv2.imwrite(str(src / "c.jpg"), _photo())
    _labelme(src / "c.json", [], image_path="c.jpg", size=(H + 1, W))
    (src / "d.json").write_text("{not json")
    out = tmp_path / "out"
    rc = foodcam("data", "import", "labelme", src, "--out", out)
    err = capsys.readouterr().err
    assert rc == 2 and "nothing written" in err
    assert not out.exists() or not any(out.rglob("*.png"))
    for needle in ("label 'tofu' has no mapping", "label 'garnish' has no mapping", "has 2 points, expected 3+",
                   "unsupported shape_type 'cuboid'", "missing.jpg not found", "annotation is for a 40x31 image",
                   "not readable JSON"):
        assert needle in err, needle
    assert str(src / "a.json") in err and str(src / "d.json") in err
    # the fix: map what is unmapped, and the rest imports
    for f in ("b.json", "d.json"):
        (src / f).unlink()
    _labelme(src / "a.json", [("tofu", "polygon", [[1, 1], [5, 1], [5, 5]], {})])
    _labelme(src / "c.json", [], image_path="c.jpg")
    assert foodcam("data", "import", "labelme", src, "--out", out, "--map", "tofu=ignore") == 0
    assert sum(1 for _ in out.rglob("*.png")) == 2
    split = _only_split(out, "a")
    assert (_labels(out, split, "a")[0] == PAN).all()  # ignored: not drawn


# --- COCO --------------------------------------------------------------------------------------------------

def _rle_str(mask: np.ndarray) -> dict:
    from pycocotools import mask as cmask

    rle = cmask.encode(np.asfortranarray(mask.astype(np.uint8)))
    return {"size": rle["size"], "counts": rle["counts"].decode("ascii")}


def _rle_list(mask: np.ndarray) -> dict:
    """Uncompressed RLE (iscrowd style): run lengths over the column-major pixels, starting with zeros."""
    flat = mask.astype(np.uint8).flatten(order="F")
    counts, value, run = [], 0, 0
    for v in flat:
        if v != value:
            counts.append(run)
            value, run = v, 0
        run += 1
    counts.append(run)
    return {"size": list(mask.shape), "counts": counts}


def test_coco_polygons_and_both_rle_forms_with_sparse_category_ids(tmp_path):
    root = tmp_path / "coco"
    (root / "images").mkdir(parents=True)
    cv2.imwrite(str(root / "images" / "k1.png"), _photo(3))
    cv2.imwrite(str(root / "images" / "k2.jpg"), _photo(4))
    blob = np.zeros((H, W), bool)
    blob[10:20, 5:15] = True
    blob[12, 30] = True
    crowd = np.zeros((H, W), bool)
    crowd[0:4, 0:40] = True
    doc = {
        "images": [{"id": 11, "file_name": "k1.png", "height": H, "width": W},
                   {"id": 12, "file_name": "k2.jpg", "height": H, "width": W}],
        "categories": [{"id": 7, "name": "Wok"}, {"id": 42, "name": "curry"}, {"id": 3, "name": "Chopsticks"}],
        "annotations": [
            {"id": 1, "image_id": 11, "category_id": 42, "segmentation": _rle_str(blob), "iscrowd": 0},
            {"id": 2, "image_id": 11, "category_id": 3, "segmentation": [[2, 2, 10, 2, 10, 8, 2, 8]], "iscrowd": 0},
            {"id": 3, "image_id": 11, "category_id": 3, "segmentation": _rle_list(crowd), "iscrowd": 1},
            {"id": 4, "image_id": 12, "category_id": 7, "segmentation": [], "bbox": [0, 0, 5, 5]},
        ],
    }
    (root / "annotations").mkdir()
    (root / "annotations" / "instances_default.json").write_text(json.dumps(doc))
    out = tmp_path / "out"
    rc = foodcam("data", "import", "coco", root / "annotations" / "instances_default.json", "--out", out,
                 "--map", "curry=food", "--split", "test")
    assert rc == 0
    mask, _ = _labels(out, "test", "k1")
    want = np.full((H, W), PAN, np.uint8)
    want[blob] = FOOD
    want[2:8, 2:10] = STIRRER  # COCO polygons are in pixel-edge coordinates: 2..10 covers pixels 2..9
    want[crowd] = STIRRER
    np.testing.assert_array_equal(mask, want)
    assert (_labels(out, "test", "k2")[0] == PAN).all()  # box-only annotation skipped
    assert scan_dataset(out, progress=False)["errors"] == 0


def test_coco_bad_references_are_named(tmp_path, capsys):
    root = tmp_path / "c"
    root.mkdir()
    cv2.imwrite(str(root / "a.jpg"), _photo())
    doc = {"images": [{"id": 1, "file_name": "a.jpg", "height": H, "width": W},
                      {"id": 2, "file_name": "gone.jpg", "height": H, "width": W}],
           "categories": [{"id": 1, "name": "food"}],
           "annotations": [{"id": 5, "image_id": 1, "category_id": 9, "segmentation": [[0, 0, 4, 0, 4, 4]]},
                           {"id": 6, "image_id": 3, "category_id": 1, "segmentation": [[0, 0, 4, 0, 4, 4]]},
                           {"id": 7, "image_id": 1, "category_id": 1, "segmentation": {"size": [2, 2], "counts": [4]}}]}
    (root / "ann.json").write_text(json.dumps(doc))
    assert foodcam("data", "import", "coco", root / "ann.json", "--out", tmp_path / "o") == 2
    err = capsys.readouterr().err
    for needle in ("category_id 9 is not in 'categories'", "image_id 3 is not in 'images'", "gone.jpg not found",
                   "RLE size [2, 2] but the image is 30x40"):
        assert needle in err, needle
    assert str(root / "ann.json") in err


# --- CVAT Segmentation mask 1.1 ------------------------------------------------------------------------------

LABELMAP = """# label:color_rgb:parts:actions
background:0,0,0::
spatula:250,50,83::
curry:51,221,255::
wok:245,147,49::
steam:200,200,200::
"""


def _cvat_export(root, names=("frame_000", "cam2/frame_001"), images=True, palette=False):
    (root / "ImageSets" / "Segmentation").mkdir(parents=True)
    (root / "labelmap.txt").write_text(LABELMAP)
    (root / "ImageSets" / "Segmentation" / "default.txt").write_text("\n".join(names) + "\n")
    masks = {}
    for i, name in enumerate(names):
        rgb = np.zeros((H, W, 3), np.uint8)  # background
        rgb[:, 20:] = (245, 147, 49)  # wok on the right half
        rgb[10:20, 25:35] = (51, 221, 255)  # curry in the wok
        rgb[0:30, 30:32] = (250, 50, 83)  # a spatula across it
        rgb[0:3, 0:3] = (200, 200, 200)  # steam
        path = root / "SegmentationClass" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if palette:  # CVAT/VOC masks may be indexed PNGs
            from PIL import Image

            cols = [(0, 0, 0), (250, 50, 83), (51, 221, 255), (245, 147, 49), (200, 200, 200)]
            idx = np.zeros((H, W), np.uint8)
            for k, c in enumerate(cols):
                idx[(rgb == c).all(-1)] = k
            img = Image.fromarray(idx, mode="P")
            img.putpalette([v for c in cols for v in c] + [0] * (768 - 3 * len(cols)))
            img.save(path)
        else:
            cv2.imwrite(str(path), rgb[:, :, ::-1])
        if images:
            (root / "JPEGImages" / name).parent.mkdir(parents=True, exist_ok=True)
            cv2.imwrite(str(root / "JPEGImages" / f"{name}.jpg"), _photo(i))
        want = np.full((H, W), PAN, np.uint8)
        want[10:20, 25:35] = FOOD
        want[0:30, 30:32] = STIRRER
        want[0:3, 0:3] = IGNORE_INDEX  # steam=void
        masks[name] = want
    return masks


@pytest.mark.parametrize("palette", [False, True])
def test_cvat_zip_export_with_images(tmp_path, palette):
    root = tmp_path / "export"
    masks = _cvat_export(root, palette=palette)
    zpath = tmp_path / "task_kitchen.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        for p in sorted(root.rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(root))
    out = tmp_path / "out"
    assert foodcam("data", "import", "cvat", zpath, "--out", out, "--map", "curry=food,steam=void") == 0
    for name, stem in (("frame_000", "frame_000"), ("cam2/frame_001", "cam2_frame_001")):
        split = _only_split(out, stem)
        mask, far = _labels(out, split, stem)
        np.testing.assert_array_equal(mask, masks[name])
        assert far == 9  # the void pixels are black: no class
    # 2 frames, auto split: one train, one val
    assert {_only_split(out, "frame_000"), _only_split(out, "cam2_frame_001")} == {"train", "val"}


def test_cvat_folder_without_images_needs_images_dir(tmp_path, capsys):
    root = tmp_path / "export"
    _cvat_export(root, names=("f0",), images=False)
    out = tmp_path / "out"
    assert foodcam("data", "import", "cvat", root, "--out", out, "--map", "curry=food,steam=void") == 2
    assert "export with 'Save images' or pass --images DIR" in capsys.readouterr().err
    pics = tmp_path / "pics"
    pics.mkdir()
    cv2.imwrite(str(pics / "f0.png"), _photo())
    assert foodcam("data", "import", "cvat", root, "--out", out, "--images", pics, "--map", "curry=food,steam=void",
                   "--split", "train") == 0
    # a colour not in labelmap.txt is named with its mask
    bad = cv2.imread(str(root / "SegmentationClass" / "f0.png"))
    bad[5, 5] = (1, 2, 3)
    cv2.imwrite(str(root / "SegmentationClass" / "f0.png"), bad)
    shutil.rmtree(out)
    assert foodcam("data", "import", "cvat", root, "--out", out, "--images", pics, "--map", "curry=food,steam=void") == 2
    err = capsys.readouterr().err
    assert "SegmentationClass/f0.png: 1 pixels have colours not in labelmap.txt: (3,2,1)" in err


# --- mapping, splits, refusing to overwrite ------------------------------------------------------------------

def test_label_map_defaults_overrides_and_fallback():
    m = LabelMap(parse_map("Tofu = food, *=ignore"))
    assert m.target("SPATULA") == "stirrer" and m.target("Wooden-Spoon") == "stirrer"
    assert m.target("wok") == "pan" and m.target("_background_") == "background" and m.target("hand") == "background"
    assert m.target("tofu") == "food" and m.target("anything else") == "ignore"
    assert LabelMap().target("anything else") is None
    assert norm("  Frying__Pan ") == "frying pan"
    with pytest.raises(Exception, match="unknown target 'lid'"):
        LabelMap(parse_map("pot=lid"))
    with pytest.raises(Exception, match="expected LABEL=TARGET"):
        parse_map("spatula")


def test_auto_split_is_seeded_and_keeps_a_val_frame():
    stems = [f"f{i}" for i in range(20)]
    a, b = assign_splits(stems, "auto", 0), assign_splits(list(reversed(stems)), "auto", 0)
    assert a == b
    counts = {s: list(a.values()).count(s) for s in ("train", "val", "test")}
    assert counts == {"train": 12, "val": 4, "test": 4}
    assert sorted(assign_splits(["x", "y"], "auto").values()) == ["train", "val"]
    assert assign_splits(["x"], "auto") == {"x": "train"}


def test_refuses_to_overwrite_existing_frames(tmp_path, capsys):
    src = tmp_path / "lm"
    src.mkdir()
    cv2.imwrite(str(src / "a.jpg"), _photo())
    _labelme(src / "a.json", [], image_path="a.jpg")
    out = tmp_path / "out"
    assert foodcam("data", "import", "labelme", src, "--out", out, "--split", "train") == 0
    before = (out / "train" / "masks" / "a.png").read_bytes()
    assert foodcam("data", "import", "labelme", src, "--out", out, "--split", "val") == 2
    assert "already exists; import into a new folder" in capsys.readouterr().err
    assert (out / "train" / "masks" / "a.png").read_bytes() == before
    assert not (out / "val").exists()
    with pytest.raises(ImportProblems):
        import_annotations("labelme", src, out, progress=False)

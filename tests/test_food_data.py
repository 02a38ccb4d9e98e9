"""Reading FoodSeg103 and AIcrowd (COCO) folders as downloaded, quirks included; `foodcam data check`.

The fixture folders are built here by hand in the exact real layouts (not by the generator), with the
quirks real downloads have: CRLF / trailing spaces / a blank last line in category_id.txt, 255 ignore
pixels, non-contiguous COCO category ids, polygon and RLE segmentations, images without annotations,
annotations naming missing images, recorded sizes that disagree with the file, unreadable files.
"""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from conftest import foodcam

from foodcam.runtime.errors import FoodcamError
from foodcam.train.data.food import open_food_data

mask_utils = pytest.importorskip("pycocotools.mask")


def _jpg(path, w=40, h=30, colour=(60, 120, 180)):
    path.parent.mkdir(parents=True, exist_ok=True)
    img = np.zeros((h, w, 3), np.uint8)
    img[:] = colour
    assert cv2.imwrite(str(path), img)


@pytest.fixture()
def foodseg_root(tmp_path):
    """FoodSeg103/ inside an outer folder (the zip's), with every quirk."""
    root = tmp_path / "outer" / "FoodSeg103"
    (root).mkdir(parents=True)
    # BOM, CRLF, trailing spaces, a name with spaces, an empty last line
    (root / "category_id.txt").write_bytes(
        "\ufeff0\tbackground\r\n1\tcandy \r\n2\tegg tart\t\r\n3\tfrench fries  \r\n\r\n".encode("utf-8"))
    img, ann = root / "Images" / "img_dir", root / "Images" / "ann_dir"
    for split, stems in (("train", ["a", "b", "c", "bad_id", "small_mask", "broken"]), ("test", ["t1"])):
        for s in stems:
            _jpg(img / split / f"{s}.jpg")
            m = np.zeros((30, 40), np.uint8)
            m[5:15, 5:20] = 1
            m[15:25, 20:35] = 3 if s != "b" else 2
            m[0:2, :] = 255  # ignore
            if s == "bad_id":
                m[20:22, 0:4] = 77  # not in the category list
            if s == "small_mask":
                m = m[:20, :30]
            (ann / split).mkdir(parents=True, exist_ok=True)
            cv2.imwrite(str(ann / split / f"{s}.png"), m)
    (img / "train" / "broken.jpg").write_bytes(b"not a jpeg")
    _jpg(img / "train" / "orphan.jpg")  # image without annotation
    cv2.imwrite(str(ann / "train" / "lonely.png"), np.zeros((30, 40), np.uint8))  # annotation without image
    return root


def test_foodseg103_read_as_downloaded(foodseg_root):
    for where in (foodseg_root, foodseg_root.parent):  # ROOT and the zip's outer folder ROOT/..
        data = open_food_data(where)
        assert data.format == "foodseg103" and data.root == foodseg_root
        assert data.classes == ["background", "candy", "egg tart", "french fries"]
    train = data.split("train")
    assert data.split("val").name == "test"  # FoodSeg103 has no val: its test split stands in
    names = [train.path(i).stem for i in range(len(train))]
    assert names == ["a", "b", "bad_id", "broken", "c", "small_mask"]
    bgr, mask = train.load(names.index("a"))
    assert bgr.shape == (30, 40, 3) and mask.dtype == np.uint8
    assert mask[10, 10] == 1 and mask[20, 30] == 3 and mask[0, 0] == 255 and mask[28, 2] == 0
    with pytest.raises(FoodcamError, match=r"bad_id.png: class id\(s\) \[77\] not in the category list"):
        train.load(names.index("bad_id"))
    with pytest.raises(FoodcamError, match=r"small_mask.png: annotation is 30x20 but its image is 40x30"):
        train.load(names.index("small_mask"))
    with pytest.raises(FoodcamError, match="broken.jpg"):
        train.load(names.index("broken"))
    problems = {(p.file.split("/")[-1], p.message) for p in train.problems}
    assert ("orphan.jpg", "image without annotation (skipped)") in problems
    assert ("lonely.png", "annotation without image (skipped)") in problems


def test_data_check_foodseg_names_every_problem(foodseg_root, capsys):
    assert foodcam("data", "check", "foodseg", foodseg_root.parent) == 1  # errors -> exit 1
    out = capsys.readouterr().out
    assert "train  3 usable of 6 images" in out
    assert "bad_id.png: class id(s) [77] not in the category list" in out
    assert "small_mask.png: annotation is 30x20 but its image is 40x30" in out
    assert "broken.jpg" in out and "orphan.jpg: image without annotation" in out
    assert "egg tart" in out and "french fries" in out
    assert "absent from test: egg tart" in out  # class present in train only


def test_training_dataset_skips_bad_files(foodseg_root, caplog):
    from foodcam.runtime.tasks import food_segmentation_task
    from foodcam.train.food_data import FoodDataset

    data = open_food_data(foodseg_root)
    task = food_segmentation_task(data.classes, "multi", (32, 32))
    ds = FoodDataset(data.split("train"), task)
    seen = [ds[i] for i in range(len(ds))]  # never raises
    assert len(seen) == 6 and len(ds.folder.bad) == 3
    x, t = seen[0]
    assert x.shape == (3, 32, 32) and t["mask"].shape == (32, 32)
    assert t["ingredients"].tolist() == [1.0, 0.0, 1.0]  # candy and french fries on image "a"
    assert "skipped" in caplog.text


def _coco_doc(cats, images, anns):
    return {"images": images, "annotations": anns, "categories": cats}


@pytest.fixture()
def coco_root(tmp_path):
    root = tmp_path / "aicrowd"
    cats = [{"id": 2578, "name": "water", "name_readable": "Water", "supercategory": "food"},
            {"id": 1040, "name": "salad-leaf", "name_readable": "Salad, leaf / salad, green", "supercategory": "food"},
            {"id": 50, "name": "bread-white", "name_readable": "Bread, white", "supercategory": "food"}]
    # train: polygon, compressed RLE, uncompressed RLE; an image without annotations; a listed image that is
    # missing; an annotation naming an unlisted image; a recorded size that disagrees with the file
    for f, w, h in (("p.jpg", 40, 30), ("r.jpg", 40, 30), ("empty.jpg", 40, 30), ("wrongsize.jpg", 40, 30)):
        _jpg(root / "train" / "images" / f, w, h)
    rle_mask = np.zeros((30, 40), np.uint8, order="F")
    rle_mask[10:20, 10:30] = 1
    rle = mask_utils.encode(np.asfortranarray(rle_mask))
    rle["counts"] = rle["counts"].decode("ascii")
    small = np.zeros((15, 20), np.uint8)
    small[0:5, 0:10] = 1  # recorded at half size: scaled onto the file
    images = [{"id": 1, "file_name": "p.jpg", "width": 40, "height": 30},
              {"id": 2, "file_name": "r.jpg", "width": 40, "height": 30},
              {"id": 3, "file_name": "empty.jpg", "width": 40, "height": 30},
              {"id": 4, "file_name": "missing.jpg", "width": 40, "height": 30},
              {"id": 5, "file_name": "wrongsize.jpg", "width": 80, "height": 60}]
    anns = [
        {"id": 1, "image_id": 1, "category_id": 1040, "segmentation": [[5, 5, 25, 5, 25, 20, 5, 20]],
         "area": 300.0, "bbox": [5, 5, 20, 15], "iscrowd": 0},
        {"id": 2, "image_id": 1, "category_id": 50, "segmentation": [[10, 8, 14, 8, 14, 12, 10, 12]],
         "area": 16.0, "bbox": [10, 8, 4, 4], "iscrowd": 0},
        {"id": 3, "image_id": 2, "category_id": 2578, "segmentation": rle, "area": 200.0, "bbox": [10, 10, 20, 10],
         "iscrowd": 0},
        {"id": 4, "image_id": 2, "category_id": 50, "segmentation": {"size": [15, 20], "counts":
         mask_utils.encode(np.asfortranarray(small))["counts"].decode("ascii")}, "area": 50.0, "bbox": [0, 0, 10, 5],
         "iscrowd": 0},
        {"id": 5, "image_id": 4, "category_id": 50, "segmentation": [[1, 1, 5, 1, 5, 5]], "area": 8.0,
         "bbox": [1, 1, 4, 4], "iscrowd": 0},
        {"id": 6, "image_id": 99, "category_id": 50, "segmentation": [[1, 1, 5, 1, 5, 5]], "area": 8.0,
         "bbox": [1, 1, 4, 4], "iscrowd": 0},
        {"id": 7, "image_id": 5, "category_id": 1040, "segmentation": [[0, 0, 39, 0, 39, 29, 0, 29]],
         "area": 1200.0, "bbox": [0, 0, 40, 30], "iscrowd": 0},
    ]
    (root / "train" / "annotations.json").write_text(json.dumps(_coco_doc(cats, images, anns)))
    _jpg(root / "val" / "images" / "v.jpg")
    uncompressed = {"size": [30, 40], "counts": [300, 100, 800]}  # column-major runs: bg, food, bg
    (root / "val" / "annotations.json").write_text(json.dumps(_coco_doc(
        cats, [{"id": 7, "file_name": "v.jpg", "width": 40, "height": 30}],
        [{"id": 9, "image_id": 7, "category_id": 2578, "segmentation": uncompressed, "area": 100.0,
          "bbox": [10, 0, 4, 30], "iscrowd": 0}])))
    _jpg(root / "val" / "images" / "unlisted.jpg")
    return root


def test_coco_read_as_downloaded(coco_root):
    data = open_food_data(coco_root)
    assert data.format == "coco"
    # contiguous class index = rank of the category id; readable names
    assert data.classes == ["background", "Bread, white", "Salad, leaf / salad, green", "Water"]
    train = data.split("train")
    assert [train.path(i).name for i in range(len(train))] == ["p.jpg", "r.jpg", "empty.jpg", "wrongsize.jpg"]
    _, m = train.load(0)
    assert m[15, 6] == 2 and m[10, 12] == 1 and m[25, 35] == 0  # small bread painted over the salad
    _, m = train.load(1)
    assert m[15, 20] == 3 and m[2, 5] == 1 and m[12, 25] == 3  # RLE + half-size RLE scaled onto the file
    _, m = train.load(2)
    assert not m.any()  # an image without annotations: all background
    bgr, m = train.load(3)
    assert m.shape == bgr.shape[:2] == (30, 40)  # decoded at the file's size
    assert train.areas(0) == {2: 300.0, 1: 16.0}
    problems = {(p.file.split("/")[-1], p.message.split(" (")[0]) for p in train.problems}
    assert ("missing.jpg", "listed in annotations.json") in {(f, m[:26]) for f, m in problems}
    assert any("names image id 99 that is not listed" in p.message for p in train.problems)
    val = data.split("val")
    _, m = val.load(0)
    assert m.sum() == 100 * 3 and (m[:, 10] == 3).all()  # uncompressed RLE, column-major
    assert any(p.file.endswith("unlisted.jpg") for p in val.problems)
    assert data.split("test").name == "val"


def test_data_check_coco(coco_root, capsys):
    assert foodcam("data", "check", "coco", coco_root) == 1  # an annotation without image is an error
    out = capsys.readouterr().out
    assert "annotations.json records 80x60 but the file is 40x30" in out
    assert "names image id 99 that is not listed" in out
    assert "missing.jpg" in out and "unlisted.jpg" in out
    assert "Water" in out and "train  4 usable of 4 images" in out


def test_layout_errors(tmp_path, foodseg_root):
    with pytest.raises(FoodcamError, match="neither a FoodSeg103 folder"):
        open_food_data(tmp_path / "outer" / "FoodSeg103" / "Images")
    with pytest.raises(FoodcamError, match="this is a foodseg103 folder, not coco"):
        from foodcam.train.data.food_report import check

        check(foodseg_root, "coco")

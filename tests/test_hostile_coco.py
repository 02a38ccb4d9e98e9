"""Hostile COCO files: every value is checked before pycocotools sees it (train/data/coco_check.py).

Each file is written here as raw JSON text (Infinity, NaN and 5,000-digit integers are not something json.dumps
writes), run through `foodcam data import coco` and `foodcam data check coco` in a child process capped at
3 GB and 120 s: a runaway allocation or a hang fails the test instead of taking the machine down.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from capped import run_cli

pytest.importorskip("pycocotools")

IMG = '{"id": 1, "file_name": "a.jpg", "height": 30, "width": 40}'
CAT = '{"id": 1, "name": "food"}'


def _doc(segm: str = "[[0, 0, 4, 0, 4, 4]]", image: str = IMG, ann_extra: str = "", cat: str = CAT) -> str:
    return ('{"images": [' + image + '], "categories": [' + cat + '], "annotations": [{"id": 5, "image_id": 1, '
            '"category_id": 1, ' + ann_extra + '"segmentation": ' + segm + "}]}")


HOSTILE = {
    "polygon Infinity": (_doc("[[0, 0, Infinity, 0, 4, 4]]"), "finite number"),
    "polygon NaN": (_doc("[[0, 0, NaN, 0, 4, 4]]"), "finite number"),
    "polygon 1e300": (_doc("[[0, 0, 1e300, 0, 4, 4]]"), "far outside"),
    "polygon 1e9": (_doc("[[0, 0, 1000000000, 0, 4, 4]]"), "far outside"),
    "id Infinity": (_doc(image=IMG.replace('"id": 1', '"id": Infinity')), "finite number"),
    "image id 1.5": (_doc(image=IMG.replace('"id": 1', '"id": 1.5')), "integer 'id'"),
    "RLE counts strings": (_doc('{"size": [30, 40], "counts": ["600", "600"]}'), "RLE counts must be integers"),
    "RLE counts negative": (_doc('{"size": [30, 40], "counts": [1300, -100]}'), "RLE counts must be integers"),
    "RLE size huge": (_doc('{"size": [100000, 100000], "counts": [1]}'), "RLE size must be"),
    "compressed RLE overrun": (_doc('{"size": [30, 40], "counts": "0g`0"}'), "compressed RLE"),
    "5000-digit integer": (_doc(image=IMG.replace('"height": 30', '"height": ' + "9" * 5000)), "not valid JSON"),
    "very deep JSON": (_doc("[" * 5000 + "]" * 5000), "nests"),
    "height 1e12": (_doc(image=IMG.replace('"height": 30', '"height": 1000000000000')), "height and width"),
}


@pytest.fixture(scope="module")
def image_jpg(tmp_path_factory):
    folder = tmp_path_factory.mktemp("img")
    cv2.imwrite(str(folder / "a.jpg"), np.full((30, 40, 3), 120, np.uint8))
    return folder / "a.jpg"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_coco_import_is_refused_in_one_line(name, image_jpg, tmp_path):
    text, needle = HOSTILE[name]
    (tmp_path / "a.jpg").write_bytes(image_jpg.read_bytes())
    (tmp_path / "ann.json").write_text(text)
    r = run_cli("data", "import", "coco", tmp_path / "ann.json", "--out", tmp_path / "out")
    assert r.clean, (r.verdict, r.err[-2000:])
    assert r.rc == 2 and needle in r.err, r.err[-2000:]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.png"))
    assert max(len(line) for line in r.err.splitlines()) < 400


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_coco_data_check_names_the_problem(name, image_jpg, tmp_path):
    text, needle = HOSTILE[name]
    root = tmp_path / "aicrowd"
    (root / "train" / "images").mkdir(parents=True)
    (root / "train" / "images" / "a.jpg").write_bytes(image_jpg.read_bytes())
    (root / "train" / "annotations.json").write_text(text)
    r = run_cli("data", "check", "coco", root)
    assert r.clean, (r.verdict, r.err[-2000:])
    assert r.rc in (1, 2) and needle.split()[0].lower() in (r.out + r.err).lower(), (r.out + r.err)[-2000:]


def test_a_sound_coco_file_still_imports(image_jpg, tmp_path):
    (tmp_path / "a.jpg").write_bytes(image_jpg.read_bytes())
    rle = '{"size": [30, 40], "counts": [300, 100, 800]}'
    (tmp_path / "ann.json").write_text(_doc(rle))
    r = run_cli("data", "import", "coco", tmp_path / "ann.json", "--out", tmp_path / "out", "--map", "food=food")
    assert r.verdict == "exit" and r.rc == 0, r.err[-2000:]

"""Hostile annotation exports: every problem is a line naming its file, never a traceback (`foodcam data import`).

CVAT zips are unpacked with limits (files, bytes, expansion ratio) and a damaged one is named; text files that
are not UTF-8, LabelMe values of the wrong type, and file names that are not UTF-8 printed to a strict UTF-8
stdout. Each export is written here and imported by the CLI in a child process capped at 3 GB and 120 s.
"""

from __future__ import annotations

import json
import os
import zipfile

import cv2
import pytest
from capped import run_cli
from test_data_import import _cvat_export, _photo


def _labelme(path, shapes):
    """A LabelMe JSON for frame.jpg (40x30) with these raw shape objects."""
    path.write_text(json.dumps({"version": "5.4.1", "flags": {}, "shapes": shapes, "imagePath": "frame.jpg",
                                "imageData": None, "imageHeight": 30, "imageWidth": 40}))


def _zip(folder, zpath, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(zpath, "w", compression) as z:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(folder))
    return zpath


def _import(fmt, src, tmp_path, *extra, env=None):
    r = run_cli("data", "import", fmt, src, "--out", tmp_path / "out", "--map", "*=ignore", *extra, env=env)
    assert r.clean, (r.verdict, r.err[-2000:])
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.png"))
    return r


def test_a_cvat_zip_with_a_bad_crc_is_named(tmp_path):
    _cvat_export(tmp_path / "x")
    zpath = _zip(tmp_path / "x", tmp_path / "task.zip", zipfile.ZIP_STORED)
    data = bytearray(zpath.read_bytes())
    i = data.index(b"# label:color_rgb")  # labelmap.txt, stored: its bytes are in the zip as they are
    data[i + 2] ^= 0x20
    zpath.write_bytes(bytes(data))
    r = _import("cvat", zpath, tmp_path)
    assert r.rc == 2 and f"{zpath}: damaged zip" in r.err and "CRC" in r.err, r.err[-1500:]


def test_a_zip_bomb_is_refused_before_unpacking(tmp_path):
    _cvat_export(tmp_path / "x")
    (tmp_path / "x" / "JPEGImages" / "padding.bin").write_bytes(bytes(64 << 20))  # 64 MiB of zeros: ~1000x
    zpath = _zip(tmp_path / "x", tmp_path / "task.zip")
    r = _import("cvat", zpath, tmp_path)
    assert r.rc == 2 and "zip bomb" in r.err and "padding.bin" in r.err, r.err[-1500:]


def test_a_labelmap_that_is_not_utf8_is_named(tmp_path):
    _cvat_export(tmp_path / "x")
    (tmp_path / "x" / "labelmap.txt").write_bytes(b"spatula\xff\xfe:250,50,83::\n")
    r = _import("cvat", tmp_path / "x", tmp_path)
    assert r.rc == 2 and "labelmap.txt: not UTF-8 text (byte 0xff" in r.err, r.err[-1500:]


def test_an_image_list_that_is_not_utf8_is_named(tmp_path):
    _cvat_export(tmp_path / "x")
    (tmp_path / "x" / "ImageSets" / "Segmentation" / "default.txt").write_bytes(b"frame_000\n\xc3\x28\n")
    r = _import("cvat", tmp_path / "x", tmp_path)
    assert r.rc == 2 and "default.txt: not UTF-8 text" in r.err, r.err[-1500:]


LABELME_BAD = {
    "shape_type a list": {"label": "food", "points": [[0, 0], [5, 0], [5, 5]], "shape_type": ["polygon"]},
    "points as objects": {"label": "food", "points": [{"x": 0, "y": 0}, {"x": 5, "y": 0}, {"x": 5, "y": 5}],
                          "shape_type": "polygon"},
    "points huge": {"label": "food", "points": [[0, 0], [1e300, 0], [5, 5]], "shape_type": "polygon"},
    "circle huge": {"label": "food", "points": [[0, 0], [10 ** 30, 0]], "shape_type": "circle"},
    "points 400 digits": {"label": "food", "points": [[0, 0], [10 ** 400, 0], [5, 5]], "shape_type": "polygon"},
}


@pytest.mark.parametrize("name", sorted(LABELME_BAD))
def test_labelme_shapes_of_the_wrong_type_are_named(name, tmp_path):
    folder = tmp_path / "lm"
    folder.mkdir()
    cv2.imwrite(str(folder / "frame.jpg"), _photo())
    _labelme(folder / "a.json", [LABELME_BAD[name]])
    r = _import("labelme", folder, tmp_path)
    assert r.rc == 2 and "a.json: shape 0" in r.err, r.err[-1500:]


@pytest.mark.parametrize(("key", "value"), [("imageHeight", "Infinity"), ("imageHeight", "1e300"),
                                            ("imageData", "[1, 2]"), ("imagePath", '"a\\u0000b.jpg"'),
                                            ("imagePath", "{}"), ("shapes", "[" * 3000 + "]" * 3000)])
def test_labelme_documents_of_the_wrong_type_are_named(key, value, tmp_path):
    folder = tmp_path / "lm"
    folder.mkdir()
    cv2.imwrite(str(folder / "frame.jpg"), _photo())
    _labelme(folder / "a.json", [{"label": "food", "points": [[0, 0], [5, 0], [5, 5]], "shape_type": "polygon"}])
    doc = json.loads((folder / "a.json").read_text())
    doc[key] = "@@"
    (folder / "a.json").write_text(json.dumps(doc).replace('"@@"', value))
    r = _import("labelme", folder, tmp_path)
    assert r.rc == 2 and "a.json" in r.err, r.err[-1500:]


def test_file_names_that_are_not_utf8_reach_a_strict_utf8_stdout(tmp_path):
    raw = os.fsencode(tmp_path) + b"/caf\xe9"  # Latin-1 e-acute: not UTF-8
    os.mkdir(raw)
    folder = tmp_path / os.fsdecode(b"caf\xe9")
    with open(raw + b"/frame.jpg", "wb") as f:  # (OpenCV's imwrite crashes on a path that is not UTF-8)
        f.write(cv2.imencode(".jpg", _photo())[1].tobytes())
    _labelme(folder / "frame.json", [{"label": "food", "points": [[2, 2], [20, 2], [20, 20]], "shape_type": "polygon"}])
    r = run_cli("data", "import", "labelme", folder, "--out", tmp_path / "out", "--map", "food=food",
                env={"PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"})
    assert r.clean and r.rc == 0, (r.verdict, r.err[-2000:])
    assert "imported 1 images from" in r.out and "caf\\udce9" in r.out, r.out

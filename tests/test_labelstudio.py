"""Label Studio without a server: the brush RLE codec, the labelling config, pre-annotated tasks from a model,
and the importer on hand-written exports (the round trip through a real server: test_labelstudio_server.py)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import cv2
import numpy as np
import pytest

from foodcam.runtime.colour import decode_colour_mask
from foodcam.runtime.tasks import FRESHNESS, KITCHEN
from foodcam.train.data.labelstudio import rle
from foodcam.train.data.labelstudio.labelconfig import label_config
from tests.conftest import foodcam

HEAD = KITCHEN.seg_head
STIRRER, PAN, FOOD = (HEAD.classes.index(c) for c in ("stirrer", "pan", "food"))
H, W = 16, 20  # tests/tiny_onnx.py's segmentation input: masks come back at frame size unchanged


# --- brush RLE --------------------------------------------------------------------------------------------

def test_rle_matches_label_studios_own_encoder_on_known_masks():
    # bytes written by label_studio_sdk.converter.brush.mask2rle for the same masks
    assert rle.encode_mask(np.array([[0, 1]], bool)) == [0, 0, 0, 8, 57, 27, 252, 96, 17, 255, 128]
    assert rle.encode_mask(np.ones((1, 300), bool)) == [0, 0, 4, 176, 57, 27, 255, 4, 175, 255, 0]
    assert rle.decode_mask([0, 0, 4, 176, 57, 27, 255, 4, 175, 255, 0], 1, 300).all()


@pytest.mark.parametrize("shape", [(1, 1), (7, 3), (64, 48), (300, 300)])
def test_rle_round_trip(shape):
    rng = np.random.default_rng(sum(shape))
    noisy = rng.random(shape) > 0.5
    blocky = np.zeros(shape, bool)
    blocky[shape[0] // 3:, shape[1] // 2:] = True  # long runs (past 2**16 values at 300x300)
    for mask in (noisy, blocky, ~blocky, np.zeros(shape, bool)):
        code = rle.encode_mask(mask)
        assert all(0 <= v <= 255 for v in code)
        np.testing.assert_array_equal(rle.decode_mask(code, *shape), mask)
        flat = rle.decode(code)
        assert flat.size == mask.size * 4 and set(np.unique(flat)) <= {0, 255}


def test_rle_decode_reads_literal_runs_and_alpha_only():
    values = np.array([1, 2, 3, 200, 0, 0, 0, 127, 9, 9, 9, 128], np.uint8)  # 3 RGBA pixels, alpha 200/127/128
    code = rle.encode(values)
    np.testing.assert_array_equal(rle.decode(code), values)
    np.testing.assert_array_equal(rle.decode_mask(code, 1, 3), [[True, False, True]])


@pytest.mark.parametrize("bad, message", [
    ([0, 0, 0, 8, 57, 27], "ends after"),  # header says 8 values, no runs follow
    ([0, 0, 0, 8, 57, 27, 252, 96, 17, 256, 128], "byte values"),
    ("not a list", "byte values"),
    ([], "non-empty"),
])
def test_rle_decode_refuses_bad_input(bad, message):
    with pytest.raises(rle.RLEError, match=message):
        rle.decode(bad)


def test_rle_size_must_match_the_image():
    with pytest.raises(rle.RLEError, match="expected 2x2x4"):
        rle.decode_mask(rle.encode_mask(np.ones((1, 2), bool)), 2, 2)


# --- labelling config -------------------------------------------------------------------------------------

def test_label_configs_name_every_class_in_its_colour():
    root = ET.fromstring(label_config(KITCHEN))
    brush = root.find("BrushLabels")
    assert brush.get("name") == "mask" and brush.get("toName") == "image"
    assert [(lab.get("value"), lab.get("background")) for lab in brush] == [
        ("stirrer", "#ff0000"), ("pan", "#00ff00"), ("food", "#0000ff")]
    assert [lab.get("value") for lab in root.find("PolygonLabels")] == list(HEAD.classes)
    root = ET.fromstring(label_config(FRESHNESS))
    heads = {c.get("name"): [x.get("value") for x in c] for c in root.findall("Choices")}
    assert heads == {"fruit": list(FRESHNESS.head("fruit").classes), "freshness": ["fresh", "rotten"]}


# --- export: frames + model -> tasks with pre-annotations ---------------------------------------------------

def _frames(folder, n=3, h=H, w=W):
    from tests.tiny_onnx import random_frames

    folder.mkdir(parents=True, exist_ok=True)
    frames = random_frames(n, h, w, seed=4)
    for i, f in enumerate(frames):
        cv2.imwrite(str(folder / f"frame_{i}.png"), f)
    return frames


def test_export_kitchen_tasks_carry_the_models_masks_as_brush_layers(tmp_path):
    from tests.tiny_onnx import seg_onnx, seg_reference

    model = seg_onnx(tmp_path / "seg.onnx")
    frames = _frames(tmp_path / "root" / "frames")
    out = tmp_path / "ls" / "tasks.json"
    assert foodcam("data", "export", "labelstudio", "--model", model, "--frames", tmp_path / "root" / "frames",
                   "--out", out, "--document-root", tmp_path / "root") == 0
    tasks = json.loads(out.read_text())
    assert [t["data"] for t in tasks] == [{"image": f"/data/local-files/?d=frames/frame_{i}.png",
                                           "frame": f"frame_{i}.png"} for i in range(3)]
    want = seg_reference(frames)["mask"]
    for task, mask in zip(tasks, want):
        (pred,) = task["predictions"]
        assert pred["model_version"] == "seg.onnx"
        got = np.full((H, W), 99, np.uint8)
        for r in pred["result"]:
            assert (r["from_name"], r["to_name"], r["type"]) == ("mask", "image", "brushlabels")
            assert (r["original_width"], r["original_height"]) == (W, H)
            layer = rle.decode_mask(r["value"]["rle"], H, W)
            assert not (got[layer] != 99).any()  # layers do not overlap
            got[layer] = HEAD.classes.index(r["value"]["brushlabels"][0])
        np.testing.assert_array_equal(got, mask)
    assert ET.fromstring((tmp_path / "ls" / "label_config.xml").read_text()).find("BrushLabels") is not None


def test_export_classifier_tasks_carry_one_choice_per_head(tmp_path):
    from tests.tiny_onnx import CLS_TASK, cls_onnx, cls_reference

    model = cls_onnx(tmp_path / "cls.onnx")
    frames = _frames(tmp_path / "frames", h=12, w=12)
    out = tmp_path / "tasks.json"
    assert foodcam("data", "export", "labelstudio", "--model", model, "--frames", tmp_path / "frames",
                   "--out", out, "--config-out", tmp_path / "cfg.xml", "--model-version", "v7") == 0
    tasks = json.loads(out.read_text())
    probs = cls_reference(frames)
    for i, task in enumerate(tasks):
        assert task["data"]["image"] == f"/data/local-files/?d=frame_{i}.png"  # the frames' folder is the root
        (pred,) = task["predictions"]
        assert pred["model_version"] == "v7"
        said = {r["from_name"]: r["value"]["choices"] for r in pred["result"]}
        want = {h.name: [h.classes[int(np.argmax(probs[h.name][i]))]] for h in CLS_TASK.image_heads}
        assert said == want
        assert pred["score"] == pytest.approx(min(float(probs[h][i].max()) for h in want), abs=1e-3)
    assert ET.fromstring((tmp_path / "cfg.xml").read_text()).find("Choices") is not None


def test_export_refuses_frames_outside_the_document_root(tmp_path, capsys):
    from tests.tiny_onnx import seg_onnx

    _frames(tmp_path / "frames")
    (tmp_path / "elsewhere").mkdir()
    rc = foodcam("data", "export", "labelstudio", "--model", seg_onnx(tmp_path / "m.onnx"), "--frames",
                 tmp_path / "frames", "--out", tmp_path / "t.json", "--document-root", tmp_path / "elsewhere")
    assert rc == 2
    assert "not under the document root" in capsys.readouterr().err
    assert not (tmp_path / "t.json").exists()


# --- import: a hand-written export -> the kitchen and freshness formats -------------------------------------

def _brush(label, mask, rid="b"):
    h, w = mask.shape
    return {"id": rid, "type": "brushlabels", "from_name": "mask", "to_name": "image", "original_width": w,
            "original_height": h, "image_rotation": 0,
            "value": {"format": "rle", "rle": rle.encode_mask(mask), "brushlabels": [label]}}


def _polygon(label, points_px, h=H, w=W, rid="p"):
    return {"id": rid, "type": "polygonlabels", "from_name": "outline", "to_name": "image", "original_width": w,
            "original_height": h, "value": {"points": [[100 * x / w, 100 * y / h] for x, y in points_px],
                                            "polygonlabels": [label], "closed": True}}


def _task(tid, name, results, cancelled_too=False):
    anns = [{"id": 10 * tid, "was_cancelled": False, "result": results, "updated_at": "2026-01-02T00:00:00Z"}]
    if cancelled_too:
        anns.append({"id": 10 * tid + 1, "was_cancelled": True, "result": [], "updated_at": "2026-01-03T00:00:00Z"})
    return {"id": tid, "data": {"image": f"/data/local-files/?d=frames/{name}"}, "annotations": anns,
            "predictions": []}


def _kitchen_export(tmp_path, tasks):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks))
    return path


def test_import_kitchen_export_brush_polygon_and_rectangle(tmp_path, capsys):
    frames = _frames(tmp_path / "root" / "frames")
    food = np.zeros((H, W), bool)
    food[2:10, 3:12] = True
    spoon = np.zeros((H, W), bool)
    spoon[5:7, 0:15] = True  # on top of the food: drawn later
    rect = {"id": "r", "type": "rectanglelabels", "from_name": "box", "to_name": "image", "original_width": W,
            "original_height": H, "value": {"x": 50.0, "y": 75.0, "width": 25.0, "height": 12.5, "rotation": 0,
                                            "rectanglelabels": ["rice"]}}
    tasks = [_task(1, "frame_0.png", [_brush("food", food), _brush("Spoon", spoon, "b2")], cancelled_too=True),
             _task(2, "frame_1.png", [_polygon("Wok", [(0, 0), (19, 0), (19, 15)]), rect]),
             {"id": 3, "data": {"image": "/data/local-files/?d=frames/frame_2.png"}, "annotations": [],
              "predictions": [{"result": [_brush("food", food)]}]}]
    out = tmp_path / "kitchen"
    rc = foodcam("data", "import", "labelstudio", _kitchen_export(tmp_path, tasks), "--out", out,
                 "--images", tmp_path / "root", "--map", "rice=food", "--split", "train")
    text = capsys.readouterr()
    assert rc == 0, text
    assert "1 task(s) without a submitted annotation skipped" in text.out
    mask0, _ = decode_colour_mask(cv2.imread(str(out / "train" / "masks" / "frame_0.png")), HEAD)
    want = np.full((H, W), PAN, np.uint8)
    want[food], want[spoon] = FOOD, STIRRER
    np.testing.assert_array_equal(mask0, want)
    mask1, _ = decode_colour_mask(cv2.imread(str(out / "train" / "masks" / "frame_1.png")), HEAD)
    assert mask1[12:14, 10:15].tolist() == [[FOOD] * 5] * 2  # rectangle x 10..15, y 12..14 in pixels
    assert (mask1[mask1 != FOOD] == PAN).all()  # the wok is pan
    np.testing.assert_array_equal(cv2.imread(str(out / "train" / "images" / "frame_0.jpg")).shape, frames[0].shape)
    assert not (out / "train" / "masks" / "frame_2.png").exists()


def test_import_freshness_export_writes_the_flat_folders(tmp_path, capsys):
    _frames(tmp_path / "frames", n=3, h=12, w=12)

    def task(tid, i, fruit, state):
        return {"id": tid, "data": {"image": f"/data/upload/1/0a1b2c3d-frame_{i}.png"}, "annotations": [
            {"id": tid, "result": [
                {"type": "choices", "from_name": "fruit", "to_name": "image", "value": {"choices": [fruit]}},
                {"type": "choices", "from_name": "freshness", "to_name": "image", "value": {"choices": [state]}}]}]}

    src = tmp_path / "export.json"
    src.write_text(json.dumps([task(1, 0, "apple", "fresh"), task(2, 1, "Bananas", "Faul"),
                               task(3, 2, "apple", "rotten")]))
    out = tmp_path / "fruit"
    rc = foodcam("data", "import", "labelstudio", src, "--out", out, "--images", tmp_path / "frames",
                 "--map", "Faul=rotten")
    text = capsys.readouterr()
    assert rc == 0, text.err
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.png")) == [
        "freshapple/frame_0.png", "rottenapple/frame_2.png", "rottenbanana/frame_1.png"]
    assert (out / "rottenbanana" / "frame_1.png").read_bytes() == (tmp_path / "frames" / "frame_1.png").read_bytes()
    assert "freshness dataset" in text.out  # the `data check freshness` report


@pytest.mark.parametrize("case, message", [
    ("malformed", "not readable JSON"),
    ("unknown label", "task 1: label 'ghost' has no mapping"),
    ("missing image", "task 1: image /data/local-files/?d=frames/nope.png not found"),
    ("bad rle", "task 1: annotation 10 region b (brushlabels 'food'): bad brush RLE"),
    ("wrong size", "task 1: annotation 10 region b (brushlabels 'food'): bad brush RLE (rle holds 1280 values"),
])
def test_import_problems_name_the_file_and_the_task(tmp_path, capsys, case, message):
    _frames(tmp_path / "root" / "frames")
    good = np.zeros((H, W), bool)
    good[1:3, 1:3] = True
    result = _brush("food", good)
    name = "frame_0.png"
    if case == "unknown label":
        result["value"]["brushlabels"] = ["ghost"]
    elif case == "missing image":
        name = "nope.png"
    elif case == "bad rle":
        result["value"]["rle"] = result["value"]["rle"][:8]
    elif case == "wrong size":
        result["original_height"] = H + 1
    src = _kitchen_export(tmp_path, [_task(1, name, [result])])
    if case == "malformed":
        src.write_text('[{"id": 1, "data": ')
    out = tmp_path / "out"
    rc = foodcam("data", "import", "labelstudio", src, "--out", out, "--images", tmp_path / "root")
    err = capsys.readouterr().err
    assert rc == 2
    assert message in err and str(src) in err
    assert not out.exists() or not any(out.rglob("*.png"))


def test_import_freshness_task_without_a_choice_is_named(tmp_path, capsys):
    _frames(tmp_path / "frames", n=2, h=12, w=12)
    chose = [{"type": "choices", "from_name": "fruit", "value": {"choices": ["apple"]}},
             {"type": "choices", "from_name": "freshness", "value": {"choices": ["fresh"]}}]
    src = tmp_path / "export.json"
    src.write_text(json.dumps([
        {"id": 1, "data": {"image": "frame_0.png"}, "annotations": [{"id": 1, "result": chose}]},
        {"id": 2, "data": {"image": "frame_1.png"}, "annotations": [{"id": 2, "result": []}]}]))
    assert foodcam("data", "import", "labelstudio", src, "--out", tmp_path / "o", "--images", tmp_path / "frames") == 2
    assert f"{src} task 2: the annotation chooses nothing" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_export_runs_the_onnx_model_without_torch(tmp_path):
    import subprocess
    import sys

    from tests.tiny_onnx import seg_onnx

    _frames(tmp_path / "frames")
    model = seg_onnx(tmp_path / "seg.onnx")
    code = ("import sys; from foodcam.cli import main; "
            f"rc = main(['data', 'export', 'labelstudio', '--model', {str(model)!r}, '--frames', "
            f"{str(tmp_path / 'frames')!r}, '--out', {str(tmp_path / 't.json')!r}]); "
            "print(rc, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.stdout.split()[-2:] == ["0", "False"], out.stderr
    assert len(json.loads((tmp_path / "t.json").read_text())) == 3

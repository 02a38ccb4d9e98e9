"""The labelling round trip through a real Label Studio server (tests/labelstudio_server.py): frames + a model ->
pre-annotated tasks -> a project -> a person's correction -> the JSON export -> a foodcam dataset -> a fine-tune.
Skipped, with the reason, where Label Studio is not installed (`make test` installs it into .venv-labelstudio)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
from labelstudio_server import LabelStudioServer, labelstudio_command

from foodcam.runtime.colour import decode_colour_mask
from foodcam.runtime.tasks import KITCHEN
from foodcam.train.data.labelstudio import rle
from tests.conftest import foodcam

pytestmark = pytest.mark.slow
HEAD = KITCHEN.seg_head


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    exe, why = labelstudio_command()
    if exe is None:
        pytest.skip(why)
    base = tmp_path_factory.mktemp("labelstudio")
    root = base / "root"
    root.mkdir()
    srv = LabelStudioServer(exe, base / "data", root, base / "server.log")
    try:
        srv.start()
    except RuntimeError as e:
        pytest.fail(str(e))
    yield srv
    srv.stop()


def _paint(layers: list[tuple[str, np.ndarray]], shape: tuple[int, int]) -> np.ndarray:
    """What the importer must make of brush layers: pan everywhere, then each layer in order on top."""
    mask = np.full(shape, HEAD.classes.index("pan"), np.uint8)
    for label, layer in layers:
        mask[layer] = HEAD.classes.index(label)
    return mask


def _layers(result: list[dict]) -> list[tuple[str, np.ndarray]]:
    return [(r["value"]["brushlabels"][0], rle.decode_mask(r["value"]["rle"], r["original_height"],
                                                          r["original_width"])) for r in result]


def test_kitchen_round_trip_through_label_studio(server, kitchen_onnx, kitchen_ckpt, tmp_path):
    root = server.document_root
    frames = root / "frames"
    synth = tmp_path / "synth"
    assert foodcam("synth", "kitchen", "--out", synth, "--count", 3, "--seed", 7, "--size", "96x72") == 0
    frames.mkdir()
    for p in sorted(synth.glob("*/images/*.jpg")):
        shutil.copy(p, frames / p.name)
    assert len(list(frames.iterdir())) == 3

    # 1. the model's guess as Label Studio tasks, and the project's labelling config
    tasks_json = tmp_path / "ls" / "tasks.json"
    assert foodcam("data", "export", "labelstudio", "--model", kitchen_onnx, "--frames", frames, "--out", tasks_json,
                   "--document-root", root) == 0
    project = server.create_project("foodcam kitchen", (tmp_path / "ls" / "label_config.xml").read_text())
    server.add_local_storage(project, frames)
    server.import_tasks(project, json.loads(tasks_json.read_text()))
    ids = server.task_ids(project)
    assert len(ids) == 3

    # 2. a person corrects the guess: the first task's last region (drawn on top) is redrawn as food, the other
    # tasks are accepted as they are
    submitted: dict[str, np.ndarray] = {}
    guessed: dict[str, np.ndarray] = {}
    for n, tid in enumerate(ids):
        task = server.task(tid)
        image = server.request("GET", task["data"]["image"])  # Label Studio serves the frame at the task's URL
        assert image == (frames / task["data"]["frame"]).read_bytes()
        (pred,) = server.predictions(tid)
        result = pred["result"]
        shape = (result[0]["original_height"], result[0]["original_width"])
        assert shape == (72, 96)
        guessed[task["data"]["frame"]] = _paint(_layers(result), shape)
        if n == 0:
            label, old = _layers(result)[-1]
            new = np.zeros(shape, bool)
            new[10:40, 20:70] = True
            assert label != "food" or not np.array_equal(new, old)
            value = {**result[-1]["value"], "rle": rle.encode_mask(new), "brushlabels": ["food"]}
            result = [*result[:-1], dict(result[-1], value=value)]
        server.annotate(tid, result)
        submitted[Path(task["data"]["frame"]).stem] = _paint(_layers(result), shape)
    first = Path(server.task(ids[0])["data"]["frame"]).stem
    assert not np.array_equal(submitted[first], guessed[first + ".jpg"])  # the correction changed pixels

    # 3. Label Studio's JSON export -> the kitchen mask format, checked as `data check` checks it
    export = tmp_path / "export.json"
    export.write_text(json.dumps(server.export_json(project)))
    out = tmp_path / "my_kitchen"
    assert foodcam("data", "import", "labelstudio", export, "--out", out, "--images", root) == 0
    for stem, want in submitted.items():
        (mask_png,) = out.glob(f"*/masks/{stem}.png")
        got, _ = decode_colour_mask(cv2.imread(str(mask_png)), HEAD)
        np.testing.assert_array_equal(got, want)
        (img,) = out.glob(f"*/images/{stem}.jpg")
        assert img.read_bytes() == (frames / f"{stem}.jpg").read_bytes()

    # 4. the labelled frames fine-tune the model they started from
    run = tmp_path / "ft"
    assert foodcam("train", "kitchen", "--from", kitchen_ckpt, "--data", out, "--epochs", 1, "--replay", 8, "--holdout", 0,
                   "--device", "cpu", "--out", run) == 0
    assert (run / "best.pt").is_file()


def test_freshness_choices_round_trip_through_label_studio(server, tmp_path):
    from tests.tiny_onnx import cls_onnx, random_frames

    frames = server.document_root / "fruit"
    frames.mkdir()
    for i, f in enumerate(random_frames(2, 12, 12, seed=5)):
        cv2.imwrite(str(frames / f"fruit_{i}.png"), f)
    tasks_json = tmp_path / "tasks.json"
    assert foodcam("data", "export", "labelstudio", "--model", cls_onnx(tmp_path / "cls.onnx"), "--frames", frames,
                   "--out", tasks_json, "--document-root", server.document_root) == 0
    project = server.create_project("foodcam freshness", (tmp_path / "label_config.xml").read_text())
    server.import_tasks(project, json.loads(tasks_json.read_text()))
    want = {}
    for n, tid in enumerate(server.task_ids(project)):
        frame = server.task(tid)["data"]["frame"]
        (pred,) = server.predictions(tid)
        result = [dict(r) for r in pred["result"]]
        fruit, state = ("banana", "rotten") if n == 0 else ("apple", "fresh")
        for r in result:
            r["value"] = {"choices": [fruit if r["from_name"] == "fruit" else state]}
        server.annotate(tid, result)
        want[f"{state}{fruit}/{frame}"] = (frames / frame).read_bytes()
    export = tmp_path / "export.json"
    export.write_text(json.dumps(server.export_json(project)))
    out = tmp_path / "my_fruit"
    assert foodcam("data", "import", "labelstudio", export, "--out", out, "--images", server.document_root) == 0
    got = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.png")}
    assert got == want

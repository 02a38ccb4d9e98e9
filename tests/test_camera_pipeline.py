"""The overlapped frame loop: every file frame in order, limits, stop, errors, and the trained kitchen model live."""

from __future__ import annotations

import json
import threading
import time

import cv2
import numpy as np
import pytest
from tiny_onnx import CLS_TASK, cls_onnx, seg_onnx

from foodcam.camera.pipeline import Pipeline
from foodcam.camera.sinks import EventsSink, ScoreSink, Sinks, VideoSink
from foodcam.camera.sources import open_source
from foodcam.runtime.open import open_model


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    m = open_model(seg_onnx(tmp_path_factory.mktemp("model") / "tiny.onnx"), threads=1)
    yield m
    m.close()


@pytest.fixture
def frames_dir(tmp_path):
    d = tmp_path / "frames"
    d.mkdir()
    rng = np.random.default_rng(0)
    for i in range(15):
        cv2.imwrite(str(d / f"{i:03d}.png"), rng.integers(0, 256, (24, 32, 3), dtype=np.uint8))
    return d


def frame_records(path) -> list[dict]:
    return [r for r in map(json.loads, path.read_text().splitlines()) if r["type"] == "frame"]


def test_files_lose_no_frame_and_match_the_plain_loop(tiny, frames_dir, tmp_path):
    with open_source(str(frames_dir)) as source, Sinks([EventsSink(tmp_path / "a.jsonl")]) as sinks:
        summary = Pipeline(source, tiny, sinks).run()
    assert summary["frames"] == 15 and summary["dropped"] == 0 and summary["stopped_by"] == "end of source"
    assert set(summary["stages_ms"]) == {"capture", "preprocess", "inference", "postprocess", "render"}
    assert all(v is not None and v >= 0 for v in summary["stages_ms"].values())

    # the same story without threads gives the same per-frame results
    with open_source(str(frames_dir)) as source, Sinks([EventsSink(tmp_path / "b.jsonl")]) as sinks:
        for frame in source:
            sinks.render(frame, tiny.predict(frame.image))
    a, b = frame_records(tmp_path / "a.jsonl"), frame_records(tmp_path / "b.jsonl")
    assert [r["frame"] for r in a] == list(range(15))
    assert [r["shares"] for r in a] == [r["shares"] for r in b]


def test_stage_timing_is_logged_while_running(tiny, frames_dir, caplog):
    with caplog.at_level("INFO", logger="foodcam.camera"):
        with open_source(str(frames_dir), loop=True) as source, Sinks() as sinks:
            Pipeline(source, tiny, sinks, log_interval=0.0).run(max_frames=5)
    lines = [r.getMessage() for r in caplog.records if " fps | " in r.getMessage()]
    assert len(lines) >= 4 and all("infer" in line and "dropped 0" in line for line in lines)


def test_limits_and_stop(tiny, frames_dir):
    with open_source(str(frames_dir), loop=True) as source, Sinks() as sinks:
        s = Pipeline(source, tiny, sinks).run(max_frames=40)
    assert s["frames"] == 40 and s["stopped_by"] == "max_frames"
    with open_source("synth://kitchen?fps=20&size=64x48") as source, Sinks() as sinks:
        s = Pipeline(source, tiny, sinks).run(max_seconds=0.5)
    assert s["stopped_by"] == "max_seconds" and s["frames"] >= 1
    with open_source("synth://kitchen?fps=20&size=64x48") as source, Sinks() as sinks:
        p = Pipeline(source, tiny, sinks)
        threading.Timer(0.4, p.stop, args=("test",)).start()
        t = time.monotonic()
        s = p.run()
    assert s["stopped_by"] == "test" and time.monotonic() - t < 10


def test_a_classifier_runs_through_the_same_loop(frames_dir, tmp_path):
    with open_source(str(frames_dir)) as source, open_model(cls_onnx(tmp_path / "cls.onnx"), threads=1) as model, \
            Sinks([EventsSink(tmp_path / "c.jsonl"), VideoSink(tmp_path / "c.mp4")]) as sinks:
        summary = Pipeline(source, model, sinks).run()
    assert summary["frames"] == 15 and "analytics" not in summary and "accuracy" not in summary
    records = frame_records(tmp_path / "c.jsonl")
    assert len(records) == 15
    for r in records:
        for head in CLS_TASK.heads:
            assert r[head.name]["label"] in head.classes and 0 <= r[head.name]["p"] <= 1
    assert cv2.VideoCapture(str(tmp_path / "c.mp4")).get(cv2.CAP_PROP_FRAME_COUNT) == 15


def test_an_output_stage_error_reaches_the_caller(tiny, frames_dir):
    class Broken:
        task, infer, preprocess = tiny.task, tiny.infer, tiny.preprocess

        def postprocess(self, outputs, shape):
            raise RuntimeError("decoder bug")

    with open_source(str(frames_dir), loop=True) as source, Sinks() as sinks:
        with pytest.raises(RuntimeError, match="decoder bug"):
            Pipeline(source, Broken(), sinks).run(max_seconds=20)


def test_trained_kitchen_model_on_the_live_synthetic_kitchen(kitchen_onnx, tmp_path):
    """End to end: the exported kitchen model over synth://kitchen, scored against the scene's ground truth."""
    with open_source("synth://kitchen?fps=0&size=96x72&seed=5") as source, open_model(kitchen_onnx) as model, \
            Sinks([ScoreSink(), EventsSink(tmp_path / "e.jsonl")]) as sinks:
        summary = Pipeline(source, model, sinks).run(max_frames=30)
    acc = summary["accuracy"]
    assert summary["frames"] == 30 and acc["frames"] == 30
    assert acc["miou"] > 0.4, acc  # far above chance (about 0.2 for three classes)
    assert set(acc["iou"]) == {"stirrer", "pan", "food"}
    assert summary["analytics"]["coverage"] is not None
    assert len(frame_records(tmp_path / "e.jsonl")) == 30


def test_a_mask_of_another_shape_than_the_frames_is_named_once_with_the_export_fix(caplog):
    """A kitchen model drawing 320x240 masks, fed 16:9 frames: one warning naming the --mask-size to export with."""
    from foodcam.camera.frame import Frame
    from foodcam.camera.pipeline import ModelStage, mask_size_hint
    from foodcam.camera.stats import Stats
    from foodcam.runtime.tasks import FRESHNESS, KITCHEN

    kitchen = KITCHEN.with_mask_size((240, 320))
    assert mask_size_hint(kitchen, (240, 320)) is None and mask_size_hint(kitchen, (480, 640)) is None
    assert "--mask-size 240 426" in mask_size_hint(kitchen, (240, 426))
    assert "--mask-size 240 427" in mask_size_hint(kitchen, (720, 1280))
    assert "--mask-size 240 512" in mask_size_hint(kitchen, (240, 1000))  # at most twice the input's width
    assert mask_size_hint(FRESHNESS, (240, 426)) is None  # no mask to stretch

    class Stub:
        task, path = kitchen, "kitchen.onnx"

        def postprocess(self, raw, shape):
            return shape

    stage = ModelStage(Stub())
    with caplog.at_level("WARNING", logger="foodcam.camera"):
        for shape in [(240, 426, 3)] * 3 + [(240, 320, 3)]:
            assert stage.result(Frame(np.zeros(shape, np.uint8), 0, 0.0), {}, Stats()) == shape[:2]
    warned = [r.getMessage() for r in caplog.records if "--mask-size" in r.getMessage()]
    assert warned == [warned[0]] and "kitchen.onnx" in warned[0] and "426x240" in warned[0]

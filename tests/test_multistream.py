"""`foodcam run` with several --source: one model, frames batched, each stream's own outputs (no server)."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from tiny_onnx import seg_onnx

from foodcam.camera.multistream import Batch, BatchStage, MultiSource
from foodcam.camera.sources import open_source
from foodcam.cli import main
from foodcam.runtime.open import open_model


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return seg_onnx(tmp_path_factory.mktemp("model") / "tiny.onnx")


def _video(path, n: int, size=(40, 30)) -> None:
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10, size)
    for i in range(n):
        out.write(np.full((size[1], size[0], 3), 20 * i % 255, np.uint8))
    out.release()


def test_three_streams_batched_with_per_stream_outputs(tiny, tmp_path, capsys):
    srcs = [f"synth://kitchen?fps=0&size=64x48&seed={i}" for i in range(3)]
    argv = ["run", "--model", tiny, "--batch", 3, "--max-frames", 30, "--threads", 1,
            "--save", tmp_path / "out_{stream}.mp4", "--events", tmp_path / "ev_{stream}.jsonl",
            "--summary", tmp_path / "s.json"]
    for s in srcs:
        argv += ["--source", s]
    assert main([str(a) for a in argv]) == 0
    summary = json.loads((tmp_path / "s.json").read_text())
    streams = summary["streams"]
    assert sorted(streams) == ["0", "1", "2"]
    assert summary["frames"] >= 30 and summary["frames"] == sum(s["frames"] for s in streams.values())
    assert summary["batching"]["batches"] < summary["frames"]  # frames of several streams shared a call
    for i, st in streams.items():
        assert st["frames"] > 0 and st["source"] == srcs[int(i)]
        lines = (tmp_path / f"ev_{i}.jsonl").read_text().splitlines()
        assert sum(json.loads(line)["type"] == "frame" for line in lines) == st["frames"]
        cap = cv2.VideoCapture(str(tmp_path / f"out_{i}.mp4"))
        n = 0
        while cap.read()[0]:
            n += 1
        assert n == st["frames"]
    assert "stream 2 (synth://kitchen" in capsys.readouterr().out


def test_an_ended_stream_does_not_stall_the_others(tiny, tmp_path):
    clip = tmp_path / "short.mp4"
    _video(clip, 3)
    argv = ["run", "--model", tiny, "--source", clip, "--source", "synth://kitchen?fps=0&size=64x48",
            "--max-frames", 40, "--events", tmp_path / "ev_{stream}.jsonl", "--summary", tmp_path / "s.json"]
    assert main([str(a) for a in argv]) == 0
    s = json.loads((tmp_path / "s.json").read_text())
    assert s["streams"]["0"]["frames"] == 3  # the file ended; every frame of it was run
    assert s["streams"]["1"]["frames"] >= 37 and s["stopped_by"] == "max_frames"


def test_shared_output_paths_are_refused(tiny, tmp_path, capsys):
    argv = ["run", "--model", tiny, "--source", "synth://kitchen", "--source", "synth://kitchen",
            "--save", tmp_path / "out.mp4"]
    assert main([str(a) for a in argv]) == 2
    assert "{stream}" in capsys.readouterr().err


def test_batch_results_equal_single_frame_results(tiny):
    model = open_model(tiny, backend="cpu")
    sources = [open_source(f"synth://kitchen?fps=0&size=64x48&seed={i}") for i in range(2)]
    multi = MultiSource(sources, batch=2)
    try:
        batch = None
        while batch is None or batch.count < 2:  # wait until both streams have a frame ready
            got = multi.read(timeout=1.0)
            batch = got if got is not None and (batch is None or got.count >= batch.count) else batch
        stage = BatchStage(model)
        from foodcam.camera.stats import Stats

        stats = Stats()
        results = stage.result(batch, stage.process(batch, stats), stats)
        assert isinstance(batch, Batch) and len(results) == 2
        for (_, frame), res in zip(batch.items, results):
            np.testing.assert_array_equal(res.mask, model.predict(frame.image).mask)
    finally:
        multi.close()

"""Swapping the model without stopping the camera: a file replaced at --model (or SIGHUP) is opened, self-tested
and swapped in between two frames; a bad file is refused and the running model carries on."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from foodcam.camera.hotswap import HotModel, task_mismatch
from foodcam.camera.pipeline import ModelStage, Pipeline
from foodcam.camera.sinks import EventsSink, Sinks
from foodcam.camera.sources import FileSource, make_grabber, parse_uri
from foodcam.runtime.backends.onnx_meta import file_sha256
from foodcam.runtime.open import open_model
from foodcam.runtime.tasks import KITCHEN
from tests.conftest import wait_until
from tests.tiny_onnx import cls_onnx, seg_onnx

SWAP_AT = 10  # the frame whose rendering replaces the file
FRAMES = 40


def _atomic(make, dst: Path) -> None:
    tmp = dst.with_name(dst.name + ".tmp")
    make(tmp)
    os.replace(tmp, dst)


def _events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _run(tmp_path: Path, replace, max_frames: int = FRAMES):
    """The loop over every frame of a synthetic kitchen with a HotModel on model.onnx (a model painting the
    largest of B/G/R); `replace(path)` runs on the output thread after frame SWAP_AT is rendered. Returns
    (summary, events file records, the HotModel, sha256 of the first model)."""
    path = seg_onnx(tmp_path / "model.onnx")
    first = file_sha256(path)
    hot = HotModel(open_model(path), path, open_model, poll_s=0.01)
    source = FileSource(make_grabber(parse_uri("synth://kitchen?size=64x48&seed=1")))
    ev = tmp_path / "events.jsonl"

    def hook(out) -> None:
        if out.frame.index == SWAP_AT:
            replace(path)
            # the watcher has decided (pending swap or refusal) before the loop goes on: no race with the end
            assert wait_until(lambda: hot.pending or hot.refusals, timeout=30)

    with source, hot, Sinks(analytics=False) as sinks:
        sinks.add(EventsSink(ev))
        pipe = Pipeline(source, ModelStage(hot), sinks)
        pipe.on_frame.append(hook)
        summary = pipe.run(max_frames=max_frames)
    return summary, _events(ev), hot, first


def test_a_replaced_file_is_swapped_in_between_two_frames(tmp_path):
    summary, records, hot, first = _run(tmp_path, lambda p: _atomic(lambda t: seg_onnx(t, constant_class=2), p))
    frames = [r for r in records if r["type"] == "frame"]
    swaps = [(i, r) for i, r in enumerate(records) if r.get("event") == "model_swapped"]
    # every frame processed exactly once, across the swap
    assert summary["frames"] == FRAMES == len(frames)
    assert [r["frame"] for r in frames] == list(range(FRAMES))
    # exactly one swap, naming both files
    assert len(swaps) == 1 and summary["model_swaps"] == 1 and summary["model_swaps_refused"] == 0
    at, swap = swaps[0]
    assert swap["old_sha256"] == first and swap["new_sha256"] == file_sha256(tmp_path / "model.onnx") != first
    # the old model's outputs before the record, the new one's (all food) from it on
    before = [r for r in records[:at] if r["type"] == "frame"]
    after = [r for r in records[at:] if r["type"] == "frame"]
    assert len(before) > SWAP_AT and after and before[-1]["frame"] + 1 == after[0]["frame"] == swap["frame"]
    assert all(r["shares"]["food"] < 1.0 for r in before)
    assert all(r["shares"]["food"] == 1.0 for r in after)
    assert hot.sha256 == swap["new_sha256"]


def _garbage(path: Path) -> None:
    _atomic(lambda t: t.write_bytes(b"\x00not an onnx model" * 64), path)


def _other_task(path: Path) -> None:
    _atomic(lambda t: cls_onnx(t), path)


def _fails_self_test(path: Path) -> None:
    _atomic(lambda t: seg_onnx(t, constant_class=1, poison=True), path)


@pytest.mark.parametrize("replace, reason", [(_garbage, "model.onnx"), (_other_task, "'freshness' model"),
                                             (_fails_self_test, "self-test")])
def test_a_bad_file_is_refused_and_the_old_model_carries_on(tmp_path, replace, reason, caplog):
    with caplog.at_level("WARNING", logger="foodcam.camera"):
        summary, records, hot, first = _run(tmp_path, replace)
    frames = [r for r in records if r["type"] == "frame"]
    refused = [r for r in records if r.get("event") == "model_swap_refused"]
    assert summary["frames"] == len(frames) == FRAMES and summary["model_swaps"] == 0
    assert not [r for r in records if r.get("event") == "model_swapped"]
    assert len(refused) == 1 and reason in refused[0]["reason"] and refused[0]["running_sha256"] == first
    assert all(r["shares"]["food"] < 1.0 for r in frames)  # the first model all along
    assert hot.sha256 == first
    lines = [r.getMessage() for r in caplog.records if "model swap refused" in r.getMessage()]
    assert len(lines) == 1 and "\n" not in lines[0]


def test_task_mismatch_names_the_difference():
    from foodcam.runtime.tasks import FRESHNESS

    assert task_mismatch(KITCHEN, KITCHEN.with_input_size(32, 32)) is None
    assert "'freshness' model" in task_mismatch(KITCHEN, FRESHNESS)
    other = FRESHNESS.with_head_classes("fruit", ["apple", "kiwi"])
    assert "heads/classes" in task_mismatch(FRESHNESS, other)


def test_sighup_reloads_a_running_foodcam_run(tmp_path):
    """A real `foodcam run` with polling off: a replaced file is picked up on SIGHUP only."""
    model = seg_onnx(tmp_path / "model.onnx")
    first = file_sha256(model)
    ev = tmp_path / "ev.jsonl"
    cmd = [sys.executable, "-m", "foodcam", "run", "--model", str(model), "--source", "synth://kitchen?size=64x48&fps=20",
           "--events", str(ev), "--model-poll", "0", "--max-seconds", "120", "--no-analytics"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        def frames() -> int:
            return sum('"type":"frame"' in line for line in ev.read_text().splitlines()) if ev.exists() else 0

        assert wait_until(lambda: frames() >= 3, timeout=60)
        _atomic(lambda t: seg_onnx(t, constant_class=2), model)
        n = frames()
        assert wait_until(lambda: frames() >= n + 5, timeout=30)  # running on, the file not polled
        assert '"model_swapped"' not in ev.read_text()
        proc.send_signal(signal.SIGHUP)
        assert wait_until(lambda: '"model_swapped"' in ev.read_text(), timeout=30)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out
    swap = next(r for r in _events(ev) if r.get("event") == "model_swapped")
    assert swap["why"] == "SIGHUP" and swap["old_sha256"] == first and swap["new_sha256"] == file_sha256(model)
    assert "model swapped (SIGHUP)" in out and "swapped 1 time(s)" in out


def test_a_running_sorting_line_swaps_and_audits(tmp_path):
    """`foodcam sort`'s loop: the swap goes to the audit log (and the outputs), every frame processed once."""
    import onnx

    from foodcam.camera.actuators import open_actuator
    from foodcam.camera.jsonl import read_jsonl
    from foodcam.camera.sorting.app import open_line_source, sort
    from foodcam.camera.sorting.audit import AuditLog
    from foodcam.camera.sorting.line import load_line

    pytest.importorskip("onnx")
    from test_sorting_e2e import URI, _line, build_colour_model

    path = tmp_path / "fresh.onnx"
    build_colour_model(path)
    first = file_sha256(path)

    def same_model_new_file(p: Path) -> None:  # the same graph, another file (a re-export)
        m = onnx.load(str(p))
        m.doc_string = "re-exported"
        _atomic(lambda t: onnx.save(m, str(t)), p)

    line = load_line(_line(tmp_path))
    act = open_actuator(line.actuator)
    act.connect()
    hot = HotModel(open_model(path), path, open_model, poll_s=0.01)

    def hook(out) -> None:
        if out.frame.index == 20:
            same_model_new_file(path)
            assert wait_until(lambda: hot.pending or hot.refusals, timeout=30)

    audit_path = tmp_path / "audit.jsonl"
    with hot, AuditLog(audit_path) as audit, open_line_source(URI) as src:
        s = sort(hot, src, line, act, audit, max_frames=60, on_frame=[hook])
    act.close()
    assert s["frames"] == 60 and s["model_swaps"] == 1 and s["model_swaps_refused"] == 0
    swaps = [r for r in read_jsonl(audit_path) if r.get("event") == "model_swapped"]
    assert len(swaps) == 1 and swaps[0]["old_sha256"] == first and swaps[0]["new_sha256"] == file_sha256(path) != first
    assert s["events"]["model_swapped"] == 1


def test_a_pinned_model_refuses_any_other_file(tmp_path):
    """--model-sha256 pins the file: a replacement with another sha256 is refused before it is opened."""
    path = seg_onnx(tmp_path / "model.onnx")
    opened: list[Path] = []

    def opener(p):
        opened.append(p)
        return open_model(p)

    with HotModel(open_model(path), path, opener, poll_s=0.01, pinned=file_sha256(path)) as hot:
        _atomic(lambda t: seg_onnx(t, constant_class=2), path)
        assert wait_until(lambda: hot.refusals, timeout=30)
        (record,) = hot.between_frames()
    assert record["event"] == "model_swap_refused" and "pinned --model-sha256" in record["reason"]
    assert not opened and hot.swaps == 0

"""Disk hygiene for long runs: --save and --events rotated by size or time, the newest --keep N files kept."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from test_camera_cli import video_frames
from tiny_onnx import seg_onnx

from foodcam.camera.pipeline import Pipeline
from foodcam.camera.sinks import Rotation, Sinks, events_sink, save_sink
from foodcam.camera.sinks.rotate import Family
from foodcam.camera.sources import open_source
from foodcam.cli import main
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.open import open_model


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory) -> Path:
    return seg_onnx(tmp_path_factory.mktemp("model") / "tiny.onnx")


@pytest.fixture(scope="module")
def tiny(tiny_path):
    m = open_model(tiny_path, threads=1)
    yield m
    m.close()


def run(model, sinks: list, frames: int | None = None, seconds: float | None = None, fps: int = 0) -> dict:
    with open_source(f"synth://kitchen?fps={fps}&size=64x48&seed=1") as source, Sinks(sinks) as group:
        return Pipeline(source, model, group).run(max_frames=frames, max_seconds=seconds)


def family(d: Path, stem: str, suffix: str) -> list[Path]:
    return [p for _, p in Family(d / f"{stem}{suffix}").files()]


@pytest.mark.parametrize("spec, expected", [
    ("100MB", (100 << 20, None)), ("1h", (None, 3600.0)), ("100MB,1h", (100 << 20, 3600.0)),
    ("1h, 512kb", (512 << 10, 3600.0)), ("30m", (None, 1800.0)), ("1.5GB", (int(1.5 * (1 << 30)), None)),
    ("2d", (None, 172800.0)), ("90s", (None, 90.0)),
])
def test_rotation_specs(spec, expected):
    r = Rotation.parse(spec, keep=3)
    assert (r.max_bytes, r.max_seconds, r.keep) == (*expected, 3)


@pytest.mark.parametrize("spec, keep, message", [
    ("100XB", None, "--rotate 100XB: expected a size"), ("1h,2h", None, "expected a size"),
    ("0MB", None, "never rotates"), ("", None, "expected a size"), ("1h", 0, "--keep 0: expected a positive"),
])
def test_bad_rotation_specs_name_the_value(spec, keep, message):
    with pytest.raises(FoodcamError, match=message):
        Rotation.parse(spec, keep)


def test_video_rotates_by_size_into_complete_files_and_keeps_the_newest(tiny, tmp_path):
    rot = Rotation.parse("16KB", keep=2)
    s = run(tiny, [save_sink(str(tmp_path / "out.mp4"), fps=15, rotation=rot)], frames=120)
    files = family(tmp_path, "out", ".mp4")
    assert len(files) == 2 and s["video"]["frames"] == 120
    numbers = [int(p.name.split(".")[1].split("-")[0]) for p in files]
    assert numbers == sorted(numbers) and numbers[0] > 1  # the oldest were deleted
    assert all(video_frames(p) >= 1 for p in files)
    assert all(p.stat().st_size < 3 * (16 << 10) for p in files)  # cut near the size, not at the end of the run
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left behind
    assert not (tmp_path / "out.mp4").exists()


class SteppingClock:
    """time for the rotation code, its monotonic clock stepping 0.1 s per look: rotation by age, deterministic."""

    def __init__(self) -> None:
        self.t = 0.0
        self.time, self.strftime, self.localtime = time.time, time.strftime, time.localtime

    def monotonic(self) -> float:
        self.t += 0.1
        return self.t


def test_events_rotate_by_time_and_no_record_is_lost(tiny, tmp_path, monkeypatch):
    import foodcam.camera.sinks.rotate as rotate

    monkeypatch.setattr(rotate, "time", SteppingClock())
    rot = Rotation.parse("0.25s")  # the clock steps 0.1 s at the start of a segment and at each frame
    s = run(tiny, [events_sink(str(tmp_path / "ev.jsonl"), rotation=rot)], frames=30)
    files = family(tmp_path, "ev", ".jsonl")
    per_file = [sum('"type":"frame"' in line for line in p.read_text().splitlines()) for p in files]
    assert len(files) >= 8 and max(per_file) <= 3 and not (tmp_path / "ev.jsonl").exists()  # the last segment joined the family
    records = [json.loads(line) for p in files for line in p.read_text().splitlines()]  # every line whole
    frames = [r["frame"] for r in records if r["type"] == "frame"]
    assert len(frames) == s["frames"] and frames == sorted(set(frames))  # in order across files, none lost


def test_events_rotate_by_size(tiny, tmp_path):
    s = run(tiny, [events_sink(str(tmp_path / "ev.jsonl"), rotation=Rotation.parse("4KB", keep=100))], frames=80)
    files = family(tmp_path, "ev", ".jsonl")
    assert len(files) >= 3 and all(p.stat().st_size < (4 << 10) + 1024 for p in files)
    assert sum(len(p.read_text().splitlines()) for p in files) == s["events_file"]["records"]


def test_records_without_a_frame_reach_a_rotated_events_file(tiny, tmp_path):
    """The end of a run's records (Sinks.emit, e.g. the sorting line's last decisions) come after the last
    frame, whose record may have just closed its segment: they open the next one instead of being dropped."""
    sink = events_sink(str(tmp_path / "ev.jsonl"), rotation=Rotation.parse("1KB", keep=100))
    with open_source("synth://kitchen?fps=0&size=64x48&seed=1") as source, Sinks([sink]) as group:
        Pipeline(source, tiny, group).run(max_frames=20)
        group.emit([{"event": "late", "id": 7}])
    records = [json.loads(line) for p in family(tmp_path, "ev", ".jsonl") for line in p.read_text().splitlines()]
    assert records[-1] == {"type": "event", "event": "late", "id": 7}
    assert sum(r["type"] == "frame" for r in records) == 20


def test_a_restart_continues_the_family_and_keep_counts_earlier_runs(tiny, tmp_path):
    rot = Rotation.parse("4KB", keep=3)
    leftover = tmp_path / "ev.jsonl"
    leftover.write_text('{"type":"frame","frame":0}\n')  # a run killed mid-segment left its live file
    run(tiny, [events_sink(str(leftover), rotation=rot)], frames=40)
    first = family(tmp_path, "ev", ".jsonl")
    run(tiny, [events_sink(str(leftover), rotation=rot)], frames=40)
    second = family(tmp_path, "ev", ".jsonl")
    assert len(first) == len(second) == 3
    n = [int(p.name.split(".")[1].split("-")[0]) for p in first + second]
    assert min(n[3:]) > max(n[:3])  # numbering continued; the first run's files were pruned by the second


def test_image_sequence_keeps_its_newest_images(tiny, tmp_path):
    s = run(tiny, [save_sink(str(tmp_path / "f" / "%04d.png"), rotation=Rotation.parse(None, keep=5)),
                   events_sink(str(tmp_path / "ev.jsonl"))], frames=20)
    kept = sorted(int(p.stem) for p in (tmp_path / "f").iterdir())
    written = [json.loads(line)["frame"] for line in (tmp_path / "ev.jsonl").read_text().splitlines()
               if '"type":"frame"' in line]  # frame numbers come from the (live) source
    assert s["images"]["frames"] == 20 and s["images"]["deleted"] == 15 and kept == written[-5:]
    with pytest.raises(FoodcamError, match="--rotate applies to video files and --events"):
        save_sink(str(tmp_path / "%04d.png"), rotation=Rotation.parse("1h"))


def test_foodcam_run_rotates_from_the_command_line(tiny_path, tmp_path, capsys):
    rc = main(["run", "--model", str(tiny_path), "--source", "synth://kitchen?fps=0&size=64x48", "--max-frames", "90",
               "--save", str(tmp_path / "v.mp4"), "--events", str(tmp_path / "ev.jsonl"), "--rotate", "4KB",
               "--keep", "2", "--threads", "1", "--summary", str(tmp_path / "s.json")])
    assert rc == 0
    assert len(family(tmp_path, "v", ".mp4")) == 2 and len(family(tmp_path, "ev", ".jsonl")) == 2
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["video"]["frames"] == 90 and summary["video"]["deleted"] >= 1 and summary["video"]["codec"]


@pytest.mark.parametrize("extra, message", [
    (["--save", "x.mp4", "--keep", "3"], "--keep N needs --rotate"),
    (["--rotate", "1h"], "--rotate needs something to rotate"),
    (["--events", "e.jsonl", "--rotate", "lots"], "--rotate lots: expected a size"),
])
def test_bad_rotation_flags_are_one_line_errors(tiny_path, tmp_path, capsys, monkeypatch, extra, message):
    monkeypatch.chdir(tmp_path)
    rc = main(["run", "--model", str(tiny_path), "--source", "synth://kitchen?fps=0&size=64x48", "--max-frames", "2",
               *extra])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and err.startswith("foodcam run: error:") and message in err and "\n" not in err
    assert not list(tmp_path.glob("*.mp4")) and time.time()  # nothing written before the check

"""`foodcam run` and `foodcam sort` share one loop setup (camera/loop.py) and one set of source/output options
(LoopOptions): every such flag of `run` is a flag of `sort` and does the same there; the Python API builds the
same configs and uses a loaded model as it is."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest

pytest.importorskip("onnx")
import cv2  # noqa: E402
from test_sorting_e2e import URI, _line, build_colour_model  # noqa: E402
from tiny_onnx import seg_onnx  # noqa: E402

import foodcam  # noqa: E402
from foodcam.camera.loopconfig import LoopOptions, RunConfig  # noqa: E402
from foodcam.camera.sorting.config import SortConfig  # noqa: E402
from foodcam.cli import build_parser, main  # noqa: E402
from foodcam.runtime.errors import FoodcamError  # noqa: E402
from foodcam.verbconfig import flag_name, from_args  # noqa: E402

SYNTH = "synth://kitchen?fps=0&size=64x48&seed=1"
CONVEYOR = "synth://conveyor?seed=2"  # no fps or size in the URI: --fps and --size give them


@pytest.fixture(scope="module")
def colour_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("loop") / "colour_fixture.onnx"
    build_colour_model(path)
    return path


def _verb(name: str):
    return build_parser()._subparsers._group_actions[0].choices[name]


# one example value per LoopOptions field, as typed on the command line -> what the config holds
EXAMPLES = {"batch": ("2", 2), "backend": ("cpu", "cpu"), "threads": ("2", 2), "verify": (None, True),
            "model_poll": ("0", 0.0), "model_sha256": ("ab" * 32, "ab" * 32), "save": ("o.mp4", ["o.mp4"]),
            "events": ("e.jsonl", "e.jsonl"), "events_interval": ("5", 5.0), "rotate": ("1h", "1h"),
            "keep": ("3", 3), "serve": ("0.0.0.0:8081", "0.0.0.0:8081"), "show": ("auto", "auto"),
            "collect": ("frames", "frames"), "collect_every": ("5", 5), "collect_by": ("uncertain", "uncertain"),
            "collect_max": ("9", 9), "retry": (None, True), "retry_for": ("30", 30.0), "loop": (None, True),
            "realtime": (None, True), "fps": ("12.5", 12.5), "size": ("320x240", (320, 240)),
            "max_frames": ("7", 7), "max_seconds": ("2.5", 2.5), "summary": ("s.json", "s.json")}


def test_every_loop_flag_of_run_is_a_flag_of_sort():
    assert set(EXAMPLES) == set(LoopOptions.model_fields) - {"model", "source"}
    run, sort = _verb("run"), _verb("sort")
    for name, info in LoopOptions.model_fields.items():
        flag = flag_name(name, info)
        assert flag in run._option_string_actions and flag in sort._option_string_actions, flag


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_loop_flag_parses_into_both_configs(name):
    text, want = EXAMPLES[name]
    flag = flag_name(name, LoopOptions.model_fields[name])
    extra = [flag] + ([text] if text is not None else [])
    base = ["--model", "m.onnx", "--source", "synth://conveyor"]
    for verb, cls, own in (("run", RunConfig, []), ("sort", SortConfig, ["--line", "line.yaml"])):
        args = build_parser().parse_args([verb, *base, *own, *extra])
        cfg = from_args(cls, args)
        assert getattr(cfg, name) == want, (verb, name)


def test_sort_retry_waits_for_a_source_that_comes_up_late(colour_model, tmp_path, capsys):
    late = tmp_path / "late.png"
    argv = ["sort", "--model", str(colour_model), "--source", str(late), "--line", _line(tmp_path),
            "--max-frames", "3", "--summary", str(tmp_path / "s.json")]
    assert main(argv) == 2  # without --retry: not there, refused at once
    assert str(late) in capsys.readouterr().err

    def arrive():  # written elsewhere, then renamed in (never seen half-written)
        cv2.imwrite(str(tmp_path / "late.tmp.png"), np.zeros((200, 480, 3), np.uint8))
        (tmp_path / "late.tmp.png").replace(late)

    timer = threading.Timer(0.5, arrive)
    timer.start()
    try:
        assert main([*argv, "--retry", "--retry-for", "30", "--loop"]) == 0
    finally:
        timer.cancel()
    s = json.loads((tmp_path / "s.json").read_text())
    assert s["frames"] == 3 and s["stopped_by"] == "max_frames"  # --loop: one image, three frames


def test_sort_honours_fps_size_and_the_old_json_name(colour_model, tmp_path, capsys):
    line = _line(tmp_path)
    frames = {}
    for fps in ("10", "20"):
        out = tmp_path / f"s{fps}.json"
        assert main(["sort", "--model", str(colour_model), "--source", CONVEYOR, "--line", line, "--fps", fps,
                     "--size", "480x200", "--max-seconds", "2", "--json", str(out),
                     "--save", str(tmp_path / f"img{fps}" / "%04d.jpg")]) == 0
        err = capsys.readouterr().err
        assert "foodcam sort: warning: --json is deprecated; use --summary" in err
        assert err.count("deprecated") == 1
        frames[fps] = json.loads(out.read_text())["frames"]
        assert cv2.imread(str(tmp_path / f"img{fps}" / "0001.jpg")).shape[1] == 480
    assert frames == {"10": 21, "20": 41}  # --max-seconds counts the source's own time (both ends), at the --fps


def test_sort_opens_its_model_as_run_does(colour_model, tmp_path, monkeypatch, capsys):
    import foodcam.runtime.open as opener

    seen = []
    real = opener.open_model
    monkeypatch.setattr(opener, "open_model", lambda path, **kw: seen.append(kw) or real(path, **kw))
    argv = ["sort", "--model", str(colour_model), "--source", URI, "--line", _line(tmp_path), "--max-frames", "2"]
    assert main([*argv, "--threads", "1", "--backend", "cpu", "--model-poll", "0"]) == 0
    assert seen and seen[0]["threads"] == 1 and seen[0]["backend"] == "cpu" and seen[0]["spin"] is False
    capsys.readouterr()
    assert main([*argv, "--verify"]) == 2  # the fixture carries no integrity record: --verify refuses it
    assert "--verify: the metadata has no integrity record" in capsys.readouterr().err


def test_sort_runs_one_source(colour_model, tmp_path, capsys):
    assert main(["sort", "--model", str(colour_model), "--source", URI, "--source", URI,
                 "--line", _line(tmp_path)]) == 2
    assert "foodcam sort runs one source" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------------ Python API

def test_a_loaded_model_is_used_not_reopened(tmp_path, monkeypatch):
    import foodcam.runtime.open as opener

    model = foodcam.load(seg_onnx(tmp_path / "s.onnx"))

    def no_reopen(*a, **k):
        raise AssertionError("the loaded model was opened again")

    monkeypatch.setattr(opener, "open_model", no_reopen)
    summary = foodcam.run(SYNTH, model, max_frames=3, summary=tmp_path / "s.json")
    assert summary.rc == 0 and summary.frames == 3
    assert json.loads((tmp_path / "s.json").read_text())["frames"] == 3
    assert model.run(SYNTH, max_frames=2, no_analytics=True).frames == 2
    assert model.model.task.name == "kitchen"  # still open: the loop does not close a model it was given


def test_python_sort_builds_the_same_config(colour_model, tmp_path):
    fresh = foodcam.load(colour_model)
    s = foodcam.sort(URI, fresh, line=_line(tmp_path), max_seconds=2, audit=tmp_path / "audit.jsonl")
    assert s.rc == 0 and s.frames > 0 and s["clock"] == "simulated" and (tmp_path / "audit.jsonl").exists()
    with pytest.raises(FoodcamError, match=r"foodcam.sort\(\): unexpected keyword lines=; did you mean line=\?"):
        foodcam.sort(URI, fresh, line="l.yaml", lines=1)
    with pytest.raises(FoodcamError, match=r"foodcam.sort\(\): sim_latency: expected less than 60"):
        foodcam.sort(URI, fresh, line="l.yaml", sim_latency=90)


def test_python_run_from_a_config_file(tmp_path):
    cfg = tmp_path / "run.yaml"
    cfg.write_text(f"model: {seg_onnx(tmp_path / 's.onnx')}\nsource: {SYNTH}\nmax-frames: 2\nno-analytics: true\n")
    assert RunConfig.verb == "run" and "verb" not in RunConfig.model_fields
    summary = foodcam.run(SYNTH, str(tmp_path / "s.onnx"), config=cfg, max_frames=3)  # keywords over the file
    assert summary.frames == 3


def test_several_streams_swap_a_replaced_model_file(tmp_path):
    """The one loop setup gives every job the hot model: several streams batched through one model too."""
    import os
    import time

    from foodcam.camera.app import run_loop

    path = seg_onnx(tmp_path / "model.onnx")
    events = [tmp_path / "ev_0.jsonl", tmp_path / "ev_1.jsonl"]
    calls = []

    def hook(_out) -> bool:
        calls.append(1)
        if len(calls) == 3:
            seg_onnx(tmp_path / "new.onnx", constant_class=2)
            os.replace(tmp_path / "new.onnx", path)
        if len(calls) > 3:
            time.sleep(0.05)  # slow the loop down until the watcher has swapped the new file in
            return any("model_swapped" in p.read_text() for p in events if p.exists())
        return False

    cfg = RunConfig(model=str(path), source=[SYNTH, SYNTH.replace("seed=1", "seed=2")], no_analytics=True,
                    events=str(tmp_path / "ev_{stream}.jsonl"), model_poll=0.01, max_frames=1000)
    summary = run_loop(cfg, on_frame=[hook])
    assert summary["stopped_by"] == "on_frame" and summary["model_swaps"] == 1
    assert summary["batching"]["mean_batch"] > 1

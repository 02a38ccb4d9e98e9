"""Unbounded numbers and URIs: every flag and synth:// parameter has a sane range, checked where it comes in
(argtypes for flags and --config values, parse_uri for URIs); a source that fails the same way on every restart
stops the run with its error. CLI cases run in a child process capped at 3 GB and 120 s."""

from __future__ import annotations

import numpy as np
import pytest
from capped import run_cli, run_python

from foodcam.camera.sources import parse_uri
from foodcam.camera.sources.base import LiveSource
from foodcam.runtime.errors import FoodcamError

KITCHEN = "foodcam/assets/kitchen.onnx"


@pytest.mark.parametrize(("value", "needle"), [
    ("100000", "up to 1024"), ("9223372036854775808", "up to 1024"), ("0", ">= 1"), ("-3", ">= 1"),
    ("9" * 5000, "characters"),
])
def test_threads_out_of_range_is_one_line(value, needle, tmp_path):
    r = run_cli("run", "--model", KITCHEN, "--source", "synth://kitchen?fps=0&size=64x48", "--max-frames", 2,
                "--threads", value)
    assert r.clean and r.rc == 2, (r.verdict, r.err[-1500:])
    assert "--threads" in r.err and needle in r.err and len(r.err) < 1000


def test_threads_from_a_config_file_is_checked_the_same_way(tmp_path):
    cfg = tmp_path / "run.yaml"
    cfg.write_text("threads: 100000\n")
    r = run_cli("run", "--config", cfg, "--model", KITCHEN, "--source", "synth://kitchen?fps=0&size=64x48")
    assert r.clean and r.rc == 2 and "up to 1024" in r.err, r.err[-1500:]


def test_threads_through_the_python_api():
    code = ("from foodcam.runtime.errors import FoodcamError\nfrom foodcam.runtime.open import open_model\n"
            f"try:\n    open_model({KITCHEN!r}, threads=100_000)\nexcept FoodcamError as e:\n    print(e)\n")
    r = run_python(["-c", code], timeout=60)  # in a child: 100,000 threads must not be tried in the test process
    assert r.clean and "threads=100000: expected a number of threads 1-1024" in r.out, (r.verdict, r.err[-1500:])


@pytest.mark.parametrize("query", ["seed=-1", "seed=99999999999", "seed=abc", "size=99999x99999", "size=8192x8192",
                                   "size=0x0", "fps=1e-300", "fps=nan", "fps=inf", "fps=-5", "fps=1e9"])
def test_synth_parameters_out_of_range_are_refused(query):
    with pytest.raises(FoodcamError) as e:
        parse_uri(f"synth://kitchen?{query}")
    key = query.split("=")[0]
    assert f"{key}=" in str(e.value) and "expected" in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("query", ["seed=-1", "size=99999x99999", "fps=1e-300"])
def test_run_stops_at_once_on_a_bad_synth_uri(query):
    r = run_cli("run", "--model", KITCHEN, "--source", f"synth://kitchen?{query}", "--max-seconds", 5, timeout=90)
    assert r.clean and r.rc == 2, (r.verdict, r.err[-1500:])
    assert query.split("=")[0] + "=" in r.err


def test_good_synth_parameters_still_parse():
    for q in ("fps=0&size=64x48", "fps=30&size=640x240&seed=3", "fps=0.5&size=16x16&seed=4294967295"):
        parse_uri(f"synth://kitchen?{q}")


@pytest.mark.parametrize(("flag", "value"), [("--max-seconds", "1e300"), ("--max-frames", "9223372036854775808"),
                                             ("--fps", "1e12")])
def test_numeric_flags_have_a_range(flag, value):
    r = run_cli("run", "--model", KITCHEN, "--source", "synth://kitchen?fps=0&size=64x48", flag, value)
    assert r.clean and r.rc == 2 and flag in r.err and "expected" in r.err, (r.verdict, r.err[-1500:])


class _Broken:
    """A grabber whose reads fail the same way every time (a bug, not an absent device)."""

    fps, name = 0.0, "broken://"

    def __init__(self) -> None:
        self.grabs = 0

    def open(self) -> None:
        pass

    def grab(self):
        self.grabs += 1
        raise ValueError("negative seed")

    def close(self) -> None:
        pass


def test_a_source_failing_the_same_way_every_restart_stops_with_its_error():
    grabber = _Broken()
    src = LiveSource(grabber, reconnect=True, opened=True)
    try:
        with pytest.raises(FoodcamError, match="ValueError: negative seed .*the same error 3 times"):
            for _ in range(200):  # restarts back off 0.1, 0.2, 0.4 s: well within 200 reads of 0.5 s
                src.read(timeout=0.5)
        assert grabber.grabs == 3
    finally:
        src.close()


class _Flaky(_Broken):
    """Fails, delivers a frame, fails again: never the same failure twice in a row without a frame between."""

    def grab(self):
        self.grabs += 1
        if self.grabs % 2:
            raise ValueError("transient")
        return np.zeros((8, 8, 3), np.uint8), None


def test_a_source_that_recovers_between_failures_keeps_running():
    src = LiveSource(_Flaky(), reconnect=True, opened=True)
    try:
        frames = 0
        for _ in range(200):
            frames += src.read(timeout=0.5) is not None
            if frames >= 4:
                break
        assert frames >= 4 and src.fatal is None
    finally:
        src.close()


@pytest.mark.parametrize("argv", [["synth", "kitchen", "--count", "1", "--size", "99999x99999"],
                                  ["run", "--model", KITCHEN, "--source", "0", "--size", "99999x99999"]])
def test_frame_size_flags_have_a_range(argv, tmp_path):
    r = run_cli(*argv, "--out" if argv[0] == "synth" else "--max-frames", tmp_path / "o" if argv[0] == "synth" else 1)
    assert r.clean and r.rc == 2 and "--size" in r.err and "sides 1-16384" in r.err, (r.verdict, r.err[-1500:])

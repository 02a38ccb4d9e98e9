"""Sorting-line values that are finite but cannot work: refused from the line's own geometry and frame rate;
contradictions seen at run time are warned about; a stopping line does not wait for far-off commands."""

from __future__ import annotations

import logging
import threading

import numpy as np
import pytest
import yaml
from capped import run_cli
from test_line_config import BASE

from foodcam.camera.actuators import open_actuator
from foodcam.camera.sorting.line import load_line
from foodcam.camera.sorting.scheduler import Scheduler, WallClock
from foodcam.camera.sorting.watch import LineWatch
from foodcam.runtime.errors import FoodcamError

FRESH = "foodcam/assets/freshness.onnx"


def _line(tmp_path, **edits) -> str:
    d = yaml.safe_load(BASE)
    for dotted, value in edits.items():
        node = d
        *path, last = dotted.split("__")
        for k in path:
            node = node[k]
        node[last] = value
    p = tmp_path / "line.yaml"
    p.write_text(yaml.safe_dump(d, sort_keys=False))
    return p


@pytest.mark.parametrize(("edits", "key", "needle"), [
    ({"belt__speed_px_s": 1e-300}, "belt.speed_px_s", "expected at least"),
    ({"belt__speed_px_s": 0.01}, "belt.speed_px_s", "expected at least"),
    ({"camera_line": 5000}, "camera_line", "inside the lane"),
    ({"camera_line": 0}, "camera_line", "inside the lane"),
    ({"detection__min_area_px": 640 * 182}, "detection.min_area_px", "lane's area"),
    ({"name": ""}, "name", ""),
    ({"name": "   "}, "name", "non-empty"),
])
def test_a_line_that_cannot_work_is_refused_naming_the_key(tmp_path, edits, key, needle):
    p = _line(tmp_path, **edits)
    with pytest.raises(FoodcamError) as e:
        load_line(p)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith(f"{p}:") and f" {key}: " in msg and needle in msg, msg


def test_the_base_line_still_loads(tmp_path):
    line = load_line(_line(tmp_path))
    line.check_frame_rate(30)
    line.check_frame_size((240, 640))


def test_a_belt_faster_than_the_frame_rate_allows_is_refused(tmp_path):
    # 100,000 px/s crosses the 640 px lane in 0.19 frames at 30 fps: every frame would be a new item
    line = load_line(_line(tmp_path, belt__speed_px_s=100_000))
    with pytest.raises(FoodcamError, match=r"belt.speed_px_s: expected at most 6400 px/s .* got 100000"):
        line.check_frame_rate(30)
    line.check_frame_rate(1000)  # a fast camera can follow it


def test_sort_refuses_the_speed_before_running(tmp_path):
    p = _line(tmp_path, belt__speed_px_s=100_000)
    r = run_cli("sort", "--model", FRESH, "--source", "synth://conveyor?fps=30", "--line", p, "--max-frames", 50,
                "--audit", tmp_path / "audit.jsonl")
    assert r.clean and r.rc == 2, r.err[-2000:]
    assert "belt.speed_px_s: expected at most" in r.err and "fired" not in r.out
    assert not (tmp_path / "audit.jsonl").exists() or not (tmp_path / "audit.jsonl").read_text().strip()


def test_a_lane_outside_the_frame_is_refused(tmp_path):
    line = load_line(_line(tmp_path))
    with pytest.raises(FoodcamError, match="lane: expected a region inside the 320x20 frame"):
        line.check_frame_size((20, 320))  # the lane starts at y = 29


def test_far_more_items_than_sightings_is_warned_once(tmp_path, caplog):
    watch = LineWatch(load_line(_line(tmp_path)))
    img = np.zeros((240, 640, 3), np.uint8)
    with caplog.at_level(logging.WARNING, logger="foodcam.sorting"):
        for k in range(200):
            watch.frame(k / 30, img, new_items=1, blobs=1)  # every sighting a new item
    warnings = [r.getMessage() for r in caplog.records if "not followed" in r.getMessage()]
    assert len(warnings) == 1 and "belt.speed_px_s (150 px/s)" in warnings[0]


def test_no_items_while_the_view_changes_is_warned(tmp_path, caplog):
    watch = LineWatch(load_line(_line(tmp_path)))
    rng = np.random.default_rng(0)
    with caplog.at_level(logging.WARNING, logger="foodcam.sorting"):
        for k in range(60):
            watch.frame(float(k), rng.integers(0, 256, (240, 640, 3), np.uint8), new_items=0, blobs=0)
    assert any("no item for" in r.getMessage() and "min_area_px=400" in r.getMessage() for r in caplog.records)


def test_a_quiet_static_view_is_not_warned(tmp_path, caplog):
    watch = LineWatch(load_line(_line(tmp_path)))
    img = np.full((240, 640, 3), 90, np.uint8)
    with caplog.at_level(logging.WARNING, logger="foodcam.sorting"):
        for k in range(60):
            watch.frame(float(k), img, new_items=0, blobs=0)
    assert not caplog.records


def test_stopping_does_not_wait_for_a_command_due_in_two_minutes():
    act = open_actuator({"type": "dryrun"})
    act.connect()
    clock, done = WallClock(), []
    s = Scheduler(act, clock, tolerance_s=0.05)
    now = clock.now()
    s.submit(1, "reject", now + 120.0, done.append)  # travel_time_s: 120
    s.submit(2, "reject", now + 0.01, done.append)  # due within the tolerance: fired
    closer = threading.Thread(target=s.close, kwargs={"drain": True})
    closer.start()
    closer.join(timeout=60)
    assert not closer.is_alive()
    out = {o.item_id: o for o in done}
    assert out[2].outcome == "fired"
    assert out[1].outcome == "missed" and out[1].error.startswith("not fired: stopped")

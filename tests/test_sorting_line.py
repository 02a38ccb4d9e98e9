"""line.yaml: validation with errors that name the key, and derived settings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from foodcam.camera.sorting.line import default_line_dict, load_line, parse_line
from foodcam.runtime.errors import FoodcamError

GOOD = """
name: packhouse-2
lane: {polygon: [[10, 20], [630, 20], [630, 220], [10, 220]]}
direction: right_to_left
camera_line: 300
belt: {speed_px_s: 180}
ejector: {distance_m: 0.9, speed_m_s: 0.6}
decision:
  reject_threshold: 0.6
  low_confidence: {band: 0.1, action: divert}
  min_frames: 4
  decide_at: line
detection: {method: mog2, min_area_px: 300, threshold: 4.5, max_missed: 2}
timing: {tolerance_s: 0.03}
actuator: {type: udp, host: 127.0.0.1, port: 9999, pulse_ms: 80}
"""


def test_a_complete_line_file(tmp_path):
    p = tmp_path / "line.yaml"
    p.write_text(GOOD)
    cfg = load_line(p)
    assert cfg.name == "packhouse-2" and cfg.direction == "right_to_left" and cfg.camera_line == 300
    assert cfg.travel_time(None) == pytest.approx(1.5)  # 0.9 m at 0.6 m/s
    d = cfg.decision
    assert (d.reject_threshold, d.low_confidence.band, d.low_confidence.action) == (0.6, 0.1, "divert")
    assert (d.min_frames, d.decide_at, cfg.detection.method, cfg.detection.max_missed) == (4, "line", "mog2", 2)
    assert cfg.pulse_ms == 80 and cfg.actuator.type == "udp" and cfg.timing.tolerance_s == 0.03
    mask = cfg.lane_mask((240, 640))
    assert mask[100, 320] == 255 and mask[5, 320] == 0 and mask[100, 5] == 0


def test_travel_from_pixels_uses_the_belt_or_measured_speed():
    d = default_line_dict(640, 240)
    d["ejector"] = {"distance_px": 300}
    cfg = parse_line(d)
    assert cfg.travel_time(150.0) == pytest.approx(2.0)
    with pytest.raises(FoodcamError, match="distance_px"):
        cfg.travel_time(None)
    d["belt"] = {"speed_px_s": 100}
    assert parse_line(d).travel_time(150.0) == pytest.approx(3.0)  # a known belt speed wins


@pytest.mark.parametrize("edit, key", [
    (lambda d: d.pop("lane"), "lane"),
    (lambda d: d.update(lane={"rect": [0, 0, 10]}), "lane.rect"),
    (lambda d: d.update(lane={"rect": [50, 0, 10, 10]}), "lane.rect"),
    (lambda d: d.update(lane={"polygon": [[0, 0], [5, 5]]}), "lane.polygon"),
    (lambda d: d.update(direction="sideways"), "direction"),
    (lambda d: d.pop("ejector"), "ejector"),
    (lambda d: d.update(ejector={"distance_m": 1.0}), "ejector"),
    (lambda d: d.update(ejector={"travel_time_s": -1}), "ejector.travel_time_s"),
    (lambda d: d["decision"].update(reject_threshold=1.5), "decision.reject_threshold"),
    (lambda d: d["decision"].update(low_confidence={"band": 0.1, "action": "shrug"}),
     "decision.low_confidence.action"),
    (lambda d: d["decision"].update(min_frames=2.5), "decision.min_frames"),
    (lambda d: d["decision"].update(vote="majority"), "decision.vote"),
    (lambda d: d.update(detection={"method": "yolo"}), "detection.method"),
    (lambda d: d.update(timing={"tolerance_s": "soon"}), "timing.tolerance_s"),
    (lambda d: d.update(actuator={"type": "serial"}), "actuator.port"),
    (lambda d: d.update(speed=3), "speed"),
])
def test_errors_name_the_key(edit, key):
    d = default_line_dict(640, 240)
    edit(d)
    with pytest.raises(FoodcamError) as e:
        parse_line(d, "line.yaml")
    msg = str(e.value)
    assert msg.startswith("line.yaml: ") and f" {key}" in msg and "\n" not in msg


def test_unreadable_files(tmp_path):
    with pytest.raises(FoodcamError, match="no such file"):
        load_line(tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("lane: [unclosed\n")
    with pytest.raises(FoodcamError, match="not valid YAML"):
        load_line(bad)
    lst = tmp_path / "list.yaml"
    lst.write_text("- 1\n- 2\n")
    with pytest.raises(FoodcamError, match="expected a mapping"):
        load_line(lst)


def test_default_line_covers_the_frame():
    cfg = parse_line(default_line_dict(320, 160, lane=(0, 20, 320, 140)))
    m = cfg.lane_mask((160, 320))
    assert m.sum() // 255 == 320 * 120 and np.all(m[20:140] == 255)


def test_example_line_files_in_docs_are_valid():
    """docs/line.yaml and docs/line-trigger.yaml (the README's examples) load, and so does every actuator
    alternative commented in them."""
    from foodcam.camera.actuators import parse_actuator

    docs = Path(__file__).resolve().parent.parent / "docs"
    belt = load_line(docs / "line.yaml")
    trig = load_line(docs / "line-trigger.yaml")
    assert belt.detection.method == "belt" and trig.detection.method == "trigger"
    assert trig.trigger.type == "synth" and belt.lane == trig.lane
    alternatives = [yaml.safe_load(ln.lstrip("# "))["actuator"] for ln in (docs / "line.yaml").read_text().splitlines()
                    if ln.startswith("# actuator:")]
    assert {a["type"] for a in alternatives} == {"serial", "mqtt", "udp", "gpio"}
    for a in alternatives:  # validation opens nothing: gpio is checked without Jetson.GPIO
        assert parse_actuator(a, "docs/line.yaml").type == a["type"]

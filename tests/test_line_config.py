"""line.yaml as typed sections: every bad value is a one-line error naming file:line:column and the key.

The regression cases of hostile line configurations (each was accepted, or crashed later, before the typed models): NaN and
infinities in every float key (`belt: {speed_px_s: .inf}` made 321 ejector commands for 6 fruit), NaN
thresholds, null where a number is required, infinities in lane and roi coordinates and in integer keys,
a file that is not UTF-8, and a serial template that fails only when formatted.
"""

from __future__ import annotations

import pytest
import yaml

from foodcam.camera.sorting.line import load_line
from foodcam.runtime.errors import FoodcamError

BASE = """\
name: t
lane: {rect: [0, 29, 640, 211]}
camera_line: 320
belt: {speed_px_s: 150}
ejector: {travel_time_s: 3.0}
decision: {reject_threshold: 0.5, low_confidence: {band: 0.1, action: reject}, min_frames: 3}
detection: {method: belt, min_area_px: 400, threshold: 5.0, max_missed: 3}
timing: {tolerance_s: 0.05}
actuator: {type: dryrun, pulse_ms: 60, backoff_s: 0.2, backoff_max_s: 5.0}
"""

FLOAT_KEYS = ["camera_line", "belt.speed_px_s", "ejector.travel_time_s", "decision.reject_threshold",
              "decision.low_confidence.band", "detection.threshold", "timing.tolerance_s", "actuator.pulse_ms",
              "actuator.backoff_s", "actuator.backoff_max_s"]
INT_KEYS = ["decision.min_frames", "detection.min_area_px", "detection.max_missed"]
TRIGGER = {"method": "trigger", "trigger": {"type": "udp", "port": 5005, "offset_s": 0.0, "min_blocked_s": 0.02,
                                            "roi": [255, 55, 385, 185]}}


def _write(tmp_path, edit=None, text: str | None = None):
    d = yaml.safe_load(BASE)
    if edit:
        edit(d)
    p = tmp_path / "line.yaml"
    p.write_text(text if text is not None else yaml.safe_dump(d, sort_keys=False))
    return p


def _set(d: dict, dotted: str, value) -> None:
    *path, last = dotted.split(".")
    for k in path:
        d = d[k]
    d[last] = value


def _error(p) -> str:
    with pytest.raises(FoodcamError) as e:
        load_line(p)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith(f"{p}:"), msg
    return msg


def test_the_base_file_loads(tmp_path):
    cfg = load_line(_write(tmp_path))
    assert cfg.speed_px_s == 150 and cfg.travel_time(None) == 3.0 and cfg.actuator.type == "dryrun"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
@pytest.mark.parametrize("key", FLOAT_KEYS)
def test_no_float_key_takes_nan_or_infinity(tmp_path, key, value):
    msg = _error(_write(tmp_path, lambda d: _set(d, key, value)))
    assert f": {key}: " in msg and "finite" in msg


@pytest.mark.parametrize("key", ["ejector.distance_m", "ejector.speed_m_s", "ejector.distance_px"])
def test_ejector_distances_are_finite(tmp_path, key):
    def edit(d):
        d["ejector"] = {"distance_m": 1.0, "speed_m_s": 0.5} if key != "ejector.distance_px" else {"distance_px": 300}
        _set(d, key, float("inf"))
    assert f": {key}: " in _error(_write(tmp_path, edit))


@pytest.mark.parametrize("key", ["offset_s", "min_blocked_s"])
def test_trigger_floats_are_finite(tmp_path, key):
    def edit(d):
        d["detection"] = yaml.safe_load(yaml.safe_dump(TRIGGER))
        d["detection"]["trigger"][key] = float("nan")
    assert f": detection.trigger.{key}: " in _error(_write(tmp_path, edit))


@pytest.mark.parametrize("key", INT_KEYS)
def test_integer_keys_refuse_infinity_and_fractions(tmp_path, key):
    assert f": {key}: " in _error(_write(tmp_path, lambda d: _set(d, key, float("inf"))))
    assert f": {key}: " in _error(_write(tmp_path, lambda d: _set(d, key, 2.5)))


@pytest.mark.parametrize("actuator, key", [
    ({"type": "udp", "host": "h", "port": float("inf")}, "actuator.port"),
    ({"type": "serial", "port": "/dev/ttyUSB0", "baudrate": float("inf")}, "actuator.baudrate"),
    ({"type": "gpio", "pin": float("inf")}, "actuator.pin"),
    ({"type": "mqtt", "keepalive_s": float("inf")}, "actuator.keepalive_s"),
    ({"type": "dryrun", "pulse_ms": None}, "actuator.pulse_ms"),
    ({"type": "serial", "port": "/dev/ttyUSB0", "template": "{id[0]}"}, "actuator.template"),
    ({"type": "serial", "port": "/dev/ttyUSB0", "template": "{ACTION} {id.real.x}"}, "actuator.template"),
    ({"type": "serial", "port": "/dev/ttyUSB0", "template": "{ACTION"}, "actuator.template"),
])
def test_actuator_values(tmp_path, actuator, key):
    assert f": {key}: " in _error(_write(tmp_path, lambda d: d.update(actuator=actuator)))


def test_nan_threshold_and_camera_line_are_refused_not_ignored(tmp_path):
    """reject_threshold .nan rejected nothing and camera_line .nan decided nothing."""
    text = BASE.replace("reject_threshold: 0.5", "reject_threshold: .nan")
    assert ": decision.reject_threshold: " in _error(_write(tmp_path, text=text))
    text = BASE.replace("camera_line: 320", "camera_line: .NaN")
    assert ": camera_line: " in _error(_write(tmp_path, text=text))


def test_null_travel_time_is_an_error_at_load_not_at_the_first_decision(tmp_path):
    text = BASE.replace("ejector: {travel_time_s: 3.0}", "ejector: {travel_time_s: null}")
    msg = _error(_write(tmp_path, text=text))
    assert ":5:" in msg and ": ejector.travel_time_s: " in msg


@pytest.mark.parametrize("lane", [{"rect": [0, 0, float("inf"), 100]},
                                  {"polygon": [[0, 0], [float("inf"), 0], [5, 5]]},
                                  {"rect": [0, 0, 1e300, 100]}])
def test_lane_coordinates_are_finite_and_bounded(tmp_path, lane):
    assert ": lane." in _error(_write(tmp_path, lambda d: d.update(lane=lane)))


def test_trigger_roi_infinity(tmp_path):
    def edit(d):
        d["detection"] = yaml.safe_load(yaml.safe_dump(TRIGGER))
        d["detection"]["trigger"]["roi"] = [0, 0, float("inf"), 10]
    assert ": detection.trigger.roi[2]: " in _error(_write(tmp_path, edit))


def test_errors_give_the_line_and_column_of_the_key(tmp_path):
    text = BASE.replace("timing: {tolerance_s: 0.05}", "timing: {tolerance_s: .inf}")
    msg = _error(_write(tmp_path, text=text))
    assert msg.startswith(f"{tmp_path / 'line.yaml'}:8:10: timing.tolerance_s: expected a finite number")
    text = BASE.replace("  # nothing", "") + "speed: 3\n"
    assert ":10:1: speed: unknown key (known: name, lane, " in _error(_write(tmp_path, text=text))


def test_a_file_that_is_not_utf8(tmp_path):
    p = tmp_path / "line.yaml"
    p.write_bytes(BASE.encode() + b"# caf\xe9\n")
    assert "not UTF-8" in _error(p) and "0xe9" in _error(p)


def test_yaml_syntax_errors_give_the_place(tmp_path):
    msg = _error(_write(tmp_path, text=BASE + "decision: [unclosed\n"))
    assert "not valid YAML" in msg


def test_the_cli_prints_one_line(tmp_path, capsys):
    from foodcam.cli import main

    p = _write(tmp_path, lambda d: _set(d, "belt.speed_px_s", float("inf")))
    rc = main(["sort", "--model", str(tmp_path / "m.onnx"), "--source", "synth://conveyor", "--line", str(p)])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and err.startswith("foodcam sort: error: ") and "belt.speed_px_s" in err and "\n" not in err

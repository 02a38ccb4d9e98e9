"""External-trigger detection (`detection.method: trigger`): a photo-eye's blocked..clear intervals are the items.

Line validation, the interval logic on hand-fed events, the synth beam on synth://conveyor end to end through
`foodcam sort`, and the real inputs: a UDP socket on loopback, a serial port on a pseudo-terminal, Jetson GPIO.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time

import cv2
import numpy as np
import pytest

from foodcam.camera.sorting.line import default_line_dict, load_line, parse_line
from foodcam.camera.sorting.trigger import GpioTrigger, SerialTrigger, TriggerInput, UdpTrigger, parse_state
from foodcam.camera.sorting.trigger_tracker import TriggerTracker
from foodcam.runtime.errors import FoodcamError
from tests.conftest import wait_until

SHAPE = (200, 480)  # (H, W) of the frames in these tests
README_BLOCK = """
name: line-1
lane: {rect: [0, 24, 480, 176]}
camera_line: 240
ejector: {travel_time_s: 1.5}
decision: {reject_threshold: 0.5, min_frames: 3, decide_at: exit}
detection:
  method: trigger
  trigger:
    type: udp            # udp | serial | gpio | synth (synth://conveyor only)
    host: 127.0.0.1
    port: 5005
    offset_s: 0.0        # seconds of travel from the beam to the camera line (negative: beam downstream)
    min_blocked_s: 0.02  # shorter blocked intervals are glitches
    roi: [164, 24, 316, 176]
actuator: {type: dryrun}
"""


def _line_dict(trigger: dict, **top) -> dict:
    d = default_line_dict(480, 200, lane=(0, 24, 480, 176))
    d["detection"] = {"method": "trigger", "trigger": trigger}
    d.update(top)
    return d


_wait = wait_until


# --- line.yaml ----------------------------------------------------------------------------------------
def test_good_trigger_configs_parse(tmp_path):
    p = tmp_path / "line.yaml"
    p.write_text(README_BLOCK)
    cfg = load_line(p)
    assert cfg.detection.method == "trigger"
    assert cfg.trigger.model_dump() == {"type": "udp", "host": "127.0.0.1", "port": 5005, "offset_s": 0.0,
                                        "min_blocked_s": 0.02, "roi": [164, 24, 316, 176], "allow": None}
    assert cfg.trigger.roi_box == (164, 24, 316, 176)
    s = parse_line(_line_dict({"type": "serial", "port": "/dev/ttyUSB0", "offset_s": -0.1}))
    assert s.trigger.baudrate == 115200 and s.trigger.offset_s == -0.1 and s.trigger.roi is None
    g = parse_line(_line_dict({"type": "gpio", "pin": 12, "active_low": True, "mode": "BCM"}))
    assert (g.trigger.pin, g.trigger.active_low, g.trigger.mode) == (12, True, "BCM")
    assert parse_line(_line_dict({"type": "synth", "min_blocked_s": 0})).trigger.min_blocked_s == 0.0
    assert parse_line(default_line_dict(480, 200)).trigger is None  # belt lines are unchanged


@pytest.mark.parametrize("trigger, top, key", [
    (None, {}, "detection.trigger"),
    ("udp", {}, "detection.trigger"),
    ({"port": 5005}, {}, "detection.trigger.type"),
    ({"type": "laser"}, {}, "detection.trigger.type"),
    ({"type": "udp"}, {}, "detection.trigger.port"),
    ({"type": "udp", "port": "5005"}, {}, "detection.trigger.port"),
    ({"type": "udp", "port": 70000}, {}, "detection.trigger.port"),
    ({"type": "udp", "port": 5005, "pin": 3}, {}, "detection.trigger.pin"),
    ({"type": "udp", "port": 5005, "host": 127}, {}, "detection.trigger.host"),
    ({"type": "serial"}, {}, "detection.trigger.port"),
    ({"type": "serial", "port": "/dev/ttyS0", "baudrate": 0}, {}, "detection.trigger.baudrate"),
    ({"type": "gpio", "pin": 12, "active_low": "yes"}, {}, "detection.trigger.active_low"),
    ({"type": "gpio", "pin": 12, "mode": "WIRING"}, {}, "detection.trigger.mode"),
    ({"type": "gpio"}, {}, "detection.trigger.pin"),
    ({"type": "synth", "roi": [0, 0, 10]}, {}, "detection.trigger.roi"),
    ({"type": "synth", "roi": [50, 0, 10, 10]}, {}, "detection.trigger.roi"),
    ({"type": "synth", "min_blocked_s": -1}, {}, "detection.trigger.min_blocked_s"),
    ({"type": "synth", "offset_s": "early"}, {}, "detection.trigger.offset_s"),
    ({"type": "synth"}, {"direction": "right_to_left"}, "detection.trigger.type"),
    ({"type": "synth"}, {"ejector": {"distance_px": 300}}, "ejector.distance_px"),
])
def test_bad_trigger_configs_name_the_key(trigger, top, key):
    d = _line_dict(trigger, **top)
    if trigger is None:
        del d["detection"]["trigger"]
    with pytest.raises(FoodcamError) as e:
        parse_line(d, "line.yaml")
    msg = str(e.value)
    assert msg.startswith(f"line.yaml: {key}:") and "\n" not in msg


def test_trigger_section_needs_the_trigger_method():
    d = _line_dict({"type": "synth"})
    d["detection"]["method"] = "belt"
    with pytest.raises(FoodcamError, match=r"^line.yaml: detection.trigger: unknown key \(known: method, "):
        parse_line(d, "line.yaml")


# --- intervals from hand-fed events ---------------------------------------------------------------------
def _tracker(trigger: dict | None = None, decide_at: str = "exit", **top) -> tuple[TriggerTracker, TriggerInput]:
    d = _line_dict({"type": "udp", "port": 0, **(trigger or {})}, **top)
    d["decision"]["decide_at"] = decide_at
    manual = TriggerInput()
    return TriggerTracker(parse_line(d, "line.yaml"), SHAPE, trigger=manual), manual


def _run(tracker: TriggerTracker, times) -> tuple[dict[int, list[float]], list]:
    """Frames at `times`: which track was classified at which frame, and every track that ended."""
    inside: dict[int, list[float]] = {}
    ended = []
    frame = np.zeros((*SHAPE, 3), np.uint8)
    for t in times:
        active, done = tracker.update(frame, t)
        ended += done
        for tr in active:
            if tr.blob is not None:
                inside.setdefault(tr.id, []).append(round(t, 6))
    return inside, ended


def test_an_interval_is_one_item_referenced_at_its_midpoint():
    tracker, beam = _tracker({"offset_s": 0.05})
    beam.push(True, 1.0)
    beam.push(False, 1.5)
    inside, ended = _run(tracker, [0.9 + 0.1 * k for k in range(8)])
    assert inside == {0: [1.0, 1.1, 1.2, 1.3, 1.4]}  # classified only while the beam was blocked
    (tr,) = ended
    assert (tr.first_seen, tr.last_seen, tr.frames) == (1.0, 1.5, 5)
    assert tr.crossed() and tr.cross_time() == pytest.approx(1.25 + 0.05)
    assert tr.record() == {"trigger": {"blocked": 1.0, "clear": 1.5}}
    assert tr.blob is None and tracker.stats()["trigger_glitches"] == 0


def test_an_item_votes_with_the_central_half_of_its_interval():
    from foodcam.camera.sorting.decide import Votes
    from foodcam.runtime.results import ClassificationResult
    from foodcam.runtime.tasks import FRESHNESS

    tracker, beam = _tracker({"offset_s": 0.25})
    beam.push(True, 1.0)
    beam.push(False, 2.0)
    times = [1.0 + 0.125 * k for k in range(9)]
    _, ended = _run(tracker, times + [2.125])
    (tr,) = ended
    assert tr.vote_span == pytest.approx((1.5, 2.0))  # around t_ref = 1.5 + 0.25, half the 1 s interval
    votes = Votes()
    for t in times:  # a neighbour shares the window near the ends: those frames say rotten
        p = 0.9 if abs(t - 1.75) > 0.25 else 0.1
        votes.add(ClassificationResult(FRESHNESS, {"freshness": np.array([1 - p, p]), "fruit": np.ones(4) / 4},
                                       (8, 8)), t)
    central = votes.between(*tr.vote_span)
    assert central.times == [1.5, 1.625, 1.75, 1.875, 2.0]
    assert central.mean("freshness")[1] == pytest.approx(0.1) and votes.mean("freshness")[1] > 0.4


def test_glitches_and_repeated_states_are_ignored_and_counted():
    tracker, beam = _tracker({"min_blocked_s": 0.02})
    for t, state in [(1.0, True), (1.01, False),  # 10 ms: a glitch
                     (1.1, False),  # clear while clear
                     (2.0, True), (2.1, True),  # blocked while blocked
                     (2.5, False)]:
        beam.push(state, t)
    _, ended = _run(tracker, [0.95, 1.005, 1.05, 2.2, 2.6])
    assert [(tr.id, tr.first_seen, tr.clear) for tr in ended] == [(0, 2.0, 2.5)]  # the glitch took no id
    s = tracker.stats()
    assert (s["trigger_glitches"], s["trigger_repeated"], s["trigger_events"]) == (1, 2, 6)


def test_an_interval_open_at_the_end_is_not_crossed():
    tracker, beam = _tracker()
    beam.push(True, 1.0)
    inside, ended = _run(tracker, [0.9, 1.0, 1.1])
    assert not ended and inside == {0: [1.0, 1.1]}
    (tr,) = tracker.flush()
    assert tr.clear is None and not tr.crossed() and tr.cross_time() is None and tr.last_seen == 1.1


def test_a_clear_that_arrives_before_a_later_frame_of_the_interval():
    """Live: the clear stamped at 1.55 is already in when the frame taken at 1.5 is processed."""
    tracker, beam = _tracker()
    beam.push(True, 1.0)
    beam.push(False, 1.55)
    inside, ended = _run(tracker, [1.4, 1.5, 1.6])
    assert inside == {0: [1.4, 1.5]} and [tr.id for tr in ended] == [0]


def test_decide_at_line_uses_the_expected_midpoint():
    tracker, beam = _tracker(decide_at="line")
    beam.push(True, 1.0)
    beam.push(False, 1.4)  # 0.4 s blocked
    _run(tracker, [1.0, 1.2, 1.5])
    beam.push(True, 3.0)  # the next item: its midpoint is expected 0.2 s in
    _run(tracker, [3.1])
    (tr,) = tracker.tracks
    assert tr.expected_mid == pytest.approx(3.2) and not tr.crossed()
    _run(tracker, [3.2])
    assert tr.crossed() and tr.cross_time() == pytest.approx(3.2)
    beam.push(False, 3.5)
    _run(tracker, [3.6])
    assert tr.cross_time() == pytest.approx(3.25)  # once clear, the true midpoint


def test_the_classification_window():
    tracker, _ = _tracker()
    assert tracker.window.frame_box == (164, 24, 316, 176)  # lane square centred on camera_line 240
    tracker, _ = _tracker({"roi": [400, 10, 700, 90]}, direction="right_to_left")
    assert tracker.window.frame_box == (400, 10, 480, 90)  # clipped to the frame, whatever the direction
    tracker, _ = _tracker({"roi": [20, 30, 60, 90]}, direction="bottom_to_top", camera_line=100)
    assert tracker.window.frame_box == (20, 30, 60, 90)
    with pytest.raises(FoodcamError, match="detection.trigger.roi"):
        _tracker({"roi": [500, 0, 600, 50]})


def test_synth_beam_follows_the_items_with_an_offset():
    """The simulated beam, placed 0.2 s of travel upstream: reference times are still the centre crossings."""
    from foodcam.scenes.conveyor import ConveyorFeed

    d = _line_dict({"type": "synth", "offset_s": 0.2})
    tracker = TriggerTracker(parse_line(d, "line.yaml"), SHAPE)
    feed = ConveyorFeed(size=(480, 200), seed=3, fps=20.0)
    ended = []
    for k in range(140):
        img, truth = feed.next()
        tracker.feed_truth(truth, k / 20.0)
        ended += tracker.update(img, k / 20.0)[1]
    crossed = [it for it in feed.items if it.time_at_x(240 - 0.2 * it.speed + it.width / 2) <= 139 / 20.0]
    assert len(ended) == len(crossed) >= 4
    for tr, item in zip(ended, crossed):  # one interval per item, in order, each referenced at its crossing
        assert tr.cross_time() == pytest.approx(item.time_at_x(240.0), abs=1e-9)


# --- end to end on synth://conveyor ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def colour_model(tmp_path_factory):
    pytest.importorskip("onnx")
    from test_sorting_e2e import build_colour_model

    path = tmp_path_factory.mktemp("trigger") / "colour_fixture.onnx"
    build_colour_model(path)
    return path


def _line_file(tmp_path, trigger: dict, name: str = "line.yaml") -> str:
    p = tmp_path / name
    d = {"name": "trigger-line", "lane": {"rect": [0, 24, 480, 176]}, "camera_line": 240,
         "ejector": {"travel_time_s": 2.5}, "decision": {"reject_threshold": 0.5, "min_frames": 3},
         "detection": {"method": "trigger", "trigger": trigger}, "timing": {"tolerance_s": 0.02},
         "actuator": {"type": "dryrun", "pulse_ms": 40}}
    p.write_text(json.dumps(d))
    return str(p)


def test_sort_cli_with_the_synth_trigger(colour_model, tmp_path, capsys):
    from test_sorting_e2e import FPS, URI

    from foodcam.camera.actuators import open_actuator
    from foodcam.camera.sorting.app import open_line_source, sort
    from foodcam.camera.sorting.audit import read_audit
    from foodcam.cli import main
    from foodcam.runtime.open import open_model

    seconds = 30
    audit, out = tmp_path / "audit.jsonl", tmp_path / "summary.json"
    rc = main(["sort", "--model", str(colour_model), "--source", URI, "--line", _line_file(tmp_path, {"type": "synth"}),
               "--audit", str(audit), "--max-seconds", str(seconds), "--json", str(out)])
    assert rc == 0
    assert "trigger: " in capsys.readouterr().out
    s = json.loads(out.read_text())
    t, recs = s["truth"], read_audit(audit)
    incomplete = {t["items"][str(r["id"])]["truth_id"] for r in recs if r["outcome"] == "incomplete"}
    # every item counted once; only one still in the beam when the stream ended may be missing
    assert t["expected"] >= 15 and not t["counted_twice"] and t["false_items"] == 0
    assert set(t["not_counted"]) <= incomplete and len(incomplete) <= 1
    assert t["counted_once"] == t["expected"] - len(t["not_counted"])
    assert s["items"] + s["incomplete"] == len(recs) and s["lost"] == 0
    assert s["trigger_events"] >= 2 * s["items"] and s["trigger_glitches"] == s["trigger_repeated"] == 0
    assert t["max_timing_error_s"] <= 1.0 / FPS and s["missed"] == 0 and s["fired"] == s["rejected"] >= 1
    for r in recs:
        b, c = r["trigger"]["blocked"], r["trigger"]["clear"]
        inside = [k for k in range(int(seconds * FPS) + 1) if b <= k / FPS < (c if c is not None else np.inf)]
        assert r["first_seen"] == b and r["frames"] == len(inside) == len(r["votes"])
        if r.get("decision"):
            assert r["last_seen"] == c and r["t_ref"] == pytest.approx((b + c) / 2, abs=1e-5)
            assert abs(r["scheduled_at"] - t["items"][str(r["id"])]["fire_at"]) <= 1.0 / FPS
    # decisions as good as the belt tracker's on the same stream with the same model
    d = json.loads(open(_line_file(tmp_path, {"type": "synth"})).read())
    del d["detection"]
    line = parse_line(d, "belt.yaml")
    act = open_actuator(line.actuator)
    act.connect()
    with open_model(colour_model) as model, open_line_source(URI) as src:
        belt = sort(model, src, line, act, max_seconds=seconds)
    assert t["accuracy"] >= 0.85 and t["accuracy"] >= belt["truth"]["accuracy"] - 0.05  # within one item


def test_cli_trigger_errors_are_one_line(colour_model, tmp_path, capsys):
    from test_sorting_e2e import URI

    from foodcam.cli import main

    udp = _line_file(tmp_path, {"type": "udp", "port": 0}, "udp.yaml")
    assert main(["sort", "--model", str(colour_model), "--source", URI, "--line", udp]) == 2
    err = capsys.readouterr().err
    assert "detection.trigger.type udp" in err and "wall clock" in err and "Traceback" not in err
    synth = _line_file(tmp_path, {"type": "synth"}, "synth.yaml")
    frames = tmp_path / "frames"  # a source without the conveyor's ground truth, which the synth trigger reads
    frames.mkdir()
    for k in range(3):
        cv2.imwrite(str(frames / f"{k}.jpg"), np.full((200, 480, 3), 90 + k, np.uint8))
    assert main(["sort", "--model", str(colour_model), "--source", str(frames), "--line", synth,
                 "--max-frames", "3"]) == 2
    err = capsys.readouterr().err
    assert "detection.trigger.type synth" in err and len(err.strip().splitlines()) == 1


# --- real inputs ----------------------------------------------------------------------------------------
def test_parse_state():
    good = {b'{"beam": "blocked"}': True, '{"beam":"clear"}': False, '{"state": 1}': True, b'{"state": 0}': False,
            b"1\n": True, "0": False, "BLOCKED\r\n": True, b"clear": False}
    assert {k: parse_state(k) for k in good} == good
    for bad in (b"\xff\xfe", "", "2", '{"beam": "maybe"}', '{"state": 0.5}', "[1]", '{"beam": "clear", "x": 1}'):
        assert parse_state(bad) is None, bad


def test_udp_trigger_on_loopback(caplog):
    caplog.set_level(logging.WARNING, logger="foodcam.sorting")
    trig = UdpTrigger("127.0.0.1", 0)
    trig.start()
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        before = time.perf_counter()
        for msg in (b'{"beam": "blocked"}', b"not json", b'{"state": 0}', b"\xff", b"1", b'{"beam": "maybe"}', b"0"):
            tx.sendto(msg, ("127.0.0.1", trig.port))
        assert _wait(lambda: trig.received + trig.malformed == 7)
        after = time.perf_counter()
        events = trig.poll()
    finally:
        tx.close()
        trig.close()
    assert [b for _, b in events] == [True, False, True, False]
    ts = [t for t, _ in events]
    assert ts == sorted(ts) and before <= ts[0] and ts[-1] <= after  # stamped on arrival, perf_counter clock
    assert trig.malformed == 3 and trig.poll() == []
    assert sum("malformed" in r.getMessage() for r in caplog.records) == 1  # logged once, counted always


def test_udp_trigger_drives_the_sorter_on_the_wall_clock(tmp_path):
    """A real datagram beam with the Sorter: only the frames taken while blocked are classified."""
    from tiny_onnx import cls_onnx

    from foodcam.camera.actuators import open_actuator
    from foodcam.camera.sorting.audit import AuditLog, read_audit
    from foodcam.camera.sorting.scheduler import WallClock
    from foodcam.camera.sorting.sorter import Sorter
    from foodcam.runtime.open import open_model

    beam_cfg = {"type": "udp", "port": 0, "min_blocked_s": 0}  # a few fast frames: shorter than a glitch
    line = parse_line(_line_dict(beam_cfg, ejector={"travel_time_s": 0.05}), "line.yaml")
    act = open_actuator(line.actuator)
    act.connect()
    frame = np.random.default_rng(0).integers(0, 255, (*SHAPE, 3), dtype=np.uint8)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with open_model(cls_onnx(tmp_path / "cls.onnx")) as model, AuditLog(tmp_path / "a.jsonl") as audit:
        sorter = Sorter(model, line, act, audit, WallClock())
        assert sorter.process(frame, time.perf_counter()).items == ()  # starts the receiver
        beam = sorter.tracker.input
        try:
            tx.sendto(b'{"beam": "blocked"}', ("127.0.0.1", beam.port))
            assert _wait(lambda: beam.received == 1)
            for _ in range(3):
                (tr,) = sorter.process(frame, time.perf_counter()).items
                assert tr.box == sorter.tracker.window.frame_box
            tx.sendto(b'{"beam": "clear"}', ("127.0.0.1", beam.port))
            assert _wait(lambda: beam.received == 2)
            assert sorter.process(frame, time.perf_counter()).items == ()
            s = sorter.finish()
        finally:
            tx.close()
    (rec,) = read_audit(tmp_path / "a.jsonl")
    assert rec["frames"] == len(rec["votes"]) == 3 and s["items"] == 1 and s["trigger_events"] == 2
    assert rec["first_seen"] < rec["last_seen"] and rec["trigger"]["clear"] == rec["last_seen"]
    assert rec["t_ref"] == pytest.approx((rec["first_seen"] + rec["last_seen"]) / 2, abs=1e-5)


def test_serial_trigger_on_a_pseudo_terminal(tmp_path):
    """Lines from a real pty pair; the port vanishes and comes back under the same name: it reconnects."""
    pytest.importorskip("serial")
    link = tmp_path / "ttyBEAM"
    master, slave = os.openpty()
    link.symlink_to(os.ttyname(slave))
    trig = SerialTrigger(str(link), 115200, backoff_s=0.02, backoff_max_s=0.1)
    trig.start()
    try:
        assert _wait(lambda: trig.connected)
        before = time.perf_counter()
        os.write(master, b"1\nclear\r\nbogus\n")
        os.write(master, b"bl")
        time.sleep(0.3)  # a line split over two reads, longer apart than the read timeout
        os.write(master, b"ocked\n")
        assert _wait(lambda: trig.received == 3 and trig.malformed == 1)
        events = trig.poll()
        assert [b for _, b in events] == [True, False, True] and all(t >= before for t, _ in events)
        link.unlink()  # the adapter is unplugged ...
        os.close(master)
        os.close(slave)
        assert _wait(lambda: not trig.connected)
        master, slave = os.openpty()  # ... and plugged in again
        link.symlink_to(os.ttyname(slave))
        assert _wait(lambda: trig.connected)
        os.write(master, b"0\n")
        assert _wait(lambda: trig.received == 4)
        assert [b for _, b in trig.poll()] == [False] and trig.reconnects == 1
    finally:
        trig.close()
        for fd in (master, slave):
            try:
                os.close(fd)
            except OSError:
                pass


def _has_jetson_gpio() -> bool:
    try:
        import Jetson.GPIO  # noqa: F401
    except (ImportError, RuntimeError):
        return False
    return True


def test_gpio_trigger_without_jetson_gpio_is_a_one_line_error():
    if _has_jetson_gpio():
        pytest.skip("Jetson.GPIO is installed here: the absence error cannot occur")
    with pytest.raises(FoodcamError) as e:
        GpioTrigger(12)
    assert "Jetson.GPIO" in str(e.value) and "\n" not in str(e.value)


@pytest.mark.skipif(not os.environ.get("FOODCAM_GPIO_LOOPBACK"),
                    reason="needs Jetson.GPIO and FOODCAM_GPIO_LOOPBACK='OUT_PIN,IN_PIN' (BOARD pins wired together)")
def test_gpio_trigger_sees_both_edges():
    if not _has_jetson_gpio():
        pytest.skip("Jetson.GPIO is not installed (not a Jetson)")
    import Jetson.GPIO as GPIO

    out_pin, in_pin = (int(p) for p in os.environ["FOODCAM_GPIO_LOOPBACK"].split(","))
    GPIO.setmode(GPIO.BOARD)
    GPIO.setup(out_pin, GPIO.OUT, initial=GPIO.LOW)
    trig = GpioTrigger(in_pin, "BOARD", active_low=False)
    trig.start()
    try:
        GPIO.output(out_pin, GPIO.HIGH)
        assert _wait(lambda: trig.received >= 1)
        GPIO.output(out_pin, GPIO.LOW)
        assert _wait(lambda: trig.received >= 2)
        assert [b for _, b in trig.poll()][-2:] == [True, False]
    finally:
        trig.close()
        GPIO.cleanup(out_pin)

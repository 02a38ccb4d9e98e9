"""Scheduling ejector commands (simulated and wall clock), the audit log, and the voting decision."""

from __future__ import annotations

import json
import threading
import time

import numpy as np
import pytest

from foodcam.camera.actuators import open_actuator
from foodcam.camera.sorting.audit import AuditLog, read_audit
from foodcam.camera.sorting.decide import Votes, check_task, decide
from foodcam.camera.sorting.scheduler import Scheduler, SimClock, WallClock
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.results import ClassificationResult
from foodcam.runtime.tasks import FRESHNESS, KITCHEN


def _dry():
    act = open_actuator({"type": "dryrun"})
    act.connect()
    return act


def test_simulated_clock_fires_each_command_at_its_time():
    act, clock, done = _dry(), SimClock(), []
    s = Scheduler(act, clock, tolerance_s=0.01)
    s.submit(1, "reject", 2.0, done.append)
    s.submit(2, "divert", 1.2, done.append)
    s.advance_to(1.0)
    assert done == [] and s.pending == 2
    s.advance_to(1.5)
    assert [(o.item_id, o.action, o.actual_at, o.outcome) for o in done] == [(2, "divert", 1.2, "fired")]
    assert clock.now() == 1.5
    s.close()  # drains: the rest fires at its own time
    assert [(o.item_id, o.actual_at) for o in done] == [(2, 1.2), (1, 2.0)]
    assert [c["id"] for c in act.fired] == [2, 1] and s.fired == 2 and s.missed == 0


def test_late_and_disconnected_commands_are_missed_not_lost():
    act, clock, done = _dry(), SimClock(5.0), []
    s = Scheduler(act, clock, tolerance_s=0.05)
    s.submit(1, "reject", 4.96, done.append)  # 40 ms late: within tolerance, fires now
    s.submit(2, "reject", 4.5, done.append)  # 500 ms late: missed at once
    down = open_actuator({"type": "udp", "host": "127.0.0.1", "port": 9})  # never connected
    s2 = Scheduler(down, clock, tolerance_s=0.05)
    s2.submit(3, "reject", 5.5, done.append)
    s2.advance_to(6.0)
    out = {o.item_id: o for o in done}
    assert out[1].outcome == "fired" and out[1].actual_at == 5.0
    assert out[2].outcome == "missed" and "after its actuation time" in out[2].error and out[2].actual_at is None
    assert out[3].outcome == "missed" and "not connected" in out[3].error
    assert [c["id"] for c in act.fired] == [1]


def test_closing_without_drain_reports_pending():
    done = []
    s = Scheduler(_dry(), SimClock(), tolerance_s=0.01)
    s.submit(1, "reject", 10.0, done.append)
    s.close(drain=False)
    assert [(o.item_id, o.outcome) for o in done] == [(1, "missed")] and "pending" in done[0].error
    with pytest.raises(RuntimeError):
        s.submit(2, "reject", 11.0)


def test_wall_clock_thread_fires_in_time_order():
    act, clock = _dry(), WallClock()
    got, lock = [], threading.Lock()

    def on_done(o):
        with lock:
            got.append(o)

    s = Scheduler(act, clock, tolerance_s=1.0)
    now = clock.now()
    for item, delay in ((1, 0.15), (2, 0.05), (3, 0.10)):
        s.submit(item, "reject", now + delay, on_done)
    s.close(drain=True)
    assert [o.item_id for o in got] == [2, 3, 1] and all(o.outcome == "fired" for o in got)
    assert all(o.actual_at >= o.scheduled_at - 0.001 for o in got)  # never early


def test_audit_lines_are_complete_and_appended(tmp_path):
    path = tmp_path / "logs" / "audit.jsonl"
    with AuditLog(path) as log:
        log.write({"id": 1, "p": np.float32(0.25), "t": float("nan"), "votes": [np.float64(0.5)]})
        assert json.loads(path.read_text().splitlines()[0])["id"] == 1  # on disk before close
    threads = []
    with AuditLog(path) as log:  # a second run appends
        for k in range(4):
            threads.append(threading.Thread(target=lambda k=k: [log.write({"id": 100 + 10 * k + i, "pad": "x" * 500})
                                                                  for i in range(10)]))
            threads[-1].start()
        for t in threads:
            t.join()
    recs = read_audit(path)
    assert len(recs) == 41 and recs[0]["p"] == 0.25 and recs[0]["t"] is None and "logged_at" in recs[0]
    assert sorted(r["id"] for r in recs[1:]) == sorted(100 + 10 * k + i for k in range(4) for i in range(10))
    path.write_text(path.read_text() + '{"id": 7, "trunc')
    with pytest.raises(FoodcamError, match=":42: not a complete JSON line"):
        read_audit(path)


def _votes(p_rotten: list[float]) -> Votes:
    v = Votes()
    for p in p_rotten:
        v.add(ClassificationResult(FRESHNESS, {"fruit": np.array([0.1, 0.7, 0.1, 0.1]),
                                               "freshness": np.array([1 - p, p])}, (10, 10)))
    return v


def test_decision_by_mean_vote():
    d = decide(_votes([0.9, 0.2, 0.8]), FRESHNESS, 0.5, 0.0, "pass", 3)
    assert d.action == "reject" and d.p_rotten == pytest.approx(0.6333, abs=1e-3) and d.fruit == "banana"
    assert d.mean_probs["freshness"]["rotten"] == pytest.approx(0.6333, abs=1e-3)
    assert decide(_votes([0.1, 0.3, 0.2]), FRESHNESS, 0.5, 0.0, "reject", 3).action == "pass"
    assert decide(_votes([0.5, 0.5, 0.5]), FRESHNESS, 0.5, 0.0, "pass", 3).action == "reject"  # P >= t


def test_low_confidence_action():
    band = decide(_votes([0.55, 0.5, 0.6]), FRESHNESS, 0.5, 0.1, "divert", 3)
    assert band.action == "divert" and band.low_confidence and "within" in band.reason
    few = decide(_votes([0.05]), FRESHNESS, 0.5, 0.0, "reject", 3)
    assert few.action == "reject" and few.low_confidence and "min_frames" in few.reason
    none = decide(Votes(), FRESHNESS, 0.5, 0.0, "pass", 3)
    assert none.action == "pass" and none.p_rotten is None


def test_sorting_needs_a_freshness_model():
    check_task(FRESHNESS, "m.onnx")
    with pytest.raises(FoodcamError, match="m.onnx.*freshness"):
        check_task(KITCHEN, "m.onnx")


def test_realtime_scheduler_is_not_advanced_by_hand():
    s = Scheduler(_dry(), WallClock())
    try:
        with pytest.raises(RuntimeError):
            s.advance_to(time.perf_counter())
    finally:
        s.close()

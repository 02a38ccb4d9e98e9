"""Threads that feed the line never die silently: a failure is logged, counted and the thread restarts;
links reconnect with one backoff helper."""

from __future__ import annotations

import socket
import threading

from foodcam.camera import supervise
from foodcam.camera.supervise import Backoff, Reconnect, Worker
from tests.conftest import wait_until

_wait = wait_until


def test_backoff_doubles_up_to_its_cap_and_resets():
    b = Backoff(0.001, 0.004)
    stop = threading.Event()
    delays = []
    for _ in range(4):
        delays.append(b.delay)
        assert not b.wait(stop)
    assert delays == [0.001, 0.002, 0.004, 0.004]
    b.reset()
    assert b.delay == 0.001
    stop.set()
    assert Backoff(60.0, 60.0).wait(stop)  # a stop cuts the wait short


def test_reconnect_warns_once_per_outage_and_counts_returns(caplog):
    link = Reconnect("probe", first_s=0.001, most_s=0.001)
    with caplog.at_level("DEBUG", logger="foodcam.camera"):
        link.opened()  # the first open is not a reconnect
        for _ in range(3):
            link.failed(OSError("refused"))
        link.opened()
        link.failed(OSError("refused again"))
        link.opened()
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert link.reconnects == 2 and len(warnings) == 2 and "refused" in warnings[0]
    assert sum("reconnected" in r.getMessage() for r in caplog.records) == 2


def test_a_worker_that_raises_is_logged_counted_and_restarted(caplog):
    calls = []
    stop = threading.Event()

    def body() -> None:
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError(f"unexpected #{len(calls)}")
        stop.wait()  # the third run keeps working until stopped

    before = supervise.faults()
    with caplog.at_level("ERROR", logger="foodcam.camera"):
        w = Worker("test worker", body, stop, restart_s=0.001).start()
        assert _wait(lambda: len(calls) == 3)
        assert w.is_alive() and w.restarts == 2 and w.last_error == "RuntimeError: unexpected #2"
        stop.set()
        w.join(2)
    assert not w.is_alive()
    assert supervise.faults_since(before) == {"test worker": 2}
    assert sum("restarting" in r.getMessage() for r in caplog.records) == 2 and "Traceback" in caplog.text


def test_the_udp_trigger_survives_an_unexpected_error(monkeypatch):
    """A bug hit by one datagram restarts the receiver, which goes on receiving: the line keeps its beam."""
    from foodcam.camera.sorting.trigger import TriggerInput, UdpTrigger

    real = TriggerInput._receive

    def receive(self, payload, t):
        if payload == b"boom":
            raise RuntimeError("a bug in the receiver")
        real(self, payload, t)

    monkeypatch.setattr(TriggerInput, "_receive", receive)
    trig = UdpTrigger("127.0.0.1", 0)
    trig.start()
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        tx.sendto(b"boom", ("127.0.0.1", trig.port))
        assert _wait(lambda: trig.restarts == 1)
        tx.sendto(b"1", ("127.0.0.1", trig.port))
        assert _wait(lambda: trig.received == 1)
    finally:
        tx.close()
        trig.close()
    assert [b for _, b in trig.poll()] == [True]


def test_an_actuator_keeper_failure_is_restarted(monkeypatch):
    """The link keeper's health check raising unexpectedly: the keeper restarts and the link stays kept."""
    from foodcam.camera.actuators import open_actuator

    act = open_actuator({"type": "dryrun"})
    boom = {"n": 0}

    def healthy() -> bool:
        boom["n"] += 1
        if boom["n"] == 1:
            raise ValueError("health check bug")
        return True

    monkeypatch.setattr(act, "_healthy", healthy)
    before = supervise.faults()
    with act:
        act._wake.set()
        assert _wait(lambda: boom["n"] >= 2, timeout=10)  # checked again after the restart
        act.fire(1, "reject", 0.0)
    assert supervise.faults_since(before) == {"dryrun keeper": 1} and act.sent == 1


def test_pipeline_summary_reports_restarts(tmp_path):
    """A run's summary names the threads that were restarted during it."""
    import cv2
    import numpy as np

    from foodcam.camera.pipeline import Pipeline, Stage
    from foodcam.camera.sinks import Sinks
    from foodcam.camera.sources import open_source

    for i in range(3):
        cv2.imwrite(str(tmp_path / f"{i}.png"), np.zeros((8, 8, 3), np.uint8))

    class Crashy(Stage):
        def process(self, frame, stats):
            if frame.index == 1:
                w = Worker("helper of a stage", lambda: 1 / 0, restart_s=0.001)
                w.start()
                _wait(lambda: w.restarts >= 1)
                w.stop.set()
            return None

    class Null:
        def draw(self, image, result, info):
            return image

    with open_source(str(tmp_path)) as src, Sinks(visualizer=Null(), analytics=False) as sinks:
        s = Pipeline(src, Crashy(), sinks).run()
    assert s["frames"] == 3 and s["thread_restarts"]["helper of a stage"] >= 1

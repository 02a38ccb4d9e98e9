"""The UDP actuator: one JSON datagram per command, received by a real socket on loopback."""

from __future__ import annotations

import json
import socket

import pytest

from foodcam.camera.actuators import ActuatorError, open_actuator
from foodcam.camera.sorting.scheduler import Scheduler, SimClock


@pytest.fixture
def receiver():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(3.0)
    yield s
    s.close()


def test_datagrams_carry_the_command(receiver):
    port = receiver.getsockname()[1]
    act = open_actuator({"type": "udp", "host": "127.0.0.1", "port": port, "pulse_ms": 35}, line="l7")
    assert act.connect()
    try:
        act.fire(5, "reject", at=3.25)
        msg = json.loads(receiver.recv(2048))
        assert msg["id"] == 5 and msg["action"] == "reject" and msg["at"] == 3.25
        assert msg["line"] == "l7" and msg["pulse_ms"] == 35 and msg["sent_unix"] > 0
        with pytest.raises(ActuatorError, match="unknown action"):
            act.fire(6, "launch", at=0.0)
    finally:
        act.close()


def test_scheduled_commands_arrive_in_time_order(receiver):
    port = receiver.getsockname()[1]
    act = open_actuator({"type": "udp", "host": "127.0.0.1", "port": port})
    act.connect()
    outcomes = []
    sched = Scheduler(act, SimClock(), tolerance_s=0.01)
    for item, at in ((1, 0.9), (2, 0.3), (3, 0.6)):
        sched.submit(item, "reject", at, outcomes.append)
    sched.advance_to(1.0)
    got = [json.loads(receiver.recv(2048)) for _ in range(3)]
    sched.close()
    act.close()
    assert [m["id"] for m in got] == [2, 3, 1]
    assert [(o.item_id, o.outcome, o.actual_at) for o in outcomes] == [(2, "fired", 0.3), (3, "fired", 0.6),
                                                                        (1, "fired", 0.9)]


def test_not_connected_before_connect(receiver):
    act = open_actuator({"type": "udp", "host": "127.0.0.1", "port": receiver.getsockname()[1]})
    assert not act.connected
    with pytest.raises(ActuatorError, match="not connected"):
        act.fire(1, "reject", at=0.0)

"""The MQTT actuator against a real mosquitto broker on a free loopback port.

Commands arrive with QoS 1; the retained status says online/offline (the last will covers a crash);
a broker outage makes the commands due meanwhile `missed` (logged, never silently lost), and the
actuator reconnects by itself when the broker is back on the same port.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ports import free_port

from foodcam.camera.actuators import ActuatorError, open_actuator
from foodcam.camera.sorting.audit import AuditLog, read_audit
from foodcam.camera.sorting.scheduler import Scheduler, SimClock

mqtt = pytest.importorskip("paho.mqtt.client")
MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
pytestmark = pytest.mark.skipif(not os.access(MOSQUITTO, os.X_OK), reason="mosquitto broker not installed")
ROOT = Path(__file__).resolve().parents[1]


class Broker:
    """mosquitto on 127.0.0.1:port, anonymous, no persistence (a restart forgets retained messages)."""

    def __init__(self, tmp: Path, port: int) -> None:
        self.port = port
        self.conf = tmp / f"mosquitto-{port}.conf"
        self.conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen([MOSQUITTO, "-c", str(self.conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        end = time.monotonic() + 10
        while time.monotonic() < end:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        pytest.skip(f"mosquitto did not start on port {self.port}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None


class Listener:
    """A subscriber on `<topic>/#`, QoS 1, re-subscribing after reconnects; messages go to a queue."""

    def __init__(self, port: int, topic: str) -> None:
        self.q: queue.Queue = queue.Queue()
        self.topic = topic
        self.c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"listener-{time.monotonic_ns()}")
        self.c.reconnect_delay_set(1, 1)
        self.c.on_connect = lambda c, u, f, rc, p: c.subscribe(f"{topic}/#", qos=1)
        self.c.on_message = lambda c, u, m: self.q.put((m.topic, m.payload.decode(), m.qos, m.retain))
        self.c.connect("127.0.0.1", port)
        self.c.loop_start()

    def get(self, topic_suffix: str, timeout: float = 5.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                msg = self.q.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                break
            if msg[0] == f"{self.topic}/{topic_suffix}":
                return msg
        raise AssertionError(f"no message on {self.topic}/{topic_suffix} within {timeout} s")

    def drain(self, wait: float = 0.3) -> list:
        time.sleep(wait)
        out = []
        while not self.q.empty():
            out.append(self.q.get())
        return out

    def close(self) -> None:
        self.c.disconnect()
        self.c.loop_stop()


def _wait(cond, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


@pytest.fixture
def broker(tmp_path):
    b = Broker(tmp_path, free_port())
    b.start()
    yield b
    b.stop()


def _actuator(port: int, topic: str):
    return open_actuator({"type": "mqtt", "host": "127.0.0.1", "port": port, "topic": topic, "backoff_s": 1,
                          "backoff_max_s": 1, "ack_timeout_s": 1.0}, line="test-line")


def test_commands_qos1_and_retained_status(broker):
    act = _actuator(broker.port, "plant/l1")
    act.connect()
    assert act.wait_connected(10)
    sub = Listener(broker.port, "plant/l1")
    try:
        topic, payload, _, retained = sub.get("status")
        assert payload == "online" and retained  # a late subscriber still learns the line is up
        act.fire(17, "reject", at=12.5)
        act.fire(18, "divert", at=13.0)
        got = [sub.get("command") for _ in range(2)]
        cmds = [json.loads(p) for _, p, _, _ in got]
        assert [c["id"] for c in cmds] == [17, 18] and [c["action"] for c in cmds] == ["reject", "divert"]
        assert all(q == 1 for _, _, q, _ in got)  # published with QoS 1
        assert cmds[0]["line"] == "test-line" and cmds[0]["at"] == 12.5 and cmds[0]["expires_unix"] > 0
        act.close()
        assert sub.get("status")[1] == "offline"
    finally:
        sub.close()
        act.close()
    late = Listener(broker.port, "plant/l1")  # the offline status is retained too
    try:
        _, payload, _, retained = late.get("status")
        assert payload == "offline" and retained
    finally:
        late.close()


def test_broker_outage_commands_missed_then_reconnect(broker, tmp_path):
    act = _actuator(broker.port, "plant/l2")
    act.connect()
    assert act.wait_connected(10)
    sub = Listener(broker.port, "plant/l2")
    sub.get("status")
    clock = SimClock()
    audit_path = tmp_path / "audit.jsonl"
    audit = AuditLog(audit_path)
    sched = Scheduler(act, clock, tolerance_s=0.05)

    def done(o):
        audit.write({"id": o.item_id, "scheduled_at": o.scheduled_at, "actual_at": o.actual_at,
                     "outcome": o.outcome, "error": o.error})

    try:
        sched.submit(1, "reject", 1.0, done)
        sched.advance_to(1.0)
        assert json.loads(sub.get("command")[1])["id"] == 1

        broker.stop()
        assert _wait(lambda: not act.connected, 10), "the actuator did not notice the broker going away"
        sched.submit(2, "reject", 2.0, done)
        sched.advance_to(2.0)  # due while the broker is down
        with pytest.raises(ActuatorError):
            act.fire(99, "reject", 2.0)

        broker.start()  # same port
        assert act.wait_connected(15), "no reconnection after the broker came back"
        assert _wait(lambda: sub.c.is_connected(), 15)
        time.sleep(0.3)  # the listener re-subscribes in its on_connect
        sched.submit(3, "reject", 3.0, done)
        sched.advance_to(3.0)
        assert json.loads(sub.get("command")[1])["id"] == 3
        assert 2 not in [json.loads(p)["id"] for t, p, _, _ in sub.drain() if t.endswith("/command")]
        assert act.reconnects >= 1
        fresh = Listener(broker.port, "plant/l2")  # the restarted broker forgot everything: re-published
        try:
            _, payload, _, retained = fresh.get("status")
            assert payload == "online" and retained
        finally:
            fresh.close()
    finally:
        sched.close()
        audit.close()
        sub.close()
        act.close()
    recs = {r["id"]: r for r in read_audit(audit_path)}
    assert recs[1]["outcome"] == "fired" and recs[3]["outcome"] == "fired"
    assert recs[2]["outcome"] == "missed" and "not connected" in recs[2]["error"] and recs[2]["actual_at"] is None


CRASHING_LINE = """
import sys, time
from foodcam.camera.actuators import open_actuator
act = open_actuator({"type": "mqtt", "host": "127.0.0.1", "port": int(sys.argv[1]), "topic": "plant/l3"})
act.connect()
assert act.wait_connected(10)
print("up", flush=True)
time.sleep(60)
"""


def test_last_will_marks_a_crashed_line_offline(broker):
    sub = Listener(broker.port, "plant/l3")
    proc = subprocess.Popen([sys.executable, "-c", CRASHING_LINE, str(broker.port)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "up"
        assert sub.get("status", timeout=10)[1] == "online"
        proc.send_signal(signal.SIGKILL)  # no goodbye: only the broker's last will can tell
        proc.wait(timeout=10)
        assert sub.get("status", timeout=10)[1] == "offline"
    finally:
        if proc.poll() is None:
            proc.kill()
        sub.close()

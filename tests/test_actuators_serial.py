"""The serial actuator over a real pseudo-terminal pair, and over pyserial's socket:// transport (for the
reconnect path: a serial-over-TCP device that goes away and comes back on the same port)."""

from __future__ import annotations

import os
import select
import socket
import threading
import time

import pytest

from foodcam.camera.actuators import ActuatorError, open_actuator

pytest.importorskip("serial")


def _read_line(fd: int, timeout: float = 3.0) -> bytes:
    buf = b""
    end = time.monotonic() + timeout
    while not buf.endswith(b"\n") and time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            buf += os.read(fd, 256)
    return buf


@pytest.fixture
def pty_pair():
    master, slave = os.openpty()
    name = os.ttyname(slave)
    yield master, name
    os.close(master)
    os.close(slave)


def test_commands_on_a_pty(pty_pair):
    master, port = pty_pair
    act = open_actuator({"type": "serial", "port": port, "baudrate": 115200})
    assert act.connect() and act.connected
    try:
        act.fire(7, "reject", at=1.25)
        assert _read_line(master) == b"REJECT 7\n"
        act.fire(8, "divert", at=1.5)
        assert _read_line(master) == b"DIVERT 8\n"
        assert act.sent == 2
    finally:
        act.close()
    assert not act.connected


def test_template_and_acknowledgements(pty_pair):
    master, port = pty_pair
    answers = iter([b"OK 1\n", b"ERR jammed\n"])

    def device():  # answers each command line, then falls silent
        for answer in answers:
            if not _read_line(master):
                return
            os.write(master, answer)

    t = threading.Thread(target=device, daemon=True)
    t.start()
    act = open_actuator({"type": "serial", "port": port, "ack": True, "ack_timeout_s": 0.3,
                         "template": "{ACTION} {id} {pulse_ms:.0f}", "pulse_ms": 45})
    act.connect()
    try:
        act.fire(1, "reject", at=0.0)  # acknowledged
        with pytest.raises(ActuatorError, match="jammed"):
            act.fire(2, "reject", at=0.0)
        t.join(timeout=5)
        with pytest.raises(ActuatorError, match="no acknowledgement"):
            act.fire(3, "reject", at=0.0)
        assert act.connected  # a refused or unanswered command is not a lost link
        assert _read_line(master) == b"REJECT 3 45\n"
        assert act.sent == 1
    finally:
        act.close()


class LineServer:
    """A TCP 'serial device' on a fixed loopback port answering every line with OK."""

    def __init__(self, port: int = 0) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.lines: list[str] = []
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        self.conns.append(conn)
        f = conn.makefile("rb")
        try:
            for raw in f:
                self.lines.append(raw.decode().strip())
                conn.sendall(b"OK\n")
        except OSError:
            pass

    def stop(self) -> None:
        self.sock.close()
        for c in self.conns:
            c.shutdown(socket.SHUT_RDWR)
            c.close()


def test_link_lost_then_reconnected_in_the_background():
    dev = LineServer()
    act = open_actuator({"type": "serial", "port": f"socket://127.0.0.1:{dev.port}", "ack": True,
                         "ack_timeout_s": 0.5, "backoff_s": 0.05, "backoff_max_s": 0.2})
    assert act.connect()
    try:
        act.fire(1, "reject", at=0.0)
        assert dev.lines == ["REJECT 1"]
        dev.stop()
        with pytest.raises(ActuatorError):  # the device is gone: the command fails, loudly
            for i in range(2, 5):  # a write into a dead socket may be buffered once before it errors
                act.fire(i, "reject", at=0.0)
        assert not act.connected
        dev2 = LineServer(dev.port)  # back on the same port
        assert act.wait_connected(10), "the keeper did not reconnect"
        act.fire(9, "reject", at=0.0)
        assert dev2.lines == ["REJECT 9"] and act.reconnects == 1
        dev2.stop()
    finally:
        act.close()


def test_missing_port_is_retried_not_fatal(tmp_path):
    act = open_actuator({"type": "serial", "port": str(tmp_path / "ttyUSB9"), "backoff_s": 0.05})
    try:
        assert act.connect() is False and not act.connected
        with pytest.raises(ActuatorError, match="not connected"):
            act.fire(1, "reject", at=0.0)
    finally:
        act.close()

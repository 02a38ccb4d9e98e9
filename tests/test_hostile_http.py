"""The live view under hostile clients: a cap on connections, idle (half-open) requests timed out, no traceback
when a client drops mid-response; and an output failing for lack of a file handle is tried again, not disabled."""

from __future__ import annotations

import errno
import socket
import struct
import threading
import time
import urllib.request

import numpy as np
import pytest

from foodcam.camera.frame import Frame
from foodcam.camera.sinks import base as sinks_base
from foodcam.camera.sinks import http as http_mod
from foodcam.camera.sinks.base import Sink, Sinks
from foodcam.camera.sinks.http import HttpSink
from tests.conftest import wait_until


@pytest.fixture()
def small_server(monkeypatch):
    monkeypatch.setattr(http_mod, "MAX_CONNECTIONS", 4, raising=False)
    monkeypatch.setattr(http_mod, "IDLE_S", 0.5, raising=False)
    sink = HttpSink("127.0.0.1:0")
    yield sink
    sink.close()


def _half_open(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET /stats HTTP/1.1\r\nHost: x\r\n")  # never finished
    return s


def test_idle_half_open_requests_neither_starve_the_view_nor_pile_up_threads(small_server):
    port = small_server.port
    before = threading.active_count()
    idle = [_half_open(port) for _ in range(12)]
    try:
        answers = []
        for s in idle[6:]:  # over the cap: refused at once with 503
            try:
                answers.append(s.recv(64))
            except (TimeoutError, OSError):
                answers.append(b"")
        assert any(a.startswith(b"HTTP/1.1 503") for a in answers), answers
        assert threading.active_count() - before <= 4 + 1  # the handlers of the capped connections, at most
        # the idle ones are closed after IDLE_S: the view answers again
        assert wait_until(lambda: _get(port) == 200, timeout=10)
    finally:
        for s in idle:
            s.close()


def _get(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=2) as r:
            return r.status
    except OSError:
        return None


def test_a_client_dropping_mid_stream_logs_no_traceback(small_server, capfd):
    port = small_server.port
    img = np.zeros((48, 64, 3), np.uint8)

    stop = threading.Event()

    def feed():
        k = 0
        while not stop.is_set():
            with small_server._cond:
                small_server._image, small_server._seq = img, small_server._seq + 1
                small_server._cond.notify_all()
            k += 1
            time.sleep(0.01)

    t = threading.Thread(target=feed, daemon=True)
    t.start()
    try:
        for k in range(6):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            if k % 2:  # mid-response
                s.sendall(b"GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
                s.recv(200)
            else:  # mid-request
                s.sendall(b"GET /stream HTTP/1.1\r\nHo")
                time.sleep(0.05)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # a reset, not a close
            s.close()
        time.sleep(0.3)
        assert wait_until(lambda: small_server.watchers == 0, timeout=10)
    finally:
        stop.set()
        t.join()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception occurred during processing" not in err, err[-2000:]


class NoHandles(Sink):
    """An output that cannot open its file twice (EMFILE), then can."""

    name = "events.jsonl"

    def __init__(self) -> None:
        self.calls = self.written = 0

    def write(self, out) -> None:
        self.calls += 1
        if self.calls <= 2:
            raise OSError(errno.EMFILE, "Too many open files")
        self.written += 1


class _Result:
    task = None
    mask = None


def test_an_output_out_of_file_handles_is_tried_again(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(sinks_base.time, "monotonic", lambda: now[0])
    sink = NoHandles()
    sinks = Sinks([sink], analytics=False, visualizer=object())
    sinks._started = True
    for k in range(40):
        sinks.render(Frame(image=np.zeros((4, 4, 3), np.uint8), index=k, timestamp=float(k)), _Result())
        now[0] += 1.0
    assert sink.written > 30 and "events.jsonl" not in sinks.failed and sinks.retries["events.jsonl"] == 2

"""Sources that wait: backoff, --retry at start, and an RTSP stream dropped mid-run, against a real server.

The RTSP server is GStreamer's gst-rtsp-server (tests/rtsp_server.py, run by the system Python with
PyGObject); .ci/run installs it from Debian. Without it, the RTSP tests are skipped with the reason.
"""

from __future__ import annotations

import logging
import subprocess
import threading
import time

import pytest
from gst_rtsp import SERVER, SYSTEM_PYTHON, server_missing
from ports import free_port

from foodcam.camera.sources import open_source
from foodcam.camera.sources.retry import backoff_delays, retry_open
from foodcam.runtime.errors import FoodcamError


def _server_missing() -> str | None:
    return server_missing(("videotestsrc", "jpegenc", "rtpjpegpay"),
                          "python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good")


def _start_server(port: int) -> subprocess.Popen:
    proc = subprocess.Popen([SYSTEM_PYTHON, str(SERVER), str(port)], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    if line != "ready":
        proc.kill()
        pytest.fail(f"RTSP server on port {port} did not start: {line!r}")
    return proc


def _stop(proc: subprocess.Popen) -> None:
    proc.kill()
    proc.wait(timeout=10)


def _wait(cond, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def test_backoff_delays_double_up_to_the_cap():
    it = backoff_delays(0.5, 3.0)
    assert [next(it) for _ in range(6)] == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]


def test_retry_open_logs_each_attempt_and_returns(caplog):
    calls = []

    def attempt():
        calls.append(1)
        if len(calls) < 3:
            raise FoodcamError("cam: cannot open this capture device or stream")
        return "opened"

    with caplog.at_level(logging.WARNING, "foodcam.camera"):
        assert retry_open(attempt, "cam", initial=0.01, maximum=0.02) == "opened"
    tries = [r.getMessage() for r in caplog.records if "not up yet" in r.getMessage()]
    assert len(calls) == 3 and len(tries) == 2 and "attempt 1" in tries[0] and "attempt 2" in tries[1]


def test_retry_open_gives_up_after_its_deadline():
    def attempt():
        raise FoodcamError("cam: cannot open")

    t0 = time.monotonic()
    with pytest.raises(FoodcamError, match="cannot open"):
        retry_open(attempt, "cam", give_up_after=0.3, initial=0.05, maximum=0.1)
    assert time.monotonic() - t0 < 5


def test_malformed_uri_fails_at_once_even_with_retry():
    with pytest.raises(FoodcamError, match="unknown option"):
        open_source("synth://kitchen?colour=red", retry=True, retry_for=30)


def test_file_source_with_retry_waits_for_the_file(tmp_path):
    import cv2
    import numpy as np

    path = tmp_path / "late.png"

    def arrive():  # as a careful producer does: written elsewhere, then renamed in (never seen half-written)
        cv2.imwrite(str(tmp_path / "late.tmp.png"), np.zeros((8, 8, 3), np.uint8))
        (tmp_path / "late.tmp.png").replace(path)

    threading.Timer(0.5, arrive).start()
    with open_source(str(path), retry=True, retry_for=20) as src:
        assert src.read() is not None


def test_refused_rtsp_without_retry_fails_at_once():
    t0 = time.monotonic()
    with pytest.raises(FoodcamError, match="cannot open"):
        open_source(f"rtsp://127.0.0.1:{free_port()}/none", retry=False)
    assert time.monotonic() - t0 < 30


@pytest.mark.slow
def test_rtsp_waits_for_a_late_server_and_survives_a_drop(caplog):
    why = _server_missing()
    if why:
        pytest.skip(why)
    port = free_port()
    url = f"rtsp://127.0.0.1:{port}/test"
    got: dict = {}

    def opener():
        try:
            got["source"] = open_source(url, retry=True, retry_for=60)
        except Exception as e:  # noqa: BLE001 - reported below
            got["error"] = e

    caplog.set_level(logging.INFO, "foodcam.camera")
    thread = threading.Thread(target=opener)
    thread.start()
    time.sleep(1.5)  # the camera comes up after the service (boot order)
    server = _start_server(port)
    try:
        thread.join(timeout=60)
        assert "source" in got, got.get("error")
        source = got["source"]
        messages = [r.getMessage() for r in caplog.records]
        assert any("not up yet (attempt 1" in m for m in messages), messages
        assert all(source.read(timeout=10) is not None for _ in range(5))

        _stop(server)  # the stream drops mid-run
        assert _wait(lambda: source.reopens >= 1, 30), "the drop was not noticed"
        assert not source.ended
        time.sleep(1.0)
        server = _start_server(port)  # ... and comes back
        before = source.produced
        assert _wait(lambda: source.produced >= before + 5, 45), "no frames after the server came back"
        assert any("reconnected" in r.getMessage() for r in caplog.records)  # camera.supervise.Reconnect
        assert source.read(timeout=10) is not None
        source.close()
    finally:
        _stop(server)
        if "source" in got:
            got["source"].close()

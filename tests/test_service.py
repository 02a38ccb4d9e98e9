"""The systemd service: the unit file verifies, and the loop talks systemd's notify protocol over a real
AF_UNIX datagram socket (READY=1, WATCHDOG=1 while frames flow and none once the loop freezes, STOPPING=1)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from tiny_onnx import seg_onnx

from foodcam.camera.pipeline import Pipeline
from foodcam.camera.sdnotify import Notifier
from foodcam.camera.sinks import Sinks
from foodcam.camera.sources import open_source
from foodcam.cli import main
from foodcam.runtime.open import open_model

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "docs" / "foodcam.service"


class NotifySocket:
    """What systemd listens on: a unix datagram socket, read on its own thread as systemd reads it."""

    def __init__(self, path: str, read: bool = True) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind("\0" + path[1:] if path.startswith("@") else path)
        self.sock.settimeout(0.05)
        self.messages: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        if read:
            self._reader.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                self.messages.append((time.monotonic(), self.sock.recv(4096).decode()))
            except TimeoutError:
                continue

    def drain(self) -> list[str]:
        """Every message received so far (after a moment for those in flight)."""
        time.sleep(0.2)
        return [m for _, m in self.messages]

    def close(self) -> None:
        self._stop.set()
        if self._reader.is_alive():
            self._reader.join(2)
        self.sock.close()


@pytest.fixture
def notify_socket(tmp_path):
    s = NotifySocket(str(tmp_path / "notify.sock"))
    yield s
    s.close()


def test_unit_file_passes_systemd_analyze_verify(tmp_path):
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze not installed (Debian/Ubuntu package: systemd)")
    foodcam = Path(sys.executable).with_name("foodcam")
    if not foodcam.exists():
        pytest.skip(f"no foodcam entry point beside {sys.executable} to stand in for ExecStart")
    text = UNIT.read_text().replace("/opt/foodcam/.venv/bin/foodcam", str(foodcam))
    unit = tmp_path / "foodcam.service"
    unit.write_text(text)
    p = subprocess.run([tool, "verify", str(unit)], capture_output=True, text=True, timeout=60)
    # systemd-analyze only warns (exit 0) on unknown keys or bad values: any output at all is a finding
    assert p.returncode == 0 and (p.stdout + p.stderr).strip() == "", p.stdout + p.stderr


def test_unit_restarts_with_backoff_after_network_and_camera_with_a_watchdog():
    keys: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            k, v = line.split("=", 1)
            keys.setdefault(k.strip(), []).append(v.strip())
    assert keys["Type"] == ["notify"] and keys["WatchdogSec"] and keys["Restart"] == ["on-failure"]
    assert keys["RestartSec"] and keys["StartLimitIntervalSec"] and keys["StartLimitBurst"]
    assert "network-online.target" in keys["After"] and "dev-video0.device" in keys["After"]
    assert keys["StandardOutput"] == ["journal"] and keys["KillSignal"] == ["SIGTERM"]
    assert keys["ExecStart"][0].endswith("foodcam run --config /etc/foodcam/run.yaml")
    assert (ROOT / "docs" / "99-foodcam-camera.rules").read_text().count('TAG+="systemd"') == 1


def test_notifier_speaks_the_protocol(notify_socket, tmp_path, caplog):
    n = Notifier(notify_socket.path, watchdog_usec=3_000_000)  # pings at most every second
    assert n.ready("warming up") and n.watchdog() and not n.watchdog()  # the second is rate-limited
    assert n.status("12 fps") and n.stopping()
    assert notify_socket.drain() == ["READY=1\nSTATUS=warming up", "WATCHDOG=1", "STATUS=12 fps", "STOPPING=1"]
    n.close()

    abstract = NotifySocket(f"@foodcam-test-{os.getpid()}")  # systemd may also use the abstract namespace
    try:
        assert Notifier(abstract.path).ready() and abstract.drain() == ["READY=1"]
    finally:
        abstract.close()

    deaf = NotifySocket(str(tmp_path / "deaf.sock"), read=False)  # a reader that lags: its queue fills up
    try:
        n, t = Notifier(deaf.path), time.monotonic()
        sent = [n.notify("WATCHDOG=1") for _ in range(2000)]
        assert sent[0] and not sent[-1] and time.monotonic() - t < 5  # dropped, never blocking the loop
    finally:
        deaf.close()

    gone = Notifier(str(tmp_path / "nobody-listens.sock"), watchdog_usec=1)
    with caplog.at_level("WARNING", logger="foodcam.camera"):
        assert not gone.ready() and not gone.watchdog() and not gone.stopping()  # never raises
    assert len([r for r in caplog.records if "nobody-listens" in r.getMessage()]) == 1  # said once


def test_notifier_from_the_environment():
    assert not Notifier.from_env({}).enabled  # outside systemd: nothing is sent
    n = Notifier.from_env({"NOTIFY_SOCKET": "/run/x.sock", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())})
    assert n.enabled and n.interval == pytest.approx(10.0)
    other = Notifier.from_env({"NOTIFY_SOCKET": "/run/x.sock", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"})
    assert other.enabled and other.interval is None  # the watchdog belongs to another process


def test_foodcam_run_under_a_notify_socket(notify_socket, tmp_path, monkeypatch):
    model = seg_onnx(tmp_path / "tiny.onnx")
    monkeypatch.setenv("NOTIFY_SOCKET", notify_socket.path)
    monkeypatch.setenv("WATCHDOG_USEC", "150000")  # a ping at least every 50 ms
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    rc = main(["run", "--model", str(model), "--source", "synth://kitchen?fps=20&size=64x48", "--max-seconds", "1",
               "--threads", "1"])
    assert rc == 0
    got = notify_socket.drain()
    assert got[0].startswith("READY=1\nSTATUS=running on synth://kitchen") and got[-1] == "STOPPING=1"
    assert got.count("WATCHDOG=1") >= 5 and set(got[1:-1]) == {"WATCHDOG=1"}


class FreezableModel:
    """A real model whose inference can be made to hang, as a wedged GPU call would."""

    def __init__(self, model) -> None:
        self.model, self.path = model, "freezable"
        self.frozen, self.release, self.stuck = threading.Event(), threading.Event(), threading.Event()

    def preprocess(self, image):
        return self.model.preprocess(image)

    def infer(self, batch):
        if self.frozen.is_set():
            self.stuck.set()
            self.release.wait(10)
        return self.model.infer(batch)

    def postprocess(self, outputs, shape):
        return self.model.postprocess(outputs, shape)


def test_a_frozen_loop_stops_the_watchdog_pings(notify_socket, tmp_path, monkeypatch):
    monkeypatch.setenv("NOTIFY_SOCKET", notify_socket.path)
    monkeypatch.setenv("WATCHDOG_USEC", "150000")
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    with open_model(seg_onnx(tmp_path / "tiny.onnx"), threads=1) as real, \
            open_source("synth://kitchen?fps=20&size=64x48") as source, Sinks() as sinks:
        model = FreezableModel(real)
        pipeline = Pipeline(source, model, sinks)
        runner = threading.Thread(target=pipeline.run, daemon=True)
        runner.start()
        time.sleep(0.6)
        model.frozen.set()
        assert model.stuck.wait(10), "the loop never reached inference"
        frozen_at = time.monotonic() + 0.15  # a ping sent just before, still on its way to the reader
        time.sleep(1.0)  # frozen: > 5 watchdog intervals
        notify_socket.drain()
        model.frozen.clear()
        model.release.set()
        pipeline.stop("test")
        runner.join(10)
    pings = [t for t, m in notify_socket.messages if m == "WATCHDOG=1"]
    assert len([t for t in pings if t < frozen_at]) >= 3
    # nothing while frozen: systemd would have killed and restarted the service after WatchdogSec
    assert not [t for t in pings if frozen_at <= t < frozen_at + 0.8]
    assert not runner.is_alive()


def test_unit_limits_file_handles_threads_and_memory():
    lines = UNIT.read_text().splitlines()
    for key in ("LimitNOFILE=", "TasksMax=", "MemoryMax="):
        assert any(line.startswith(key) for line in lines), key


def test_containers_publish_the_live_view_on_loopback_only():
    docker = ROOT / "docker"
    for f in docker.glob("*.Dockerfile"):
        text = f.read_text()
        assert "-p 8080:8080" not in text and ("-p 127.0.0.1:8080:8080" in text or "8080" not in text), f
    assert "-p 127.0.0.1:8080:8080" in (docker / "run.yaml").read_text()

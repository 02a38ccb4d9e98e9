"""--save out.mp4 is H.264 (what browsers play) where an encoder exists, MPEG-4 Part 2 with one warning where not;
--save rtp:// and rtsp:// stream H.264 to a real receiver on loopback."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from gst_rtsp import SERVER, SYSTEM_PYTHON, server_missing
from ports import free_port
from tiny_onnx import seg_onnx

from foodcam.camera.sinks import StreamSink, encoders, save_sink, video
from foodcam.camera.sinks.video import VideoSink
from foodcam.cli import main
from foodcam.runtime.errors import FoodcamError


def h264_missing() -> str | None:
    if encoders.ffmpeg_h264(encoders.ffmpeg_binary()) or encoders.opencv_avc1() or encoders.opencv_gstreamer():
        return None
    return "no H.264 encoder on this machine (apt install ffmpeg: libx264)"


def stream_missing() -> str | None:
    if encoders.ffmpeg_h264(encoders.ffmpeg_binary()) or encoders.opencv_gstreamer():
        return None
    return "no H.264 streaming here: neither ffmpeg with libx264/libopenh264 nor OpenCV with GStreamer"


class Drawn:  # what a sink receives: only .image is read
    def __init__(self, image: np.ndarray) -> None:
        self.image = image


def frames(n: int, size=(65, 49)):
    rng = np.random.default_rng(0)
    for i in range(n):
        img = np.full((size[1], size[0], 3), (i * 20) % 255, np.uint8)
        img[10:30, 10:40] = rng.integers(0, 255, (20, 30, 3), dtype=np.uint8)
        yield Drawn(img)


def fourcc_of(path: Path) -> str:
    cap = cv2.VideoCapture(str(path))
    assert cap.isOpened(), f"{path} does not open"
    code = int(cap.get(cv2.CAP_PROP_FOURCC))
    n = 0
    while cap.read()[0]:
        n += 1
    cap.release()
    assert n > 0, f"{path}: no frames decode"
    return "".join(chr((code >> 8 * i) & 0xFF) for i in range(4)).lower()


@pytest.mark.skipif(h264_missing() is not None, reason=h264_missing() or "")
@pytest.mark.parametrize("name", ["out.mp4", "out.mkv", "out.mov"])
def test_video_files_are_h264(tmp_path, name, caplog):
    sink = VideoSink(tmp_path / name, fps=10)
    with caplog.at_level(logging.INFO, logger="foodcam.camera"):
        for f in frames(12):  # odd frame size: padded to even for 4:2:0
            sink.write(f)
        sink.close()
    assert fourcc_of(tmp_path / name) in ("avc1", "h264")
    assert sink.summary()["video"]["codec"].startswith("H.264")
    assert any("H.264" in r.getMessage() and name in r.getMessage() for r in caplog.records)  # the codec is said
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def test_without_an_h264_encoder_it_falls_back_to_mp4v_with_one_warning(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("FOODCAM_FFMPEG", "")  # no ffmpeg binary
    monkeypatch.setattr(encoders, "opencv_avc1", lambda: False)
    monkeypatch.setattr(encoders, "opencv_gstreamer", lambda: False)
    monkeypatch.setattr(video, "_warned_no_h264", False)
    with caplog.at_level(logging.INFO, logger="foodcam.camera"):
        for name in ("a.mp4", "b.mp4"):
            sink = VideoSink(tmp_path / name, fps=10)
            for f in frames(6):
                sink.write(f)
            sink.close()
            assert sink.summary()["video"]["codec"] == "MPEG-4 Part 2 (mp4v)"
            assert fourcc_of(tmp_path / name) in ("mp4v", "fmp4")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "no H.264 encoder" in warnings[0] and "mp4v" in warnings[0]


PROBE_AVC1 = """
import cv2
from foodcam.camera.sinks import encoders
print("avc1", encoders.opencv_avc1(), "gstreamer writer", encoders._gst_writer("fakesink", 15, (64, 64), False))
print("log level restored", cv2.utils.logging.getLogLevel() != cv2.utils.logging.LOG_LEVEL_SILENT)
"""


def test_probing_opencvs_encoders_prints_nothing_of_its_own():
    """A probe that fails is an answer, not an error for the user: OpenCV's and its FFmpeg's own lines stay off
    the terminal (a fresh process: the probe is cached, and FFmpeg's log level is read once)."""
    env = {k: v for k, v in os.environ.items() if k != "OPENCV_FFMPEG_LOGLEVEL"}
    r = subprocess.run([sys.executable, "-c", PROBE_AVC1], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    assert "avc1" in r.stdout and "log level restored True" in r.stdout
    assert r.stderr.strip() == "", r.stderr


def test_avi_stays_mjpeg(tmp_path):
    sink = VideoSink(tmp_path / "out.avi", fps=10)
    for f in frames(4):
        sink.write(f)
    sink.close()
    assert fourcc_of(tmp_path / "out.avi") == "mjpg"


@pytest.mark.skipif(h264_missing() is not None, reason=h264_missing() or "")
def test_run_saves_h264_and_says_so(tmp_path, capsys):
    model = seg_onnx(tmp_path / "tiny.onnx")
    out, summary = tmp_path / "out.mp4", tmp_path / "summary.json"
    rc = main(["run", "--model", str(model), "--source", "synth://kitchen?fps=0&size=96x72", "--max-frames", "8",
               "--save", str(out), "--summary", str(summary)])
    assert rc == 0
    assert fourcc_of(out) in ("avc1", "h264")
    assert "H.264" in json.dumps(json.loads(summary.read_text()))


@pytest.mark.parametrize("url", ["rtp://127.0.0.1", "rtp://:5000", "rtsp://", "rtp://127.0.0.1:99999"])
def test_malformed_stream_urls_fail_before_the_run(url):
    with pytest.raises(FoodcamError, match="expected rtsp://HOST"):
        save_sink(url)


def test_stream_urls_make_stream_sinks():
    assert isinstance(save_sink("rtp://127.0.0.1:5000", fps=15), StreamSink)
    assert isinstance(save_sink("rtsp://127.0.0.1:8554/live"), StreamSink)


@pytest.mark.skipif(stream_missing() is not None, reason=stream_missing() or "")
def test_rtp_stream_reaches_a_udp_receiver_as_h264_rtp():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rx:
        rx.bind(("127.0.0.1", 0))
        rx.settimeout(20)
        packets: list[bytes] = []

        def receive() -> None:
            try:
                while len(packets) < 10:
                    packets.append(rx.recv(65536))
            except OSError:
                pass

        t = threading.Thread(target=receive)
        t.start()
        sink = StreamSink(f"rtp://127.0.0.1:{rx.getsockname()[1]}", fps=10)
        for f in frames(20, (64, 48)):
            sink.write(f)
        sink.close()
        t.join(timeout=30)
    assert len(packets) >= 10
    assert all(p[0] >> 6 == 2 for p in packets)  # RTP version 2
    assert {p[1] & 0x7F for p in packets} == {96}  # dynamic payload type of H.264
    assert sink.summary()["stream"]["frames"] == 20 and sink.summary()["stream"]["codec"].startswith("H.264")


def _record_server_missing() -> str | None:
    return server_missing(("rtph264depay", "h264parse", "filesink"),
                          "python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-good gstreamer1.0-plugins-bad")


@pytest.mark.skipif(stream_missing() is not None, reason=stream_missing() or "")
def test_rtsp_publishes_h264_to_a_recording_server(tmp_path):
    missing = _record_server_missing()
    if missing:
        pytest.skip(missing)
    port, received = free_port(), tmp_path / "received.h264"
    server = subprocess.Popen([SYSTEM_PYTHON, str(SERVER), str(port), "record", str(received)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout.readline().strip() == "ready"
        sink = StreamSink(f"rtsp://127.0.0.1:{port}/test", fps=10)
        end = time.monotonic() + 60
        for f in frames(10_000, (64, 48)):  # a live stream: frames at about its rate until the server has some
            sink.write(f)
            time.sleep(0.05)
            if sink.frames >= 20 and ({7, 8, 5} <= nal_types(received) or time.monotonic() > end):
                break
        sink.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert {7, 8, 5} <= nal_types(received)  # H.264 SPS, PPS and an IDR slice arrived at the server


def nal_types(path: Path) -> set[int]:
    """The NAL unit types of an Annex B H.264 byte stream (7 SPS, 8 PPS, 5 IDR slice)."""
    data = path.read_bytes() if path.exists() else b""
    return {data[i + 4] & 0x1F for i in range(len(data) - 4) if data[i:i + 4] == b"\0\0\0\1"}


@pytest.mark.skipif(encoders.ffmpeg_h264(encoders.ffmpeg_binary()) is None, reason="no ffmpeg with an H.264 encoder")
def test_a_stream_with_no_server_fails_with_one_line_naming_it():
    sink = StreamSink(f"rtsp://127.0.0.1:{free_port()}/nobody", fps=10)
    with pytest.raises(FoodcamError, match=r"rtsp://127\.0\.0\.1:\d+/nobody: ffmpeg (stopped|failed)"):
        end = time.monotonic() + 60
        for f in frames(10_000, (64, 48)):
            sink.write(f)
            if time.monotonic() > end:
                break
        sink.close()

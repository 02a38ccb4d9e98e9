"""H.264 for video files and network streams, from whichever encoder this machine has.

    writer = open_h264(target, fps, (w, h), container="mp4")   # None when no H.264 encoder exists here
    writer.write(bgr); writer.release(); writer.codec          # "H.264 (libx264 via ffmpeg)"

Tried in order, each probed once per process with a real one-frame encode:
  1. the `ffmpeg` binary with libx264 or libopenh264, frames piped as raw BGR (works with any OpenCV build);
  2. OpenCV's own writer with fourcc avc1 (OpenCV builds whose FFmpeg has an H.264 encoder);
  3. OpenCV built with GStreamer (JetPack's): appsrc ! x264enc | openh264enc ! mux/payloader.
Streams (rtsp:// publishes to a server in RECORD mode, rtp:// sends RTP/H.264 over UDP, payload type 96) use the
same encoders without the avc1 step. FOODCAM_FFMPEG names another ffmpeg binary ("" disables it).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import cv2
import numpy as np

from foodcam.runtime.errors import FoodcamError

log = logging.getLogger("foodcam.camera")

FFMPEG_ENCODERS = ("libx264", "libopenh264")  # software encoders that exist wherever they are listed
GST_ENCODERS = ("x264enc", "openh264enc")
MUXERS = {"mp4": "mp4mux", "mov": "qtmux", "matroska": "matroskamux"}  # ffmpeg format -> GStreamer muxer


def ffmpeg_binary() -> str | None:
    name = os.environ.get("FOODCAM_FFMPEG", "ffmpeg")
    return shutil.which(name) if name else None


def ffmpeg_probe_argv(binary: str, encoder: str) -> list[str]:
    """The command that encodes one frame with `encoder` and exits 0 only where it really works."""
    return [binary, "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "color=size=64x64:rate=1",
            "-frames:v", "1", "-c:v", encoder, "-pix_fmt", "yuv420p", "-f", "null", "-"]


@functools.cache
def ffmpeg_h264(binary: str | None) -> str | None:
    """The first of FFMPEG_ENCODERS that `binary` can really encode a frame with, or None."""
    if binary is None:
        return None
    for enc in FFMPEG_ENCODERS:
        try:
            if subprocess.run(ffmpeg_probe_argv(binary, enc), capture_output=True, timeout=30).returncode == 0:
                return enc
        except (OSError, subprocess.SubprocessError):
            return None
    return None


@contextlib.contextmanager
def quiet_opencv():
    """OpenCV's and its FFmpeg's own [ERROR] lines off while an encoder is probed: a probe that fails is an answer
    (the next encoder is tried, and the one chosen is logged), not an error for the user to read.
    OPENCV_FFMPEG_LOGLEVEL is read once, when OpenCV first opens its FFmpeg backend; a value the user set wins."""
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # AV_LOG_QUIET
    before = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    try:
        yield
    finally:
        cv2.utils.logging.setLogLevel(before)


@functools.cache
def opencv_avc1() -> bool:
    """Whether this OpenCV build writes H.264 itself (a one-frame test file)."""
    return avc1_writes(cv2)


def avc1_writes(cv) -> bool:
    """Whether the OpenCV module `cv` writes a one-frame H.264 (avc1) file (OpenCV's own messages off meanwhile)."""
    with tempfile.TemporaryDirectory() as d, quiet_opencv():
        w = cv.VideoWriter(str(Path(d) / "probe.mp4"), cv.VideoWriter_fourcc(*"avc1"), 15, (64, 64))
        ok = w.isOpened()
        if ok:
            w.write(np.zeros((64, 64, 3), np.uint8))
        w.release()
        return ok and (Path(d) / "probe.mp4").is_file() and (Path(d) / "probe.mp4").stat().st_size > 0


@functools.cache
def opencv_gstreamer() -> bool:
    return re.search(r"GStreamer:\s*YES", cv2.getBuildInformation()) is not None


class FfmpegWriter:
    """Raw BGR frames piped into an ffmpeg process that encodes H.264 to a file or a stream URL."""

    def __init__(self, binary: str, encoder: str, target: str, fmt: str, fps: float, size: tuple[int, int],
                 live: bool = False) -> None:
        self.target, self.codec = target, f"H.264 ({encoder} via ffmpeg)"
        tune = ["-tune", "zerolatency", "-preset", "ultrafast"] if encoder == "libx264" and live else \
            ["-preset", "veryfast"] if encoder == "libx264" else []
        # flush_packets: the file grows as frames are encoded (what --rotate SIZE measures), not in 32 KB steps
        out = ["-flush_packets", "1"] + (["-movflags", "+faststart"] if fmt in ("mp4", "mov") else [])
        out += ["-rtsp_transport", "tcp"] if fmt == "rtsp" else []
        cmd = [binary, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
               "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{size[0]}x{size[1]}", "-r", f"{fps:g}", "-i", "pipe:0",
               "-an", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", encoder, *tune, "-pix_fmt", "yuv420p",
               "-g", str(max(1, round(2 * fps))), *out, "-f", fmt, target]
        self._err = tempfile.TemporaryFile()
        # its own session (process group): a terminal's Ctrl-C signals the whole foreground group, and an encoder
        # killed by it would leave no playable file; the loop finalises the encoder itself on SIGINT / SIGTERM
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._err,
                                      start_new_session=True)

    def _why(self) -> str:
        self._err.seek(0)
        lines = [ln for ln in self._err.read().decode(errors="replace").splitlines() if ln.strip()]
        return lines[-1].strip() if lines else f"exit code {self._proc.returncode}"

    def write(self, img: np.ndarray) -> None:
        try:
            self._proc.stdin.write(np.ascontiguousarray(img).tobytes())
        except (BrokenPipeError, ValueError, OSError):
            self._proc.wait(timeout=30)
            raise FoodcamError(f"{self.target}: ffmpeg stopped ({self._why()})") from None

    def release(self) -> None:
        if self._proc.stdin is not None and not self._proc.stdin.closed:
            try:
                self._proc.stdin.close()
            except OSError:
                pass
        try:
            rc = self._proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            rc = self._proc.wait()
        why = self._why() if rc != 0 else ""
        self._err.close()
        if rc != 0:
            raise FoodcamError(f"{self.target}: ffmpeg failed ({why})")


class OpenCVWriter:
    """cv2.VideoWriter (a fourcc, or a GStreamer pipeline) with the same write/release/codec surface."""

    def __init__(self, writer: cv2.VideoWriter, codec: str) -> None:
        self._w, self.codec = writer, codec

    def write(self, img: np.ndarray) -> None:
        self._w.write(img)

    def release(self) -> None:
        self._w.release()


def _gst_writer(sink: str, fps: float, size: tuple[int, int], live: bool) -> OpenCVWriter | None:
    if not opencv_gstreamer():
        return None
    for enc in GST_ENCODERS:
        opts = " tune=zerolatency speed-preset=ultrafast" if enc == "x264enc" and live else ""
        pipe = f"appsrc ! videoconvert ! video/x-raw,format=I420 ! {enc}{opts} ! h264parse ! {sink}"
        with quiet_opencv():
            w = cv2.VideoWriter(pipe, cv2.CAP_GSTREAMER, 0, fps, size, True)
        if w.isOpened():
            return OpenCVWriter(w, f"H.264 ({enc} via GStreamer)")
        w.release()
    return None


def open_h264(path: str, fps: float, size: tuple[int, int], container: str):
    """A writer of H.264 into the file `path` (`container`: mp4, mov or matroska), or None without an encoder."""
    binary = ffmpeg_binary()
    enc = ffmpeg_h264(binary)
    if enc is not None:
        return FfmpegWriter(binary, enc, path, container, fps, size)
    if container in ("mp4", "mov") and opencv_avc1():
        w = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"avc1"), fps, size)
        if w.isOpened():
            return OpenCVWriter(w, "H.264 (OpenCV avc1)")
    return _gst_writer(f"{MUXERS[container]} ! filesink location={path}", fps, size, live=False)


def check_stream_url(url: str) -> tuple[str, str, int]:
    """'rtsp://host:8554/path' | 'rtp://host:5000' -> (scheme, host, port); FoodcamError for anything else."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in ("rtsp", "rtp") or not parts.hostname or (parts.scheme == "rtp" and port is None):
        raise FoodcamError(f"--save {url}: expected rtsp://HOST[:PORT]/PATH or rtp://HOST:PORT")
    return parts.scheme, parts.hostname, port or 554


def open_stream(url: str, fps: float, size: tuple[int, int]):
    """A writer that publishes H.264 to `url` (rtsp:// RECORD, or rtp:// over UDP); FoodcamError without an encoder."""
    scheme, host, port = check_stream_url(url)
    binary = ffmpeg_binary()
    enc = ffmpeg_h264(binary)
    if enc is not None:
        return FfmpegWriter(binary, enc, url, scheme, fps, size, live=True)
    sink = (f"rtspclientsink location={url}" if scheme == "rtsp"
            else f"rtph264pay config-interval=1 pt=96 ! udpsink host={host} port={port}")
    w = _gst_writer(sink, fps, size, live=True)
    if w is None:
        raise FoodcamError(f"--save {url}: streaming needs ffmpeg with libx264/libopenh264 (apt install ffmpeg) "
                           "or OpenCV built with GStreamer (x264enc, rtspclientsink)")
    return w

"""Frame sources: every kind this machine can produce, looping, real-time playback, live failure and recovery."""

from __future__ import annotations

import threading
import time

import cv2
import numpy as np
import pytest

from foodcam.camera.sources import FileSource, LiveSource, describe, open_source, parse_uri
from foodcam.camera.sources.capture import has_gstreamer, video_file
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import KITCHEN


def tagged(i: int, size=(48, 32)) -> np.ndarray:
    """A frame whose first pixel row carries its number."""
    img = np.full((size[1], size[0], 3), 40, np.uint8)
    img[:4] = i * 10
    return img


def tag_of(img: np.ndarray) -> int:
    return int(round(float(img[:3, :, :].mean()) / 10))


@pytest.fixture
def image_dir(tmp_path):
    d = tmp_path / "frames"
    d.mkdir()
    for i in range(5):
        cv2.imwrite(str(d / f"f{i:02d}.png"), tagged(i))
    return d


@pytest.fixture
def video(tmp_path):
    path = tmp_path / "clip.mp4"
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 25.0, (48, 32))
    for i in range(12):
        w.write(tagged(i))
    w.release()
    return path


def test_image_file_dir_and_glob(image_dir, tmp_path):
    with open_source(str(image_dir / "f03.png")) as s:
        assert [tag_of(f.image) for f in s] == [3]
    (image_dir / "broken.jpg").write_bytes(b"not a jpeg at all")
    with open_source(str(image_dir)) as s:
        frames = list(s)
        assert [f.index for f in frames] == [0, 1, 2, 3, 4]
        assert [tag_of(f.image) for f in frames] == [0, 1, 2, 3, 4]
        assert s.skipped == 1 and s.dropped == 0 and not s.live
    with open_source(str(image_dir / "f0[24].png")) as s:
        assert [tag_of(f.image) for f in s] == [2, 4]
    with pytest.raises(FoodcamError, match="no file"):
        open_source(str(tmp_path / "nothing*.png"))


def test_video_file_and_loop(video):
    with open_source(str(video)) as s:
        frames = list(s)
        assert len(frames) == 12 and frames[0].shape == (32, 48)
        assert [tag_of(f.image) for f in frames] == list(range(12))
        assert s.fps == pytest.approx(25.0)
    with open_source(str(video), loop=True) as s:
        tags = [tag_of(s.read().image) for _ in range(30)]
        assert tags == [i % 12 for i in range(30)]


def test_image_loop(image_dir):
    with open_source(str(image_dir), loop=True) as s:
        assert [tag_of(s.read().image) for _ in range(12)] == [i % 5 for i in range(12)]


def test_synth_source_carries_ground_truth():
    with open_source("synth://kitchen?fps=0&size=64x48&seed=3") as s:
        assert s.live
        f = s.read(timeout=10)
        assert f.image.shape == (48, 64, 3) and f.image.dtype == np.uint8
        assert f.truth.shape == (48, 64) and set(np.unique(f.truth)) <= set(range(KITCHEN.seg_head.num_classes))
        g = s.read(timeout=10)
        assert g.index > f.index


def test_realtime_file_plays_at_its_rate_and_drops_when_behind(video):
    with open_source(str(video), realtime=True) as s:
        assert s.live
        first = s.read(timeout=5)
        time.sleep(0.3)  # a slow consumer: frames arriving meanwhile replace each other
        later = [f for f in iter(lambda: s.read(timeout=5), None)]
        got = [first, *later]
        assert s.ended
        assert s.dropped > 0
        assert len(got) + s.dropped == 12
        assert [f.index for f in got] == sorted(f.index for f in got)


class FlakyGrabber:
    """A camera that delivers, dies, refuses to open twice, then delivers again."""

    name, fps = "fake://camera", None

    def __init__(self, die_after: int = 5, refusals: int = 2) -> None:
        self.skipped, self.count, self.opens = 0, 0, 0
        self.die_after, self.refusals, self.dead = die_after, refusals, False

    def open(self) -> None:
        self.opens += 1
        if self.dead:
            if self.refusals > 0:
                self.refusals -= 1
                raise OSError("device busy")
            self.dead = False

    def grab(self):
        time.sleep(0.002)
        if self.dead:
            return None
        self.count += 1
        if self.count == self.die_after:
            self.dead = True
            return None
        return tagged(self.count % 20), None

    def close(self) -> None:
        pass


def test_live_source_reopens_with_backoff(caplog):
    grabber = FlakyGrabber()
    with caplog.at_level("DEBUG", logger="foodcam.camera"):
        source = LiveSource(grabber, backoff=0.01, backoff_max=0.05)
        with source:
            got = []
            deadline = time.monotonic() + 10
            while len(got) < 12 and time.monotonic() < deadline:
                f = source.read(timeout=1)
                if f is not None:
                    got.append(f)
            assert len(got) == 12  # frames continue after the outage
            assert not source.ended
            assert source.reopens == 1
            assert grabber.opens == 4  # first open, two refusals, the reopen that worked
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "down (stopped delivering frames)" in warnings[0]  # one warning per outage
    assert "down (device busy)" in caplog.text and "reconnected" in caplog.text
    assert source.link.reconnects == 1


class CrashingGrabber(FlakyGrabber):
    """A grabber with a bug: its third grab raises something no device error handler expects."""

    def grab(self):
        if self.count == 2 and not getattr(self, "crashed", False):
            self.crashed = True
            raise ZeroDivisionError("bug in a grabber")
        return super().grab()


def test_a_reader_that_crashes_is_restarted_and_counted(caplog):
    from foodcam.camera import supervise

    before = supervise.faults()
    with caplog.at_level("ERROR", logger="foodcam.camera"):
        with LiveSource(CrashingGrabber(), backoff=0.01) as source:
            got = [f for f in (source.read(timeout=2) for _ in range(6)) if f is not None]
            assert len(got) >= 4 and not source.ended  # frames keep coming after the crash
    assert supervise.faults_since(before) == {"source fake://camera": 1}
    assert "bug in a grabber" in caplog.text and "restarting" in caplog.text


def test_real_capture_that_ends_is_reopened_as_a_live_source(video):
    """A cv2.VideoCapture that stops delivering (here: its file ends) is reopened; frames keep coming."""
    with LiveSource(video_file(str(video)), paced=True, reconnect=True, backoff=0.01) as s:
        indices = []
        deadline = time.monotonic() + 10
        while len(indices) < 20 and time.monotonic() < deadline:
            f = s.read(timeout=1)
            if f is not None:
                indices.append(f.index)
        assert len(indices) == 20 and s.reopens >= 1
        assert indices == sorted(indices)


def test_close_wakes_a_waiting_reader():
    grabber = FlakyGrabber(die_after=2, refusals=10**6)
    s = LiveSource(grabber, backoff=0.01, backoff_max=0.02)
    result = {}

    def reader():
        result["frames"] = sum(1 for _ in s)  # blocks: the device is dead and keeps refusing to reopen
        result["ended"] = s.ended

    t = threading.Thread(target=reader)
    t.start()
    time.sleep(0.1)
    s.close()
    t.join(timeout=5)
    assert not t.is_alive() and result["ended"] and result["frames"] == 1


def test_uri_parsing_and_errors(tmp_path):
    assert parse_uri(0).kind == "v4l2" and parse_uri("v4l2:///dev/video2").target == "/dev/video2"
    assert parse_uri("csi://1?flip=2").params == {"flip": "2"}
    assert parse_uri("rtsp://cam.local/stream").kind == "rtsp"
    assert describe("rtsp://admin:secret@cam.local/stream") == "rtsp://admin:***@cam.local/stream"
    assert parse_uri("gst://videotestsrc").target == "videotestsrc"
    assert parse_uri("synth://kitchen?fps=5&size=64x48").params == {"fps": "5", "size": "64x48"}
    with pytest.raises(FoodcamError, match="unknown source scheme"):
        parse_uri("ftp://x")
    with pytest.raises(FoodcamError, match="no such file"):
        parse_uri(str(tmp_path / "missing.mp4"))
    with pytest.raises(FoodcamError, match="unknown option 'speed'"):
        parse_uri("synth://kitchen?speed=2")
    with pytest.raises(FoodcamError, match="unknown scene"):
        open_source("synth://garden")
    with pytest.raises(FoodcamError, match="size"):
        open_source("synth://kitchen?size=big")
    bad = tmp_path / "junk.mp4"
    bad.write_bytes(b"\0" * 100)
    with pytest.raises(FoodcamError, match="not a readable video"):
        open_source(str(bad))


@pytest.mark.skipif(has_gstreamer(), reason="this OpenCV has GStreamer; the error is for builds without it")
def test_csi_without_gstreamer_says_why():
    with pytest.raises(FoodcamError, match="GStreamer.*JetPack"):
        open_source("csi://0")


def test_file_source_reads_on_the_callers_thread(image_dir):
    before = threading.active_count()
    s = open_source(str(image_dir))
    assert isinstance(s, FileSource) and threading.active_count() == before
    assert s.read().index == 0
    s.close()
    assert s.read() is None and s.ended


def test_unreachable_cameras_and_streams_fail_clearly():
    for uri, name in ((7, "v4l2://7"), ("v4l2:///dev/video7", "v4l2:///dev/video7"),
                      ("rtsp://127.0.0.1:9/none", "rtsp://127.0.0.1:9/none")):  # port 9: connection refused
        with pytest.raises(FoodcamError, match=f"{name}: cannot open"):
            open_source(uri)


def test_gstreamer_pipelines_keep_latency_low():
    from foodcam.camera.sources.capture import csi_pipeline, finish_pipeline, rtsp_pipeline

    csi = csi_pipeline(1, 1280, 720, 30, flip=2)
    assert csi.startswith("nvarguscamerasrc sensor-id=1 ") and "width=1280, height=720, framerate=30/1" in csi
    assert "flip-method=2" in csi and csi.endswith("appsink drop=true max-buffers=1 sync=false")
    assert "latency=0" in rtsp_pipeline("rtsp://cam/s") and "location=rtsp://cam/s" in rtsp_pipeline("rtsp://cam/s")
    assert finish_pipeline("videotestsrc").endswith("format=BGR ! appsink drop=true max-buffers=1 sync=false")
    assert finish_pipeline("videotestsrc ! appsink name=x") == "videotestsrc ! appsink name=x"

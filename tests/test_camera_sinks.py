"""Sinks: playable video, image sequences, JSON Lines, the HTTP live view, failure isolation, the window."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import cv2
import numpy as np
import pytest
from tiny_onnx import SEG_TASK, seg_onnx

from foodcam.camera.frame import Frame
from foodcam.camera.pipeline import Pipeline
from foodcam.camera.sinks import (
    EventsSink,
    HttpSink,
    ImageSequenceSink,
    Sink,
    Sinks,
    VideoSink,
    WindowSink,
    save_sink,
)
from foodcam.camera.sources import open_source
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.open import open_model

H, W = 48, 64


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A real ONNX whose mask is the per-pixel argmax of B, G, R: class 0 stirrer, 1 pan, 2 food."""
    m = open_model(seg_onnx(tmp_path_factory.mktemp("model") / "tiny.onnx"), threads=1)
    yield m
    m.close()


def frame(i: int, stirrer: bool = False) -> Frame:
    """Mostly food (red wins), pan (green) in the top rows, a stirrer block (blue) when asked."""
    img = np.zeros((H, W, 3), np.uint8)
    img[:, :] = (20, 40, 200)
    img[:12] = (20, 200, 40)
    if stirrer:
        img[20:40, 10:30] = (220, 30, 30)
    return Frame(image=img, index=i, timestamp=1000.0 + i / 10)


def render_all(model, sinks: Sinks, frames) -> None:
    for f in frames:
        sinks.render(f, model.predict(f.image), {"fps": 10.0, "latency_ms": 5.0})


def count_video_frames(path) -> int:
    cap = cv2.VideoCapture(str(path))
    assert cap.isOpened(), path
    n = 0
    while cap.read()[0]:
        n += 1
    cap.release()
    return n


def test_video_is_written_atomically_and_playable(model, tmp_path):
    path = tmp_path / "out" / "run.mp4"
    with Sinks([VideoSink(path, fps=10)]) as sinks:
        render_all(model, sinks, [frame(i) for i in range(9)])
        assert not path.exists()  # still under its temporary name
    assert count_video_frames(path) == 9
    assert [p.name for p in path.parent.iterdir()] == ["run.mp4"]
    cap = cv2.VideoCapture(str(path))
    assert (cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FRAME_HEIGHT)) == (W, H)


def test_side_by_side_video_and_image_sequence(model, tmp_path):
    with Sinks([VideoSink(tmp_path / "sbs.mp4"), save_sink(str(tmp_path / "img" / "%04d.jpg"))],
               visualize="side-by-side") as sinks:
        render_all(model, sinks, [frame(i) for i in (3, 4, 7)])
    assert count_video_frames(tmp_path / "sbs.mp4") == 3
    files = sorted(p.name for p in (tmp_path / "img").iterdir())
    assert files == ["0003.jpg", "0004.jpg", "0007.jpg"]
    assert cv2.imread(str(tmp_path / "img" / "0004.jpg")).shape == (H, 2 * W, 3)
    with pytest.raises(FoodcamError, match="printf-style"):
        ImageSequenceSink(str(tmp_path / "plain.jpg"))
    with pytest.raises(FoodcamError, match="video extension"):
        save_sink(str(tmp_path / "out.xyz"))


def test_events_jsonl_frames_and_analytics_events(model, tmp_path):
    path = tmp_path / "events.jsonl"
    stirrer = [False] * 3 + [True] * 6 + [False] * 5
    with Sinks([EventsSink(path)]) as sinks:
        render_all(model, sinks, [frame(i, s) for i, s in enumerate(stirrer)])
    records = [json.loads(line) for line in path.read_text().splitlines()]
    frames = [r for r in records if r["type"] == "frame"]
    assert [r["frame"] for r in frames] == list(range(len(stirrer)))
    assert frames[0]["shares"]["food"] > 0.5 and frames[0]["analytics"]["stirrer"]["present"] is False
    events = [(r["event"], r["frame"]) for r in records if r["type"] == "event"]
    assert events == [("stirrer_appeared", 5), ("stirrer_left", 11)]


def test_events_interval_writes_stats_records(model, tmp_path):
    path = tmp_path / "stats.jsonl"
    with Sinks([EventsSink(path, interval=3600)]) as sinks:
        render_all(model, sinks, [frame(i) for i in range(5)])
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["type"] for r in records] == ["stats"]  # the first, then none within the hour
    assert records[0]["fps"] == 10.0 and "analytics" in records[0]


class Exploding(Sink):
    name = "exploding"

    def __init__(self) -> None:
        self.calls = 0

    def write(self, out) -> None:
        self.calls += 1
        raise OSError(28, "No space left on device")


def test_a_failing_sink_is_reported_once_and_the_others_go_on(model, tmp_path, caplog):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    bad_images = ImageSequenceSink(str(blocker / "%03d.png"))
    boom = Exploding()
    with caplog.at_level("ERROR", logger="foodcam.camera"):
        with Sinks([boom, bad_images, VideoSink(tmp_path / "ok.mp4", fps=5)]) as sinks:
            render_all(model, sinks, [frame(i) for i in range(6)])
            summary = sinks.summary()
    assert boom.calls == 1
    assert set(summary["failed_outputs"]) == {"exploding", str(blocker / "%03d.png")}
    assert "No space left" in summary["failed_outputs"]["exploding"]
    assert caplog.text.count("exploding failed") == 1
    assert count_video_frames(tmp_path / "ok.mp4") == 6


def test_window_needs_a_display(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(FoodcamError, match="no display"):
        WindowSink()


def read_mjpeg_parts(resp, n: int) -> list[np.ndarray]:
    boundary = resp.headers.get_content_type(), resp.headers.get_param("boundary")
    assert boundary[0] == "multipart/x-mixed-replace" and boundary[1]
    parts = []
    while len(parts) < n:
        line = resp.readline().strip()
        if not line:
            continue
        assert line == f"--{boundary[1]}".encode()
        headers = {}
        while (h := resp.readline().strip()):
            k, v = h.decode().split(":", 1)
            headers[k.lower()] = v.strip()
        assert headers["content-type"] == "image/jpeg"
        data = resp.read(int(headers["content-length"]))
        parts.append(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR))
    return parts


def test_http_live_view_stats_stream_and_snapshot(model, tmp_path):
    d = tmp_path / "frames"
    d.mkdir()
    for i in range(4):
        cv2.imwrite(str(d / f"{i}.png"), frame(i, stirrer=i % 2 == 0).image)
    http = HttpSink("127.0.0.1:0", info={"source": "frames/", "model": "tiny"})
    assert http.url.startswith("http://127.0.0.1:") and http.port > 0
    with open_source(str(d), realtime=True, loop=True, fps=30) as source, Sinks([http]) as sinks:
        pipeline = Pipeline(source, model, sinks)
        runner = threading.Thread(target=pipeline.run, kwargs={"max_seconds": 20})
        runner.start()
        try:
            with urllib.request.urlopen(http.url + "stream", timeout=10) as resp:
                parts = read_mjpeg_parts(resp, 3)
            assert all(p is not None and p.shape == (H, W, 3) for p in parts)
            # the client went away mid-stream; the view goes on serving
            with urllib.request.urlopen(http.url + "snapshot.jpg", timeout=10) as resp:
                assert resp.headers["Content-Type"] == "image/jpeg"
                assert cv2.imdecode(np.frombuffer(resp.read(), np.uint8), cv2.IMREAD_COLOR).shape == (H, W, 3)
            with urllib.request.urlopen(http.url + "stats", timeout=10) as resp:
                stats = json.loads(resp.read())
            assert stats["source"] == "frames/" and stats["model"] == "tiny"
            assert stats["frames"] >= 2 and stats["fps"] > 0 and "inference" in stats["stages_ms"]
            assert set(stats["analytics"]["shares"]) == set(SEG_TASK.seg_head.classes)
            assert "produced" in stats and "dropped" in stats
            with urllib.request.urlopen(http.url, timeout=10) as resp:
                page = resp.read().decode()
            assert '<img id="stream" src="/stream"' in page and "fetch(\"/stats\"" in page
            with pytest.raises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(http.url + "nope", timeout=10)
            assert e.value.code == 404
        finally:
            pipeline.stop()
            runner.join(timeout=10)
    assert not runner.is_alive()
    with pytest.raises(OSError):
        urllib.request.urlopen(http.url + "stats", timeout=2)  # closed with the run


def test_serve_address_errors():
    with pytest.raises(FoodcamError, match="HOST"):
        HttpSink("127.0.0.1:notaport")

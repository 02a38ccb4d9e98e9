"""`foodcam sort` through the camera loop: every output of `foodcam run` works for the sorting line.

The video and image outputs show the line (lane, camera line, items by decision, the ejection queue below the
frame), --events gets one record per frame and one per decided item, --serve's /stats carries the line's
counters. The colour-statistics ONNX fixture of test_sorting_e2e.py is the model.
"""

from __future__ import annotations

import json
import threading
import urllib.request

import cv2
import numpy as np
import pytest

pytest.importorskip("onnx")
from test_sorting_e2e import URI, _line, build_colour_model  # noqa: E402

from foodcam.camera.jsonl import read_jsonl  # noqa: E402


@pytest.fixture(scope="module")
def colour_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("outputs") / "colour_fixture.onnx"
    build_colour_model(path)
    return path


def test_sort_writes_video_images_events_like_run(colour_model, tmp_path, capsys):
    from foodcam.cli import main

    video, events, summary = tmp_path / "line.mp4", tmp_path / "events.jsonl", tmp_path / "s.json"
    rc = main(["sort", "--model", str(colour_model), "--source", URI, "--line", _line(tmp_path),
               "--max-seconds", "8", "--save", str(video), "--save", str(tmp_path / "img" / "%04d.jpg"),
               "--events", str(events), "--json", str(summary)])
    assert rc == 0
    printed = capsys.readouterr().out
    assert f"wrote {video}" in printed and "items counted once" in printed
    s = json.loads(summary.read_text())
    assert s["frames"] == 161 and s["clock"] == "simulated" and s["stopped_by"] == "max_frames"
    assert s["video"]["frames"] == s["images"]["frames"] == 161 and s["stages_ms"]["sort"] > 0
    cap = cv2.VideoCapture(str(video))
    assert cap.get(cv2.CAP_PROP_FRAME_COUNT) == 161
    ok, first = cap.read()
    assert ok and first.shape[1] == 480 and first.shape[0] > 200  # the frame, and the panel below it
    img = cv2.imread(str(tmp_path / "img" / "0100.jpg"))
    assert img.shape == first.shape

    records = read_jsonl(events)
    frames = [r for r in records if r["type"] == "frame"]
    items = [r for r in records if r["type"] == "event" and r["event"] == "item"]
    assert len(frames) == 161 and [r["frame"] for r in frames] == list(range(161))
    assert frames[-1]["line"]["items"] <= s["items"] and "queue" in frames[0]
    decided = [r for r in items if r["decision"]]
    assert len(decided) == s["items"] >= 3  # every decision reaches the events, the last ones included
    assert {r["outcome"] for r in decided} <= {"fired", "passed"} and s["events"]["item"] == len(items)
    seen = {i["id"] for f in frames for i in f["items"] if i["box"] is not None}
    assert {r["id"] for r in items} <= seen  # each decided item was boxed on some frame


def test_the_line_visualiser_colours_items_by_decision():
    from foodcam.camera.sorting.draw import COLOURS, LineVisualizer
    from foodcam.camera.sorting.result import ItemView, LineGeometry, LineResult, Pending
    from foodcam.runtime.tasks import FRESHNESS

    geometry = LineGeometry(lane=((0, 10), (199, 10), (199, 89), (0, 89)), direction="left_to_right", camera_line=100)
    items = (ItemView(1, (20, 20, 60, 60), None, 4, 0.9, "apple", "reject", 5.0),
             ItemView(2, (120, 20, 160, 60), None, 2, 0.2, "orange", None, None, leaning="pass"),
             ItemView(3, (165, 65, 195, 95), None, 0, None, None, None, None))
    res = LineResult(FRESHNESS, t=1.0, truth_t=1.0, now=1.5, realtime=False, items=items,
                     queue=(Pending(1, "reject", 5.0),), counts={"items": 1, "rejected": 1}, geometry=geometry)
    img = LineVisualizer().draw(np.zeros((100, 200, 3), np.uint8), res, {"fps": 30.0, "frame": 7})
    assert img.shape[0] > 100 and img.shape[1] == 200
    assert tuple(img[40, 20]) == tuple(img[40, 21]) == COLOURS["reject"]  # decided: thick
    assert tuple(img[40, 120]) == COLOURS["pass"] and tuple(img[40, 121]) != COLOURS["pass"]  # leaning: thin
    assert tuple(img[80, 165]) == COLOURS[None]  # no vote yet
    assert tuple(img[50, 100]) == (255, 255, 255)  # the camera line
    assert img[100:].any()  # the panel has text


def test_live_page_stats_carry_the_line_counters(colour_model, tmp_path):
    from foodcam.camera.actuators import open_actuator
    from foodcam.camera.sinks import HttpSink
    from foodcam.camera.sorting.app import open_line_source, sort
    from foodcam.camera.sorting.line import load_line
    from foodcam.runtime.open import open_model

    line = load_line(_line(tmp_path))
    act = open_actuator(line.actuator)
    act.connect()
    http = HttpSink("127.0.0.1:0", info={"line_name": line.name})
    seen: list[dict] = []
    snapshot: dict = {}

    def fetch_snapshot() -> None:  # waits for the next drawn frame, so not on the output thread
        with urllib.request.urlopen(f"{http.url}snapshot.jpg", timeout=10) as r:
            snapshot["jpeg"] = r.read()

    grabber = threading.Thread(target=fetch_snapshot)

    def poll(out) -> None:  # on the output thread, after a frame is rendered: what a browser would get
        if out.frame.index in (60, 150):
            with urllib.request.urlopen(f"{http.url}stats", timeout=5) as r:
                seen.append(json.loads(r.read()))
        if out.frame.index == 100:
            grabber.start()

    with open_model(colour_model) as model, open_line_source(URI) as src:
        s = sort(model, src, line, act, outputs=[http], max_frames=200, on_frame=[poll])
    act.close()
    grabber.join(timeout=10)
    early, late = seen
    assert late["line_name"] == line.name and late["frame"] == 150
    assert set(late["line"]) >= {"items", "rejected", "passed", "fired", "missed", "pending"}
    assert late["line"]["items"] >= early["line"]["items"] and s["items"] >= late["line"]["items"]
    assert any(e["event"] == "item" for e in late["events"])
    jpeg = cv2.imdecode(np.frombuffer(snapshot["jpeg"], np.uint8), cv2.IMREAD_COLOR)
    assert jpeg is not None and jpeg.shape[1] == 480 and jpeg.shape[0] > 200

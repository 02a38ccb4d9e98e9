"""`foodcam run` as a user runs it: outputs and summary, clean shutdown on signals, the live page in a browser."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import cv2
import pytest
from tiny_onnx import seg_onnx

from foodcam.camera.pipeline import Pipeline
from foodcam.camera.sinks import HttpSink, Sinks
from foodcam.camera.sources import open_source
from foodcam.cli import main
from foodcam.runtime.open import open_model

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return seg_onnx(tmp_path_factory.mktemp("model") / "tiny.onnx")


def video_frames(path) -> int:
    cap = cv2.VideoCapture(str(path))
    assert cap.isOpened(), f"{path} is not playable"
    n = 0
    while cap.read()[0]:
        n += 1
    return n


def test_run_writes_every_output_and_the_summary(tiny, tmp_path, capsys):
    rc = main(["run", "--model", str(tiny), "--source", "synth://kitchen?fps=0&size=64x48&seed=1",
               "--max-frames", "12", "--save", str(tmp_path / "out.mp4"), "--save", str(tmp_path / "f" / "%03d.png"),
               "--events", str(tmp_path / "ev.jsonl"), "--summary", str(tmp_path / "summary.json"),
               "--visualize", "mask", "--threads", "1", "--show"])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "12 frames" in printed and "mIoU" in printed
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["frames"] == 12 and summary["stopped_by"] == "max_frames"
    assert 0.0 <= summary["accuracy"]["miou"] <= 1.0 and summary["accuracy"]["frames"] == 12
    assert summary["source"].startswith("synth://kitchen")
    assert video_frames(tmp_path / "out.mp4") == 12
    assert len(list((tmp_path / "f").glob("*.png"))) == 12
    lines = (tmp_path / "ev.jsonl").read_text().splitlines()
    assert sum(json.loads(line)["type"] == "frame" for line in lines) == 12


def test_run_reports_bad_input_in_one_line(tiny, tmp_path, capsys):
    assert main(["run", "--model", str(tiny), "--source", str(tmp_path / "missing.mp4")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "missing.mp4" in err and "no such file" in err
    assert main(["run", "--model", str(tmp_path / "nope.onnx"), "--source", "synth://kitchen"]) == 2
    assert "nope.onnx" in capsys.readouterr().err
    assert main(["run", "--model", str(tiny), "--source", "synth://kitchen", "--show", "require"]) == 2
    assert "cannot open a window" in capsys.readouterr().err


@pytest.mark.parametrize("sig,group", [(signal.SIGTERM, False), (signal.SIGINT, False), (signal.SIGINT, True)],
                         ids=["SIGTERM", "SIGINT", "SIGINT-to-the-process-group"])
@pytest.mark.slow  # a real `foodcam run` process, signalled
def test_signal_ends_the_run_cleanly(tiny, tmp_path, sig, group):
    """Ctrl-C in a terminal signals the whole process group, the encoder child included: the video survives."""
    events, video, summary = tmp_path / "ev.jsonl", tmp_path / "out.mp4", tmp_path / "summary.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "foodcam", "run", "--model", str(tiny), "--source", "synth://kitchen?fps=30&size=64x48",
         "--save", str(video), "--events", str(events), "--summary", str(summary), "--threads", "1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=group,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if events.exists() and events.read_text().count("\n") >= 10:
                break
            time.sleep(0.1)
        assert proc.poll() is None, proc.communicate()
        if group:  # what a terminal does on Ctrl-C: every process of the foreground group gets SIGINT
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    s = json.loads(summary.read_text())
    assert s["stopped_by"] == signal.Signals(sig).name and s["frames"] >= 10
    assert "frames in" in out
    assert video_frames(video) == s["video"]["frames"] == s["frames"]
    text = events.read_text()
    assert text.endswith("\n")
    records = [json.loads(line) for line in text.splitlines()]
    assert sum(r["type"] == "frame" for r in records) == s["frames"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left behind


@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (/usr/bin/chromium) for the headless browser check")
@pytest.mark.slow  # a real browser
def test_live_page_in_headless_chromium(tiny, tmp_path):
    http = HttpSink("127.0.0.1:0", info={"source": "synth://kitchen", "model": "tiny.onnx"})
    with open_model(tiny, threads=1) as model, open_source("synth://kitchen?fps=15&size=96x72") as source, \
            Sinks([http]) as sinks:
        pipeline = Pipeline(source, model, sinks)
        runner = threading.Thread(target=pipeline.run, kwargs={"max_seconds": 60})
        runner.start()
        try:
            base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000"]
            dom = subprocess.run([*base, "--dump-dom", http.url], capture_output=True, text=True, timeout=60).stdout
            shot = tmp_path / "page.png"
            subprocess.run([*base, "--window-size=640,480", f"--screenshot={shot}", http.url],
                           capture_output=True, timeout=60)
        finally:
            pipeline.stop()
            runner.join(timeout=10)
    assert '<img id="stream" src="/stream"' in dom
    frames = dom.split('id="frames">', 1)[1].split("<", 1)[0]
    assert frames.isdigit() and int(frames) > 0  # filled in by the page's script from /stats
    assert 'id="model">tiny.onnx<' in dom and 'id="status" class="">live<' in dom
    img = cv2.imread(str(shot))
    assert img is not None
    # the stream is on the page: the legend's red stirrer swatch from the annotated frames shows up
    red = (img[:, :, 2] > 200) & (img[:, :, 1] < 60) & (img[:, :, 0] < 60)
    assert red.sum() >= 20
